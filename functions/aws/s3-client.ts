import { S3Client } from '@aws-sdk/client-s3';
import { type SdkClientSettings, clientOptions } from './sdk-client-options';

/** `forcePathStyle` lets the same code reach a local S3 (through AWS_ENDPOINT_URL_S3). */
export function createS3Client(settings: SdkClientSettings, forcePathStyle: boolean): S3Client {
  return new S3Client({ ...clientOptions(settings), forcePathStyle });
}
