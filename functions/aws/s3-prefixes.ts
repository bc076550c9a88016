import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';

/**
 * Whether anything is stored under an `s3://bucket/prefix`: one ListObjectsV2 call for one key.
 *
 * @example
 * await prefixHoldsObjects(s3, 's3://bucket/data/inference/2026-11-21/'); // true
 */
export async function prefixHoldsObjects(client: S3Client, s3Uri: string): Promise<boolean> {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(s3Uri);
  if (match === null) throw new Error(`Not an S3 URI: ${s3Uri}`);
  const [, bucket, prefix] = match;
  const output = await client.send(
    new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: 1 }),
  );
  return (output.KeyCount ?? 0) > 0;
}
