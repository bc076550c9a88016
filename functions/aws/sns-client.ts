import { SNSClient } from '@aws-sdk/client-sns';
import { type SdkRetrySettings, retryOptions } from './sagemaker-client';

export function createSnsClient(retry: SdkRetrySettings): SNSClient {
  return new SNSClient(retryOptions(retry));
}
