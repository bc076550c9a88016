import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { type SdkClientSettings, clientOptions } from './sdk-client-options';

export function createEventBridgeClient(settings: SdkClientSettings): EventBridgeClient {
  return new EventBridgeClient(clientOptions(settings));
}
