import { S3Client } from '@aws-sdk/client-s3';
import { type SdkRetrySettings, retryOptions } from './sagemaker-client';

/** `forcePathStyle` lets the same code reach a local S3 (through AWS_ENDPOINT_URL_S3). */
export function createS3Client(retry: SdkRetrySettings, forcePathStyle: boolean): S3Client {
  return new S3Client({ ...retryOptions(retry), forcePathStyle });
}
