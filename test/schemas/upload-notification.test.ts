import { InvalidEventError } from '../../functions/errors';
import { readUploadNotification } from '../../functions/schemas/upload-notification';
import { BUCKET, eventBridgeObjectCreated, sampleEvent } from '../support/upload-fixtures';

describe('readUploadNotification: the three shapes S3 uses', () => {
  it('EventBridge "Object Created" (multipart upload, versioned bucket)', () => {
    const notice = readUploadNotification(
      sampleEvent('training-folder-upload.eventbridge.json'),
      'n',
    );
    expect(notice.ignored).toEqual([]);
    expect(notice.objects).toEqual([
      {
        notificationId: 'n',
        bucket: BUCKET,
        key: 'data/training/2026-11-01/part-00000.csv',
        size: 104857600,
        etag: '3b5a8f1e2d6c4b7a9e0f1d2c3b4a5968-12',
        sequencer: '00654A1B2C3D4E5F60',
        versionId: '3HL4kqtJlcpXroDTDmJ-rmSpXd3dIbrHY',
        eventTime: '2026-11-01T06:00:12Z',
        reason: 'CompleteMultipartUpload',
      },
    ]);
  });

  it('classic Records[] notification, key decoded, IPv6 uploader accepted', () => {
    const notice = readUploadNotification(
      sampleEvent('inference-upload.s3-notification.json'),
      'n',
    );
    expect(notice.objects).toHaveLength(1);
    expect(notice.objects[0]).toMatchObject({
      key: 'data/inference/incoming/2026-11-21/region=eu/scores input.csv',
      reason: 'ObjectCreated:Put',
      eventTime: '2026-11-21T05:31:17.412Z',
      etag: '1f3870be274f6c49b3e31a0c6728957f',
    });
  });

  it('EventBridge keys are decoded the same way', () => {
    const notice = readUploadNotification(
      eventBridgeObjectCreated('data/inference/caf%C3%A9+%2B+bar.csv'),
      'n',
    );
    expect(notice.objects[0]?.key).toBe('data/inference/café + bar.csv');
  });

  it('s3:TestEvent is ignored, not rejected', () => {
    const notice = readUploadNotification(sampleEvent('s3-test-event.json'), 'n');
    expect(notice).toEqual({
      objects: [],
      ignored: [{ notificationId: 'n', reason: 'test-event', detail: 's3:TestEvent' }],
    });
  });

  it('other S3 event types (Object Deleted, ObjectRemoved:*) are ignored', () => {
    const deleted = {
      ...eventBridgeObjectCreated('data/inference/a.csv'),
      'detail-type': 'Object Deleted',
    };
    expect(readUploadNotification(deleted, 'n').ignored[0]?.reason).toBe('not-object-created');
    const removed = sampleEvent('inference-upload.s3-notification.json') as {
      Records: Array<Record<string, unknown>>;
    };
    removed.Records[0]!.eventName = 'ObjectRemoved:Delete';
    expect(readUploadNotification(removed, 'n').ignored[0]?.reason).toBe('not-object-created');
  });
});

describe('readUploadNotification: invalid input is rejected with the field named', () => {
  const valid = eventBridgeObjectCreated('data/inference/a.csv') as {
    detail: { bucket: object; object: Record<string, unknown> };
  };

  it.each<[string, unknown, RegExp]>([
    ['not an object', 'hello', /not a JSON object/],
    ['unknown shape', { foo: 1 }, /not an S3 notification/],
    [
      'missing key',
      { ...valid, detail: { ...valid.detail, object: { size: 1 } } },
      /detail\.object\.key: /,
    ],
    [
      'malformed escape in key',
      {
        ...valid,
        detail: { ...valid.detail, object: { ...valid.detail.object, key: 'a%ZZ.csv' } },
      },
      /detail\.object\.key: is not a valid URL-encoded S3 key/,
    ],
    ['bad time', { ...valid, time: 'yesterday' }, /time: /],
    ['another source', { ...valid, source: 'aws.ec2' }, /source: /],
    [
      'Records of another service',
      { Records: [{ eventSource: 'aws:sns' }] },
      /Records\[0\]\.eventSource/,
    ],
    ['empty Records', { Records: [] }, /Records: /],
  ])('%s', (_why, input, message) => {
    expect(() => readUploadNotification(input, 'n-7')).toThrow(InvalidEventError);
    expect(() => readUploadNotification(input, 'n-7')).toThrow(message);
  });
});
