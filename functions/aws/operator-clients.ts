import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SQSClient } from '@aws-sdk/client-sqs';
import { STSClient } from '@aws-sdk/client-sts';
import { clientOptions } from './sdk-client-options';

/** Where the clients of a local cloud send their calls, by service. */
export interface LocalServiceEndpoints {
  readonly cloudFormation: string;
  readonly sts: string;
  readonly lambda: string;
  readonly sageMaker: string;
  readonly s3: string;
  readonly sqs: string;
  readonly dynamoDb: string;
  readonly eventBridge: string;
}

export interface OperatorClientSettings {
  readonly region: string;
  /** A local cloud's endpoints and its credentials; AWS (the default credential chain) when absent. */
  readonly local?: {
    readonly endpoints: LocalServiceEndpoints;
    readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  };
}

// An operator waits at a terminal: a few attempts, and calls that end rather than hang.
const OPERATOR_SDK_SETTINGS = {
  maxAttempts: 3,
  retryMode: 'standard',
  connectionTimeoutMs: 3_000,
  requestTimeoutMs: 15_000,
} as const;

/**
 * The SDK clients the operator's CLI acts through, against AWS or a local cloud alike.
 *
 * @example
 * const clients = createOperatorClients({ region: 'eu-west-1' });
 */
export function createOperatorClients(settings: OperatorClientSettings) {
  const common = (service: keyof LocalServiceEndpoints) => ({
    ...clientOptions(OPERATOR_SDK_SETTINGS),
    region: settings.region,
    ...(settings.local === undefined
      ? {}
      : { endpoint: settings.local.endpoints[service], credentials: settings.local.credentials }),
  });
  return {
    cloudFormation: new CloudFormationClient(common('cloudFormation')),
    sts: new STSClient(common('sts')),
    lambda: new LambdaClient(common('lambda')),
    sageMaker: new SageMakerClient(common('sageMaker')),
    s3: new S3Client({ ...common('s3'), forcePathStyle: settings.local !== undefined }),
    sqs: new SQSClient({ ...common('sqs'), useQueueUrlAsEndpoint: false }),
    dynamoDb: new DynamoDBClient(common('dynamoDb')),
    eventBridge: new EventBridgeClient(common('eventBridge')),
  };
}

export type OperatorClients = ReturnType<typeof createOperatorClients>;
