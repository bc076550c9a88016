import { MessageAttributeValue, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { ActivityLog } from '../../tooling/local/activity-log';
import { freeLoopbackPort } from '../../tooling/local/loopback-port';
import { type PublishedMessage, startLocalSns } from '../../tooling/local/sns-endpoint';
import type { LocalSubscription } from '../../tooling/local/stack-wiring';

const topicArn = 'arn:aws:sns:eu-west-1:000000000000:mlops-local-notifications';
const subscriptions: LocalSubscription[] = [
  {
    topicArn,
    protocol: 'email',
    endpoint: 'reviewer@mlops.local',
    filterPolicy: { category: ['model-approval', 'drift'] },
    filterPolicyScope: 'MessageAttributes',
  },
  {
    topicArn,
    protocol: 'email',
    endpoint: 'ops@mlops.local',
    filterPolicyScope: 'MessageAttributes',
  },
];

describe('local SNS: Publish over the query protocol with the real SDK', () => {
  const delivered: Array<{ to: string; message: PublishedMessage }> = [];
  const log: ActivityLog = () => undefined;
  let sns: Awaited<ReturnType<typeof startLocalSns>>;
  let client: SNSClient;

  beforeEach(async () => {
    delivered.length = 0;
    sns = await startLocalSns({
      port: await freeLoopbackPort(),
      topics: [{ name: 'mlops-local-notifications', arn: topicArn, displayName: 'MLOps local' }],
      subscriptions,
      deliver: async (subscription, message) => {
        delivered.push({ to: subscription.endpoint, message });
      },
      log,
    });
    client = new SNSClient({ endpoint: sns.url, maxAttempts: 1 });
  });
  afterEach(() => sns.close());

  const category = (value: string): Record<string, MessageAttributeValue> => ({
    category: { DataType: 'String', StringValue: value },
  });

  it('answers with a MessageId and delivers to the subscriptions whose filter policy matches', async () => {
    const { MessageId } = await client.send(
      new PublishCommand({
        TopicArn: topicArn,
        Subject: 'Review model v1',
        Message: 'Please review',
        MessageAttributes: category('model-approval'),
      }),
    );
    expect(MessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(delivered.map((delivery) => delivery.to)).toEqual([
      'reviewer@mlops.local',
      'ops@mlops.local',
    ]);
    expect(delivered[0]?.message).toMatchObject({
      messageId: MessageId,
      subject: 'Review model v1',
      emailText: 'Please review',
      attributes: { category: { DataType: 'String', StringValue: 'model-approval' } },
    });

    delivered.length = 0;
    await client.send(
      new PublishCommand({
        TopicArn: topicArn,
        Message: 'status',
        MessageAttributes: category('pipeline-status'),
      }),
    );
    expect(delivered.map((delivery) => delivery.to)).toEqual(['ops@mlops.local']);
  });

  it('gives e-mail subscribers the email entry of a JSON message structure', async () => {
    await client.send(
      new PublishCommand({
        TopicArn: topicArn,
        MessageStructure: 'json',
        Message: JSON.stringify({ default: 'short', email: 'the long e-mail' }),
      }),
    );
    expect(delivered[0]?.message.emailText).toBe('the long e-mail');
  });

  it.each<[string, Partial<ConstructorParameters<typeof PublishCommand>[0]>, string, string]>([
    [
      'an unknown topic',
      { TopicArn: `${topicArn}-x` },
      'NotFoundException',
      'Topic does not exist',
    ],
    ['an empty message', { Message: '' }, 'InvalidParameterException', 'Empty message'],
    [
      'a subject with a line break',
      { Subject: 'two\nlines' },
      'InvalidParameterException',
      'Invalid parameter: Subject',
    ],
    [
      'a subject of 100 characters',
      { Subject: 's'.repeat(100) },
      'InvalidParameterException',
      'Invalid parameter: Subject',
    ],
    [
      'a message over 256 KiB',
      { Message: 'é'.repeat(131_073) },
      'InvalidParameterException',
      'Message too long',
    ],
    [
      'a JSON structure without default',
      { MessageStructure: 'json', Message: '{"email":"x"}' },
      'InvalidParameterException',
      'No default entry',
    ],
  ])('refuses %s like the service', async (_why, change, name, message) => {
    const publish = client.send(
      new PublishCommand({ TopicArn: topicArn, Message: 'body', ...change }),
    );
    await expect(publish).rejects.toThrow(message);
    await expect(publish).rejects.toHaveProperty('name', name);
    expect(delivered).toEqual([]);
  });
});
