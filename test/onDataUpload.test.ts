import { SageMakerClient, StartPipelineExecutionCommand } from '@aws-sdk/client-sagemaker';
import { BatchWriteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import type { Context } from 'aws-lambda';
import { sampleEvent, testConfig } from './support/upload-fixtures';

const context = {
  functionName: 'mlops-control-plane-test-onDataUpload',
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
  getRemainingTimeInMillis: () => 30_000,
} as unknown as Context;

describe('onDataUpload entry point (middy, Powertools, configuration from the environment)', () => {
  const sageMaker = mockClient(SageMakerClient);
  const dynamoDb = mockClient(DynamoDBClient);
  const eventBridge = mockClient(EventBridgeClient);
  afterAll(() => [sageMaker, dynamoDb, eventBridge].forEach((client) => client.restore()));

  it('parses DATA_UPLOAD_CONFIG at cold start and starts the routed pipeline', async () => {
    process.env.DATA_UPLOAD_CONFIG = JSON.stringify(testConfig);
    process.env.LEDGER_CONFIG = JSON.stringify({ tableName: 'ledger', stage: 'dev' });
    dynamoDb.on(BatchWriteItemCommand).resolves({});
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [] });
    sageMaker
      .on(StartPipelineExecutionCommand)
      .resolves({ PipelineExecutionArn: 'arn:aws:sagemaker:eu-west-1:1:pipeline/p/execution/e' });
    const { handler } = await import('../functions/onDataUpload');
    const response = await handler(sampleEvent('inference-uploads.sqs.json'), context);
    expect(response).toEqual({ batchItemFailures: [] });
    expect(sageMaker).toHaveReceivedCommandTimes(StartPipelineExecutionCommand, 2);
    // The two starts recorded in one write and announced in one call, at the invocation's end.
    expect(dynamoDb).toHaveReceivedCommandTimes(BatchWriteItemCommand, 1);
    expect(eventBridge).toHaveReceivedCommandTimes(PutEventsCommand, 1);
  });

  it('refuses to start with a broken configuration, naming the key', async () => {
    jest.resetModules();
    process.env.DATA_UPLOAD_CONFIG = JSON.stringify({
      routes: [{ ...testConfig.routes[0], pipeline: 'bad_name' }],
    });
    await expect(import('../functions/onDataUpload')).rejects.toThrow('routes[0].pipeline');
  });
});
