import { BatchWriteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  ResourceLimitExceeded,
  SageMakerClient,
  StartPipelineExecutionCommand,
} from '@aws-sdk/client-sagemaker';
import { SQSClient, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { lambdaContext } from './support/lambda-context';
import { sampleEvent, testConfig } from './support/upload-fixtures';

const QUEUES =
  'https://sqs.eu-west-1.amazonaws.com/123456789012/mlops-control-plane-test-data-upload';

describe('onDataUpload entry point (middy, Powertools, configuration from the environment)', () => {
  const sageMaker = mockClient(SageMakerClient);
  const sqs = mockClient(SQSClient);
  const dynamoDb = mockClient(DynamoDBClient);
  const eventBridge = mockClient(EventBridgeClient);
  afterAll(() => [sageMaker, sqs, dynamoDb, eventBridge].forEach((client) => client.restore()));
  beforeEach(() => {
    process.env.DATA_UPLOAD_CONFIG = JSON.stringify(testConfig);
    process.env.LEDGER_CONFIG = JSON.stringify({ tableName: 'ledger', stage: 'dev' });
    process.env.UPLOAD_BUFFER_URL = `${QUEUES}-buffer`;
    process.env.UPLOAD_DEAD_LETTER_QUEUE_URL = `${QUEUES}-dlq`;
    dynamoDb.on(BatchWriteItemCommand).resolves({});
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [] });
  });

  it('parses its configuration at cold start, starts the routed pipeline and records it', async () => {
    sageMaker
      .on(StartPipelineExecutionCommand)
      .resolves({ PipelineExecutionArn: 'arn:aws:sagemaker:eu-west-1:1:pipeline/p/execution/e' });
    const { handler } = await import('../functions/onDataUpload');
    const response = await handler(
      sampleEvent('inference-uploads.sqs.json'),
      lambdaContext(() => 30_000),
    );
    expect(response).toEqual({ batchItemFailures: [] });
    expect(sageMaker).toHaveReceivedCommandTimes(StartPipelineExecutionCommand, 2);
    // The two starts recorded in one write and announced in one call, at the invocation's end.
    expect(dynamoDb).toHaveReceivedCommandTimes(BatchWriteItemCommand, 1);
    expect(eventBridge).toHaveReceivedCommandTimes(PutEventsCommand, 1);
  });

  it('hands a notification refused for a quota back to the buffer named in its environment', async () => {
    sageMaker.reset();
    sageMaker
      .on(StartPipelineExecutionCommand)
      .rejects(new ResourceLimitExceeded({ message: 'Too many executions', $metadata: {} }));
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const { handler } = await import('../functions/onDataUpload');
    const response = await handler(
      sampleEvent('inference-uploads.sqs.json'),
      lambdaContext(() => 30_000),
    );
    expect(response).toEqual({ batchItemFailures: [] });
    expect(sqs).toHaveReceivedCommandWith(SendMessageBatchCommand, {
      QueueUrl: `${QUEUES}-buffer`,
      Entries: expect.arrayContaining([expect.objectContaining({ DelaySeconds: 60 })]),
    });
  });

  it('refuses to start with a broken configuration, naming the key', async () => {
    jest.resetModules();
    process.env.DATA_UPLOAD_CONFIG = JSON.stringify({
      routes: [{ ...testConfig.routes[0], pipeline: 'bad_name' }],
    });
    await expect(import('../functions/onDataUpload')).rejects.toThrow('routes[0].pipeline');
  });

  it('refuses to start without the queues it hands notifications back to, naming the variable', async () => {
    jest.resetModules();
    delete process.env.UPLOAD_DEAD_LETTER_QUEUE_URL;
    await expect(import('../functions/onDataUpload')).rejects.toThrow(
      'Environment variable UPLOAD_DEAD_LETTER_QUEUE_URL is not set',
    );
  });
});
