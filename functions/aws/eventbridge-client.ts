import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { type SdkRetrySettings, retryOptions } from './sagemaker-client';

export function createEventBridgeClient(retry: SdkRetrySettings): EventBridgeClient {
  return new EventBridgeClient(retryOptions(retry));
}
