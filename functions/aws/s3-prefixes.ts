import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { s3LocationOf } from './s3-uri';

/**
 * Whether anything is stored under an `s3://bucket/prefix`: one ListObjectsV2 call for one key.
 *
 * @example
 * await prefixHoldsObjects(s3, 's3://bucket/data/inference/2026-11-21/'); // true
 */
export async function prefixHoldsObjects(client: S3Client, s3Uri: string): Promise<boolean> {
  const { bucket, key: prefix } = s3LocationOf(s3Uri);
  const output = await client.send(
    new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: 1 }),
  );
  return (output.KeyCount ?? 0) > 0;
}
