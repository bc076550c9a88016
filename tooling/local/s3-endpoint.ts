import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes, randomUUID } from 'node:crypto';
import S3rver from 's3rver';
import { DUMMY_ACCOUNT } from 's3rver/lib/models/account';
import S3Error from 's3rver/lib/models/error';
import type { ActivityLog } from './activity-log';
import { type AwsEvent, eventTime } from './event-bus';
import {
  decodeContinuationToken,
  encodeContinuationToken,
  listBucketResultXml,
  listPage,
} from './s3-object-listing';
import type { LocalBucket } from './stack-wiring';

export interface LocalS3Options {
  readonly port: number;
  readonly directory: string;
  readonly buckets: readonly LocalBucket[];
  readonly region: string;
  readonly accountId: string;
  /**
   * Receives the "Object Created" event of every write to a bucket with EventBridge enabled;
   * returns the rules that took it.
   */
  readonly publish: (event: AwsEvent) => readonly string[];
  readonly log: ActivityLog;
}

/** What one write request stashes for the event sent once the write has completed. */
interface WriteRequest {
  created?: { bucket: string; key: string };
}

// Characters S3 leaves as they are in event keys; every other byte is %XX, a space is `+`.
const UNESCAPED_IN_EVENT_KEYS = /[A-Za-z0-9._*/-]/;

/**
 * Encodes a key as S3 writes it into event notifications (EventBridge ones included): form-URL
 * encoding of its UTF-8 bytes, `/` kept, a space as `+`.
 *
 * @example
 * encodeS3EventKey('data/café + bar (1).csv'); // 'data/caf%C3%A9+%2B+bar+%281%29.csv'
 */
export function encodeS3EventKey(key: string): string {
  return [...key]
    .map((character) => {
      if (character === ' ') return '+';
      if (UNESCAPED_IN_EVENT_KEYS.test(character)) return character;
      return [...Buffer.from(character, 'utf8')]
        .map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)
        .join('');
    })
    .join('');
}

/**
 * A local S3 (s3rver) on 127.0.0.1 holding the stack's buckets. Every object written to a bucket
 * whose EventBridge notifications are on produces the "Object Created" event S3 would send, once
 * the write has completed: reason from the API used (PutObject, POST Object, CopyObject,
 * CompleteMultipartUpload), URL-encoded key, size, ETag and an increasing sequencer. s3rver keeps
 * no object versions, so the events carry no `version-id` (as from an unversioned bucket).
 *
 * @example
 * const s3 = await startLocalS3({ port: 4569, directory: '.local/s3', buckets, region, accountId, publish, log });
 */
export async function startLocalS3(options: LocalS3Options) {
  const writes = new AsyncLocalStorage<WriteRequest>();
  const withEvents = new Set(
    options.buckets.filter((bucket) => bucket.eventBridgeEnabled).map((bucket) => bucket.name),
  );
  let sequence = 0;
  const s3rver = new S3rver({
    address: '127.0.0.1',
    port: options.port,
    silent: true,
    directory: options.directory,
    // Path-style only: the SDK uses it by itself for an endpoint that is an IP address.
    vhostBuckets: false,
    configureBuckets: options.buckets.map((bucket) => ({ name: bucket.name })),
  });

  s3rver.on('event', (event: S3rver.Notification) => {
    const record = event.Records[0];
    const request = writes.getStore();
    if (record?.eventName.startsWith('ObjectCreated:') && request !== undefined) {
      request.created = { bucket: record.s3.bucket.name, key: record.s3.object.key };
    }
  });

  async function objectCreatedEvent(
    context: S3rver.RequestContext,
    bucket: string,
    key: string,
  ): Promise<AwsEvent> {
    const metadata = await s3rver.store.getMetadata(bucket, key);
    // An 18-digit hexadecimal sequencer that grows with every write, as S3's does per key.
    sequence += 1;
    const sequencer = (BigInt(Date.now()) * 1000n + BigInt(sequence % 1000))
      .toString(16)
      .toUpperCase()
      .padStart(18, '0');
    return {
      version: '0' as const,
      id: randomUUID(),
      'detail-type': 'Object Created',
      source: 'aws.s3',
      account: options.accountId,
      time: eventTime(),
      region: options.region,
      resources: [`arn:aws:s3:::${bucket}`],
      detail: {
        version: '0',
        bucket: { name: bucket },
        object: {
          key: encodeS3EventKey(key),
          size: Number(metadata['content-length']),
          etag: metadata.etag.replace(/"/g, ''),
          sequencer,
        },
        'request-id': randomBytes(8).toString('hex').toUpperCase(),
        requester: options.accountId,
        'source-ip-address': context.ip.replace(/^::ffff:/, ''),
        reason: writeReason(context),
      },
    };
  }

  // First in the chain: every request runs with its own stash, and the event leaves after the
  // response is complete, as S3 sends it after the write is durable.
  s3rver.middleware.unshift(async (context, next) => {
    acceptAnyAccessKey(context.headers.authorization);
    if (isListObjectsV2(context)) {
      await listObjectsV2(s3rver, context);
      return;
    }
    const request: WriteRequest = {};
    await writes.run(request, next);
    const created = request.created;
    if (created === undefined || context.status >= 300) return;
    const write = `${writeReason(context)} s3://${created.bucket}/${created.key}`;
    if (!withEvents.has(created.bucket)) {
      options.log('s3', write);
      return;
    }
    // The bus says where a taken event went; a write no rule takes is said here.
    const rules = options.publish(await objectCreatedEvent(context, created.bucket, created.key));
    if (rules.length === 0) options.log('s3', `${write}: no rule matches`);
  });

  await s3rver.run();
  return {
    url: `http://127.0.0.1:${options.port}`,
    close: () => s3rver.close(),
  };
}

/** `GET /<bucket>?list-type=2`, path-style. */
function isListObjectsV2(context: S3rver.RequestContext): boolean {
  return (
    context.method === 'GET' &&
    /^\/[^/]+\/?$/.test(context.path) &&
    context.query['list-type'] === '2'
  );
}

/**
 * Answers ListObjectsV2 with S3's paging, continuation tokens of our own (see
 * s3-object-listing.ts), `start-after`, `delimiter`, `fetch-owner` and `encoding-type=url`.
 */
async function listObjectsV2(s3rver: S3rver, context: S3rver.RequestContext): Promise<void> {
  const bucket = context.path.split('/')[1] ?? '';
  const { query } = context;
  if ((await s3rver.store.getBucket(bucket)) === null) {
    throw new S3Error('NoSuchBucket', 'The specified bucket does not exist', {
      BucketName: bucket,
    });
  }
  const maxKeysAsked = query['max-keys'] ?? '1000';
  if (!/^\d+$/.test(maxKeysAsked)) {
    throw new S3Error(
      'InvalidArgument',
      'Provided max-keys not an integer or within integer range',
      {
        ArgumentName: 'max-keys',
        ArgumentValue: maxKeysAsked,
      },
    );
  }
  const continuationToken = query['continuation-token'];
  const after =
    continuationToken === undefined
      ? undefined
      : decodeContinuationToken(continuationToken, bucket);
  if (continuationToken !== undefined && after === undefined) {
    throw new S3Error('InvalidArgument', 'The continuation token provided is incorrect', {
      ArgumentName: 'continuation-token',
    });
  }
  const prefix = query.prefix ?? '';
  const request = {
    prefix,
    maxKeys: Math.min(1000, Number(maxKeysAsked)),
    ...(query.delimiter ? { delimiter: query.delimiter } : {}),
    ...(query['start-after'] === undefined ? {} : { startAfter: query['start-after'] }),
    ...(after === undefined ? {} : { after }),
  };
  const { objects } = await s3rver.store.listObjects(bucket, { prefix });
  const page = listPage(
    objects.map((object) => ({
      key: object.key,
      size: object.size,
      etag: object.metadata.etag,
      lastModified: object.lastModifiedDate,
    })),
    request,
  );
  context.status = 200;
  context.type = 'application/xml';
  context.body = listBucketResultXml(page, {
    bucket,
    request,
    maxKeysAsked,
    ...(continuationToken === undefined ? {} : { continuationToken }),
    ...(page.nextAfter === undefined
      ? {}
      : { nextContinuationToken: encodeContinuationToken(bucket, page.nextAfter) }),
    ...(query['encoding-type'] === 'url' ? { encodeKey: encodeS3EventKey } : {}),
    ...(query['fetch-owner'] === 'true'
      ? { owner: { id: String(DUMMY_ACCOUNT.id), displayName: DUMMY_ACCOUNT.displayName } }
      : {}),
  });
}

function writeReason(context: S3rver.RequestContext): string {
  if (context.method === 'POST') {
    return context.query.uploadId === undefined ? 'POST Object' : 'CompleteMultipartUpload';
  }
  return context.headers['x-amz-copy-source'] === undefined ? 'PutObject' : 'CopyObject';
}

/**
 * s3rver accepts only the key pair it was started with; a local cloud accepts any credentials
 * (the SDK's, the AWS CLI's), so each new access key is registered before s3rver looks it up.
 * It does not verify SigV4 signatures at all.
 */
function acceptAnyAccessKey(authorization: string | string[] | undefined): void {
  const accessKeyId = /Credential=([^/,\s]+)\//.exec(String(authorization ?? ''))?.[1];
  if (accessKeyId !== undefined && !DUMMY_ACCOUNT.accessKeys.has(accessKeyId)) {
    DUMMY_ACCOUNT.createKeyPair(accessKeyId, accessKeyId);
  }
}
