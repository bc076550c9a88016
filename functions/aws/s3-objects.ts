import { GetObjectCommand, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import { s3LocationOf } from './s3-uri';

/** Reports are small; a larger object is not a report and is not read into memory. */
const MAX_REPORT_BYTES = 5 * 1024 * 1024;

/**
 * Reads a JSON object from S3, or undefined when there is none at that URI. Any other failure
 * (access denied, throttling after retries, invalid JSON) is thrown.
 *
 * @example
 * const report = await readJsonObject(s3, 's3://bucket/monitoring/constraint_violations.json');
 */
export async function readJsonObject(client: S3Client, s3Uri: string): Promise<unknown> {
  const { bucket, key } = s3LocationOf(s3Uri);
  let output;
  try {
    output = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  } catch (error) {
    if (error instanceof NoSuchKey) return undefined;
    throw error;
  }
  if ((output.ContentLength ?? 0) > MAX_REPORT_BYTES) {
    throw new Error(`${s3Uri} is ${output.ContentLength} bytes, more than a report can be`);
  }
  const text = (await output.Body?.transformToString('utf8')) ?? '';
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${s3Uri} is not JSON`, { cause: error });
  }
}
