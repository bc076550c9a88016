import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import type { Context } from 'aws-lambda';
import { notificationTopic } from '../functions/runtime/notification-runtime';
import { notifyConfig } from './support/notification-fixtures';
import { sampleEvent } from './support/upload-fixtures';

const context = {
  functionName: 'mlops-control-plane-dev-onModelPackageStateChange',
  invokedFunctionArn:
    'arn:aws:lambda:eu-west-1:123456789012:function:mlops-control-plane-dev-onModelPackageStateChange',
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
  getRemainingTimeInMillis: () => 30_000,
} as unknown as Context;

describe('notification entry points (middy, configuration from the environment)', () => {
  const sns = mockClient(SNSClient);
  const sageMaker = mockClient(SageMakerClient);
  afterAll(() => {
    sns.restore();
    sageMaker.restore();
  });

  it('publish to the topic named in the environment, in the function’s own account and region', async () => {
    process.env.NOTIFY_CONFIG = JSON.stringify({
      ...notifyConfig,
      approval: { startBatchInference: false },
    });
    process.env.NOTIFICATIONS_TOPIC_NAME = 'mlops-control-plane-dev-notifications';
    delete process.env.NOTIFICATIONS_TOPIC_ARN;
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
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
