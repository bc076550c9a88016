import type { QueueMessage } from '../../functions/core/upload-redelivery';
import type { SendToQueue } from '../../functions/handlers/on-data-upload';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataUploadConfig } from '../../functions/config/data-upload-config';
import { dataUploadConfigSchema } from '../../functions/config/data-upload-config';
import type { UploadedObject } from '../../functions/core/uploaded-object';

export const BUCKET = 'mlops-control-plane-dev-data-123456789012-eu-west-1';

/** Routes as a deployment would configure them, one per mode, parsed like the function does. */
export const testConfig: DataUploadConfig = dataUploadConfigSchema.parse({
  routes: [
    {
      name: 'training-data',
      bucket: BUCKET,
      prefix: 'data/training/',
      mode: 'folder',
      windowSeconds: 900,
      pipeline: 'mlops-dev-training',
      inputParameter: 'InputDataUrl',
    },
    {
      name: 'curated-training-data',
      bucket: BUCKET,
      prefix: 'data/curated/',
      mode: 'trigger-file',
      triggerFiles: ['_SUCCESS', 'manifest.json'],
      pipeline: 'mlops-dev-training',
      inputParameter: 'InputDataUrl',
    },
    {
      name: 'inference-data',
      bucket: BUCKET,
      prefix: 'data/inference/',
      suffix: '.csv',
      mode: 'object',
      pipeline: 'mlops-dev-batch-inference',
      inputParameter: 'InputDataUrl',
      parameters: { ModelPackageGroupName: 'mlops-dev-models' },
    },
    {
      name: 'ground-truth',
      bucket: BUCKET,
      prefix: 'data/ground-truth/{day}/',
      suffix: '.csv',
      mode: 'object',
      pipeline: 'mlops-dev-batch-inference',
      inputParameter: 'GroundTruthUrl',
      parameters: {
        InputDataUrl: `s3://${BUCKET}/data/inference/{day}/`,
        ModelPackageGroupName: 'mlops-dev-models',
      },
    },
  ],
});

export function uploadedObject(overrides: Partial<UploadedObject> = {}): UploadedObject {
  return {
    notificationId: 'n-1',
    bucket: BUCKET,
    key: 'data/inference/2026-11-21/scores.csv',
    size: 10,
    etag: '9e107d9d372bb6826bd81d3542a419d6',
    sequencer: '00655C3F1A2B3C4D5E',
    eventTime: '2026-11-21T05:30:01Z',
    reason: 'PutObject',
    ...overrides,
  };
}

/** An S3 "Object Created" event as EventBridge delivers it; `key` is given URL-encoded, as S3 sends it. */
export function eventBridgeObjectCreated(
  encodedKey: string,
  overrides: {
    id?: string;
    time?: string;
    sequencer?: string;
    reason?: string;
    versionId?: string;
  } = {},
): Record<string, unknown> {
  return {
    version: '0',
    id: overrides.id ?? `evt-${encodedKey}`,
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account: '123456789012',
    time: overrides.time ?? '2026-11-21T05:30:01Z',
    region: 'eu-west-1',
    resources: [`arn:aws:s3:::${BUCKET}`],
    detail: {
      version: '0',
      bucket: { name: BUCKET },
      object: {
        key: encodedKey,
        size: 1024,
        etag: 'e4d909c290d0fb1ca068ffaddf22cbd0',
        sequencer: overrides.sequencer ?? '00655C3F1A9B8C7D6E',
        ...(overrides.versionId === undefined ? {} : { 'version-id': overrides.versionId }),
      },
      'request-id': 'N4N7GDK58NMKJ12R',
      requester: '123456789012',
      'source-ip-address': '198.51.100.24',
      reason: overrides.reason ?? 'PutObject',
    },
  };
}

/** SQS batch in the shape Lambda delivers, each body one message EventBridge sent to the buffer. */
export function sqsBatch(bodies: readonly unknown[]): { Records: Array<Record<string, unknown>> } {
  return {
    Records: bodies.map((body, index) => ({
      messageId: `msg-${index}`,
      receiptHandle: `AQEB-${index}`,
      body: typeof body === 'string' ? body : JSON.stringify(body),
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: '1795325401000',
        SenderId: 'AIDAIENQZJOLO23YVJ4VO',
        ApproximateFirstReceiveTimestamp: '1795325401000',
      },
      messageAttributes: {},
      md5OfBody: '0'.repeat(32),
      eventSource: 'aws:sqs',
      eventSourceARN:
        'arn:aws:sqs:eu-west-1:123456789012:mlops-control-plane-dev-data-upload-buffer',
      awsRegion: 'eu-west-1',
    })),
  };
}

export function sampleEvent(name: string): unknown {
  return JSON.parse(readFileSync(join(__dirname, '..', '..', 'events', name), 'utf8'));
}

/**
 * onDataUpload's hand-back queues, accepting every message and keeping it for the test to read;
 * for tests about something else than what goes back to the queues.
 */
export function acceptingQueues() {
  const sent = { buffer: [] as QueueMessage[], deadLetterQueue: [] as QueueMessage[] };
  const accept =
    (queue: QueueMessage[]): SendToQueue =>
    async (messages) => {
      queue.push(...messages);
      return new Map();
    };
  return {
    sent,
    sendToBuffer: accept(sent.buffer),
    sendToDeadLetterQueue: accept(sent.deadLetterQueue),
  };
}
