import { SageMakerClient } from '@aws-sdk/client-sagemaker';

export interface SdkRetrySettings {
  readonly maxAttempts: number;
  readonly retryMode: 'standard' | 'adaptive';
}

/**
 * The SDK retries throttling, 5xx and network errors itself with back-off (and, in `adaptive` mode,
 * client-side rate limiting); whatever still fails is ours to surface.
 */
export function createSageMakerClient(retry: SdkRetrySettings): SageMakerClient {
  return new SageMakerClient(retryOptions(retry));
}

export function retryOptions(retry: SdkRetrySettings): SdkRetrySettings {
  return { maxAttempts: retry.maxAttempts, retryMode: retry.retryMode };
}
