import { SQSClient } from '@aws-sdk/client-sqs';
import { type SdkClientSettings, clientOptions } from './sdk-client-options';

/**
 * The queue URL names the queue and the endpoint says where to send it: in AWS both have the same
 * host, and locally AWS_ENDPOINT_URL_SQS points at the local queues while URLs keep AWS's form.
 */
export function createSqsClient(settings: SdkClientSettings): SQSClient {
  return new SQSClient({ ...clientOptions(settings), useQueueUrlAsEndpoint: false });
}
