import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { decodeS3EventKey } from '../../functions/core/s3-key';
import type { AwsEvent } from '../../tooling/local/event-bus';
import { freeLoopbackPort } from '../../tooling/local/loopback-port';
import { encodeS3EventKey, startLocalS3 } from '../../tooling/local/s3-endpoint';

describe('encodeS3EventKey: keys as S3 writes them into events', () => {
  it.each<[string, string]>([
    ['data/training/part-00000.csv', 'data/training/part-00000.csv'],
    ['data/store 42 (eu).csv', 'data/store+42+%28eu%29.csv'],
    ['data/café + bar.csv', 'data/caf%C3%A9+%2B+bar.csv'],
    ['data/region=eu/x.csv', 'data/region%3Deu/x.csv'],
  ])('%s', (key, encoded) => {
    expect(encodeS3EventKey(key)).toBe(encoded);
    expect(decodeS3EventKey(encoded)).toBe(key);
  });
});

describe('local S3: every completed write is an "Object Created" event', () => {
  const directory = mkdtempSync(join(tmpdir(), 'local-s3-'));
  const events: AwsEvent[] = [];
  let s3: Awaited<ReturnType<typeof startLocalS3>>;
  let client: S3Client;

  beforeAll(async () => {
    s3 = await startLocalS3({
      port: await freeLoopbackPort(),
      directory,
      buckets: [
        { name: 'data', eventBridgeEnabled: true },
        { name: 'quiet', eventBridgeEnabled: false },
      ],
      region: 'eu-west-1',
      accountId: '000000000000',
      publish: (event) => events.push(event),
      log: () => undefined,
    });
    // Any credentials: the local cloud does not check them.
    client = new S3Client({
      region: 'eu-west-1',
      endpoint: s3.url,
      credentials: { accessKeyId: 'AKIDANYTHING', secretAccessKey: 'secret' },
    });
  });
  afterAll(async () => {
    await s3.close();
    rmSync(directory, { recursive: true, force: true });
  });
  beforeEach(() => (events.length = 0));

  it('PutObject: the real event shape, key URL-encoded, ETag and size of the object', async () => {
    const { ETag } = await client.send(
      new PutObjectCommand({ Bucket: 'data', Key: 'data/café + bar.csv', Body: '1,2\n' }),
    );
    expect(events).toEqual([
      {
        version: '0',
        id: expect.any(String) as unknown,
        'detail-type': 'Object Created',
        source: 'aws.s3',
        account: '000000000000',
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) as unknown,
        region: 'eu-west-1',
        resources: ['arn:aws:s3:::data'],
        detail: {
          version: '0',
          bucket: { name: 'data' },
          object: {
            key: 'data/caf%C3%A9+%2B+bar.csv',
            size: 4,
            etag: ETag?.replace(/"/g, ''),
            sequencer: expect.stringMatching(/^[0-9A-F]{18}$/) as unknown,
          },
          'request-id': expect.any(String) as unknown,
          requester: '000000000000',
          'source-ip-address': '127.0.0.1',
          reason: 'PutObject',
        },
      },
    ]);
  });

  it('CopyObject and CompleteMultipartUpload say so in the reason; sequencers grow', async () => {
    await client.send(new PutObjectCommand({ Bucket: 'data', Key: 'a.csv', Body: 'a' }));
    await client.send(
      new CopyObjectCommand({ Bucket: 'data', Key: 'b.csv', CopySource: 'data/a.csv' }),
    );
    const { UploadId } = await client.send(
      new CreateMultipartUploadCommand({ Bucket: 'data', Key: 'big.csv' }),
    );
    const part = await client.send(
      new UploadPartCommand({
        Bucket: 'data',
        Key: 'big.csv',
        UploadId,
        PartNumber: 1,
        Body: 'x'.repeat(1024),
      }),
    );
    await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: 'data',
        Key: 'big.csv',
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
      }),
    );
    const details = events.map(
      (event) =>
        event.detail as {
          reason: string;
          object: { key: string; size: number; sequencer: string };
        },
    );
    expect(details.map((detail) => [detail.reason, detail.object.key, detail.object.size])).toEqual(
      [
        ['PutObject', 'a.csv', 1],
        ['CopyObject', 'b.csv', 1],
        ['CompleteMultipartUpload', 'big.csv', 1024],
      ],
    );
    const sequencers = details.map((detail) => detail.object.sequencer);
    expect([...sequencers].sort()).toEqual(sequencers);
    expect(new Set(sequencers).size).toBe(3);
  });

  it('sends nothing for a bucket whose EventBridge notifications are off', async () => {
    await client.send(new PutObjectCommand({ Bucket: 'quiet', Key: 'x.csv', Body: 'x' }));
    expect(events).toEqual([]);
  });
});
