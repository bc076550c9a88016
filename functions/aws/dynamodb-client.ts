import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type SdkClientSettings, clientOptions } from './sdk-client-options';

/** The ledger's client; local mode and tests reach dynalite through AWS_ENDPOINT_URL_DYNAMODB. */
export function createDynamoDbClient(settings: SdkClientSettings): DynamoDBClient {
  return new DynamoDBClient(clientOptions(settings));
}
