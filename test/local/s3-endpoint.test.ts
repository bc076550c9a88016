import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  paginateListObjectsV2,
} from '@aws-sdk/client-s3';
import { decodeS3EventKey } from '../../functions/core/s3-key';
import type { ActivityLog } from '../../tooling/local/activity-log';
import type { AwsEvent } from '../../tooling/local/event-bus';
import { freeLoopbackPort } from '../../tooling/local/loopback-port';
import { encodeS3EventKey, startLocalS3 } from '../../tooling/local/s3-endpoint';
import type { LocalBucket } from '../../tooling/local/stack-wiring';

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

/** A local S3 on a free port and a folder of its own, and a client with any credentials. */
async function localS3(
  buckets: LocalBucket[],
  publish: (event: AwsEvent) => readonly string[],
  log: ActivityLog = () => undefined,
) {
  const directory = mkdtempSync(join(tmpdir(), 'local-s3-'));
  const s3 = await startLocalS3({
    port: await freeLoopbackPort(),
    directory,
    buckets,
    region: 'eu-west-1',
    accountId: '000000000000',
    publish,
    log,
  });
  // Any credentials: the local cloud does not check them.
  const client = new S3Client({
    region: 'eu-west-1',
    endpoint: s3.url,
    credentials: { accessKeyId: 'AKIDANYTHING', secretAccessKey: 'secret' },
  });
  return {
    client,
    close: async () => {
      await s3.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

describe('local S3: every completed write is an "Object Created" event', () => {
  const events: AwsEvent[] = [];
  const logged: string[] = [];
  /** The rules that take an event: none for keys under other/. */
  const rulesFor = (event: AwsEvent) =>
    String((event.detail as { object: { key: string } }).object.key).startsWith('other/')
      ? []
      : ['DataUploadRule'];
  let s3: Awaited<ReturnType<typeof localS3>>;
  let client: S3Client;

  beforeAll(async () => {
    s3 = await localS3(
      [
        { name: 'data', eventBridgeEnabled: true },
        { name: 'quiet', eventBridgeEnabled: false },
      ],
      (event) => {
        events.push(event);
        return rulesFor(event);
      },
      (source, message) => logged.push(`${source} ${message}`),
    );
    client = s3.client;
  });
  afterAll(() => s3.close());
  beforeEach(() => {
    events.length = 0;
    logged.length = 0;
  });

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
    expect(logged).toEqual(['s3 PutObject s3://quiet/x.csv']);
  });

  it('says a write whose event no rule takes; the bus says where a taken one went', async () => {
    await client.send(new PutObjectCommand({ Bucket: 'data', Key: 'other/x.csv', Body: 'x' }));
    await client.send(new PutObjectCommand({ Bucket: 'data', Key: 'in/y.csv', Body: 'y' }));
    expect(events).toHaveLength(2);
    expect(logged).toEqual(['s3 PutObject s3://data/other/x.csv: no rule matches']);
  });
});

describe('local S3: ListObjectsV2 pages as S3 does', () => {
  const keys = [
    'data/inference/2026-11-21/a.csv',
    'data/inference/2026-11-21/b.csv',
    'data/inference/2026-11-22/c.csv',
    'data/training/2026-11/part-0.csv',
    'data/training/2026-11/part-1.csv',
    'data/training/2026-11/part-2.csv',
    'data/x y+z.csv',
  ];
  let s3: Awaited<ReturnType<typeof localS3>>;
  let client: S3Client;

  beforeAll(async () => {
    s3 = await localS3([{ name: 'data', eventBridgeEnabled: false }], () => []);
    client = s3.client;
    for (const key of keys) {
      await client.send(new PutObjectCommand({ Bucket: 'data', Key: key, Body: key }));
    }
  });
  afterAll(() => s3.close());

  async function allPages(input: { Prefix?: string; Delimiter?: string; MaxKeys?: number }) {
    const pages = [];
    for await (const page of paginateListObjectsV2({ client }, { Bucket: 'data', ...input })) {
      pages.push({
        keys: (page.Contents ?? []).map((object) => object.Key),
        prefixes: (page.CommonPrefixes ?? []).map((prefix) => prefix.Prefix),
        count: page.KeyCount,
      });
    }
    return pages;
  }

  it('MaxKeys smaller than the prefix holds: one object per page, every one once, in order', async () => {
    const pages = await allPages({ Prefix: 'data/training/2026-11', MaxKeys: 1 });
    expect(pages).toEqual([
      { keys: ['data/training/2026-11/part-0.csv'], prefixes: [], count: 1 },
      { keys: ['data/training/2026-11/part-1.csv'], prefixes: [], count: 1 },
      { keys: ['data/training/2026-11/part-2.csv'], prefixes: [], count: 1 },
    ]);
  });

  it('one key of a prefix that holds two says there is more (what onSchedule asks)', async () => {
    const page = await client.send(
      new ListObjectsV2Command({
        Bucket: 'data',
        Prefix: 'data/inference/2026-11-21/',
        MaxKeys: 1,
      }),
    );
    expect(page).toMatchObject({
      KeyCount: 1,
      IsTruncated: true,
      MaxKeys: 1,
      Prefix: 'data/inference/2026-11-21/',
      Contents: [{ Key: 'data/inference/2026-11-21/a.csv', Size: 31, StorageClass: 'STANDARD' }],
    });
    expect(page.NextContinuationToken).toEqual(expect.any(String));
  });

  it('with a delimiter, folders roll up into common prefixes, which MaxKeys counts too', async () => {
    expect(await allPages({ Prefix: 'data/', Delimiter: '/', MaxKeys: 2 })).toEqual([
      { keys: [], prefixes: ['data/inference/', 'data/training/'], count: 2 },
      { keys: ['data/x y+z.csv'], prefixes: [], count: 1 },
    ]);
    expect(await allPages({ Prefix: 'data/inference/', Delimiter: '/', MaxKeys: 1 })).toEqual([
      { keys: [], prefixes: ['data/inference/2026-11-21/'], count: 1 },
      { keys: [], prefixes: ['data/inference/2026-11-22/'], count: 1 },
    ]);
  });

  it('StartAfter, URL encoding of keys on request, and tokens that are not ours', async () => {
    const after = await client.send(
      new ListObjectsV2Command({
        Bucket: 'data',
        Prefix: 'data/',
        StartAfter: 'data/training/2026-11/part-2.csv',
        EncodingType: 'url',
      }),
    );
    expect(after.Contents?.map((object) => object.Key)).toEqual(['data/x+y%2Bz.csv']);
    expect(after.StartAfter).toBe('data/training/2026-11/part-2.csv');
    await expect(
      client.send(new ListObjectsV2Command({ Bucket: 'data', ContinuationToken: 'bm90LW91cnM' })),
    ).rejects.toMatchObject({ name: 'InvalidArgument', $metadata: { httpStatusCode: 400 } });
    await expect(client.send(new ListObjectsV2Command({ Bucket: 'nope' }))).rejects.toMatchObject({
      name: 'NoSuchBucket',
      $metadata: { httpStatusCode: 404 },
    });
  });
});
