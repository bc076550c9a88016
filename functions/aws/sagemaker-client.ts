import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { type SdkClientSettings, clientOptions } from './sdk-client-options';

/**
 * The SDK retries throttling, 5xx, timeouts and network errors itself with back-off (and, in
 * `adaptive` mode, client-side rate limiting); whatever still fails is ours to surface.
 */
export function createSageMakerClient(settings: SdkClientSettings): SageMakerClient {
  return new SageMakerClient(clientOptions(settings));
}
