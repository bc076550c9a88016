import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type SdkRetrySettings, retryOptions } from './sagemaker-client';

/** The ledger's client; local mode and tests reach dynalite through AWS_ENDPOINT_URL_DYNAMODB. */
export function createDynamoDbClient(retry: SdkRetrySettings): DynamoDBClient {
  return new DynamoDBClient(retryOptions(retry));
}
