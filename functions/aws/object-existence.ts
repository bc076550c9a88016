import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';

/**
 * Whether an object exists (HeadObject); a missing one is an answer, any other failure an error.
 *
 * @example
 * await objectExists(client, 'my-bucket', 'data/inference/incoming/x.csv');
 */
export async function objectExists(
  client: S3Client,
  bucket: string,
  key: string,
): Promise<boolean> {
  try {
    await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (error) {
    if ((error as Error).name === 'NotFound' || (error as Error).name === 'NoSuchKey') return false;
    throw error;
  }
}
