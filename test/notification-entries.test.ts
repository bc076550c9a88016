import {
  ListModelPackagesCommand,
  ListPipelineExecutionsCommand,
  SageMakerClient,
  StartPipelineExecutionCommand,
} from '@aws-sdk/client-sagemaker';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import type { Context } from 'aws-lambda';
import { notificationTopic } from '../functions/runtime/notification-runtime';
import { monitoringConfig } from './support/monitoring-fixtures';
import { notifyConfig } from './support/notification-fixtures';
import { scheduleConfig } from './support/schedule-fixtures';
import { sampleEvent } from './support/upload-fixtures';

const context = {
  functionName: 'mlops-control-plane-dev-onModelPackageStateChange',
  invokedFunctionArn:
    'arn:aws:lambda:eu-west-1:123456789012:function:mlops-control-plane-dev-onModelPackageStateChange',
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
  getRemainingTimeInMillis: () => 30_000,
} as unknown as Context;

// One stub per client for the whole file: each entry module is imported once and keeps its clients.
const sageMaker = mockClient(SageMakerClient);
const sns = mockClient(SNSClient);
const s3 = mockClient(S3Client);
const dynamoDb = mockClient(DynamoDBClient);
const eventBridge = mockClient(EventBridgeClient);
beforeEach(() => {
  process.env.LEDGER_CONFIG = JSON.stringify({ tableName: 'ledger', stage: 'dev' });
  // The ledger answers every call: no idempotency record yet, every record written.
  dynamoDb.onAnyCommand().resolves({});
  eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [] });
  process.env.NOTIFICATIONS_TOPIC_NAME = 'mlops-control-plane-dev-notifications';
  delete process.env.NOTIFICATIONS_TOPIC_ARN;
  sageMaker.on(ListPipelineExecutionsCommand).resolves({ PipelineExecutionSummaries: [] });
  sageMaker
    .on(StartPipelineExecutionCommand)
    .resolves({ PipelineExecutionArn: 'arn:aws:sagemaker:eu-west-1:1:pipeline/p/execution/e' });
  sageMaker.on(ListModelPackagesCommand).resolves({ ModelPackageSummaryList: [] });
  sns.on(PublishCommand).resolves({ MessageId: 'm' });
  s3.on(ListObjectsV2Command).resolves({ KeyCount: 1 });
});
afterEach(() => {
  sageMaker.reset();
  sns.reset();
  s3.reset();
});
afterAll(() => {
  sageMaker.restore();
  sns.restore();
  s3.restore();
});

describe('notification entry points (middy, configuration from the environment)', () => {
  it('publish to the topic named in the environment, in the function’s own account and region', async () => {
    process.env.NOTIFY_CONFIG = JSON.stringify({
      ...notifyConfig,
      approval: { startBatchInference: false },
    });
    const { handler } = await import('../functions/onModelPackageStateChange');
    await expect(handler(sampleEvent('model-package-rejected.json'), context)).resolves.toEqual({
      published: 1,
    });
    expect(sns).toHaveReceivedCommandWith(PublishCommand, {
      TopicArn: 'arn:aws:sns:eu-west-1:123456789012:mlops-control-plane-dev-notifications',
    });
    expect(sageMaker.calls()).toHaveLength(0);
  });
});

describe('retraining and schedule entry points', () => {
  it('onMonitoringViolation: a violation starts the retune through the guards', async () => {
    process.env.NOTIFY_CONFIG = JSON.stringify(monitoringConfig);
    const { handler } = await import('../functions/onMonitoringViolation');
    await expect(
      handler(sampleEvent('pipeline-step-model-quality-violation.json'), context),
    ).resolves.toMatchObject({ outcome: 'started' });
    expect(sageMaker).toHaveReceivedCommandWith(ListPipelineExecutionsCommand, {
      PipelineName: 'mlops-control-plane-dev-training-hpo',
      SortBy: 'CreationTime',
      SortOrder: 'Descending',
      MaxResults: 100,
    });
    expect(sageMaker).toHaveReceivedCommandTimes(StartPipelineExecutionCommand, 1);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
  });

  it('onSchedule: no approved model yet, so the daily scoring is skipped with an e-mail', async () => {
    process.env.NOTIFY_CONFIG = JSON.stringify(scheduleConfig);
    const { handler } = await import('../functions/onSchedule');
    await expect(handler(sampleEvent('schedule-daily-scoring.json'), context)).resolves.toEqual({
      outcome: 'skipped',
    });
    expect(sageMaker).toHaveReceivedCommandWith(ListModelPackagesCommand, {
      ModelPackageGroupName: 'mlops-control-plane-dev-models',
      ModelApprovalStatus: 'Approved',
      SortOrder: 'Descending',
      MaxResults: 1,
    });
    expect(s3).toHaveReceivedCommandWith(ListObjectsV2Command, {
      Bucket: 'bucket',
      Prefix: 'data/inference/2026-11-21/',
      MaxKeys: 1,
    });
    expect(sageMaker).toHaveReceivedCommandTimes(StartPipelineExecutionCommand, 0);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
  });
});

describe('notificationTopic', () => {
  it('an ARN given outright wins (local runs)', () => {
    const topic = notificationTopic('t', 'arn:aws:sns:eu-west-1:000000000000:local-topic');
    topic.learnFrom({ invokedFunctionArn: 'arn:aws-cn:lambda:cn-north-1:123456789012:function:f' });
    expect(topic.arn()).toBe('arn:aws:sns:eu-west-1:000000000000:local-topic');
  });

  it('otherwise follows the function’s partition, region and account', () => {
    const topic = notificationTopic('t', undefined);
    topic.learnFrom({
      invokedFunctionArn: 'arn:aws-cn:lambda:cn-north-1:123456789012:function:f:live',
    });
    expect(topic.arn()).toBe('arn:aws-cn:sns:cn-north-1:123456789012:t');
  });

  it('says what to set when neither is known', () => {
    const topic = notificationTopic('t', undefined);
    topic.learnFrom({});
    expect(() => topic.arn()).toThrow('set NOTIFICATIONS_TOPIC_ARN outside Lambda');
  });
});
