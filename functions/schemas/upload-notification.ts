import type { IgnoredNotice, UploadedObject } from '../core/uploaded-object';
import { InvalidEventError } from '../errors';
import { parseEvent } from './parse-event';
import {
  type S3EventBridgeEvent,
  type S3Notification,
  s3EventBridgeEventSchema,
  s3NotificationSchema,
  s3TestEventSchema,
} from './s3-notification';

/** What one notification (an EventBridge event, a `Records[]` notification or a test event) reports. */
export interface UploadNotice {
  readonly objects: UploadedObject[];
  readonly ignored: IgnoredNotice[];
}

/**
 * Parses any of the three shapes S3 uses to say "objects were created" into decoded objects.
 * Throws {@link InvalidEventError} naming the field when the input fits none of them.
 *
 * @example
 * const { objects } = readUploadNotification(JSON.parse(sqsRecord.body), sqsRecord.messageId);
 */
export function readUploadNotification(raw: unknown, notificationId: string): UploadNotice {
  if (!isObject(raw)) {
    throw new InvalidEventError(`Notification ${notificationId} is not a JSON object`);
  }
  if ('Records' in raw) {
    return fromBucketNotification(
      parseEvent(s3NotificationSchema, raw, `Notification ${notificationId}`),
      notificationId,
    );
  }
  if ('detail-type' in raw) {
    return fromEventBridgeEvent(
      parseEvent(s3EventBridgeEventSchema, raw, `Notification ${notificationId}`),
      notificationId,
    );
  }
  if ('Event' in raw) {
    parseEvent(s3TestEventSchema, raw, `Notification ${notificationId}`);
    return ignoredOnly({ notificationId, reason: 'test-event', detail: 's3:TestEvent' });
  }
  throw new InvalidEventError(
    `Notification ${notificationId} is not an S3 notification: expected Records, detail-type or Event`,
  );
}

function fromEventBridgeEvent(event: S3EventBridgeEvent, notificationId: string): UploadNotice {
  const { bucket, object, reason } = event.detail;
  if (event['detail-type'] !== 'Object Created') {
    return ignoredOnly({
      notificationId,
      reason: 'not-object-created',
      detail: `${event['detail-type']} s3://${bucket.name}/${object.key}`,
    });
  }
  return {
    objects: [
      {
        notificationId,
        bucket: bucket.name,
        key: object.key,
        size: object.size,
        etag: object.etag,
        sequencer: object.sequencer,
        versionId: object['version-id'],
        eventTime: event.time,
        reason: reason ?? 'Object Created',
      },
    ],
    ignored: [],
  };
}

function fromBucketNotification(
  notification: S3Notification,
  notificationId: string,
): UploadNotice {
  const notice: UploadNotice = { objects: [], ignored: [] };
  for (const record of notification.Records) {
    const { bucket, object } = record.s3;
    if (!record.eventName.startsWith('ObjectCreated:')) {
      notice.ignored.push({
        notificationId,
        reason: 'not-object-created',
        detail: `${record.eventName} s3://${bucket.name}/${object.key}`,
      });
      continue;
    }
    notice.objects.push({
      notificationId,
      bucket: bucket.name,
      key: object.key,
      size: object.size,
      etag: object.eTag,
      sequencer: object.sequencer,
      versionId: object.versionId,
      eventTime: record.eventTime,
      reason: record.eventName,
    });
  }
  return notice;
}

function ignoredOnly(ignored: IgnoredNotice): UploadNotice {
  return { objects: [], ignored: [ignored] };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
