import { SNSClient } from '@aws-sdk/client-sns';
import { type SdkClientSettings, clientOptions } from './sdk-client-options';

export function createSnsClient(settings: SdkClientSettings): SNSClient {
  return new SNSClient(clientOptions(settings));
}
