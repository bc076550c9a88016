import { type PackagedTemplate, packagedTemplate } from '../support/serverless-package';

function resourcesOfType(template: PackagedTemplate, type: string) {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}

describe('security of the packaged stack', () => {
  const dev = packagedTemplate('dev');

  it('the data bucket blocks public access, is encrypted, versioned and sends events to EventBridge', () => {
    expect(dev.Resources.DataBucket?.Properties).toMatchObject({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
        ],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
    });
  });

  it('the data bucket accepts TLS only, and is kept when the stack goes', () => {
    const statements = (
      dev.Resources.DataBucketPolicy?.Properties.PolicyDocument as { Statement: unknown[] }
    ).Statement;
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
    expect(dev.Resources.DataBucket).toMatchObject({
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  it('every SNS topic is encrypted with the stack key, which rotates', () => {
    const topics = resourcesOfType(dev, 'AWS::SNS::Topic');
    expect(topics.length).toBeGreaterThanOrEqual(2);
    for (const [, topic] of topics) {
      expect(topic.Properties.KmsMasterKeyId).toEqual({ Ref: 'NotificationsKey' });
    }
    expect(dev.Resources.NotificationsKey?.Properties.EnableKeyRotation).toBe(true);
  });

  it('every SQS queue is encrypted, and every queue that is not a DLQ redrives to one', () => {
    for (const [id, queue] of resourcesOfType(dev, 'AWS::SQS::Queue')) {
      expect({ id, sse: queue.Properties.SqsManagedSseEnabled }).toEqual({ id, sse: true });
      if (!id.endsWith('DeadLetterQueue')) {
        expect(queue.Properties.RedrivePolicy).toMatchObject({
          deadLetterTargetArn: { 'Fn::GetAtt': [expect.stringMatching(/DeadLetterQueue$/), 'Arn'] },
        });
      }
    }
  });

  it('every EventBridge rule target has a retry policy and a dead-letter queue', () => {
    const rules = resourcesOfType(dev, 'AWS::Events::Rule');
    expect(rules.length).toBeGreaterThanOrEqual(1);
    for (const [, rule] of rules) {
      for (const target of rule.Properties.Targets as Array<Record<string, unknown>>) {
        expect(target).toMatchObject({
          RetryPolicy: expect.any(Object),
          DeadLetterConfig: {
            Arn: { 'Fn::GetAtt': [expect.stringMatching(/DeadLetterQueue$/), 'Arn'] },
          },
        });
      }
    }
  });

  it('every function and every dead-letter queue has an alarm that notifies the ops topic', () => {
    const alarms = resourcesOfType(dev, 'AWS::CloudWatch::Alarm').map(
      ([, alarm]) => alarm.Properties,
    );
    const watched = alarms.map((alarm) => JSON.stringify((alarm.Dimensions as unknown[])[0]));
    for (const [id] of resourcesOfType(dev, 'AWS::Lambda::Function')) {
      expect(watched).toContain(JSON.stringify({ Name: 'FunctionName', Value: { Ref: id } }));
    }
    for (const [id] of resourcesOfType(dev, 'AWS::SQS::Queue').filter(([id]) =>
      id.endsWith('DeadLetterQueue'),
    )) {
      expect(watched).toContain(
        JSON.stringify({ Name: 'QueueName', Value: { 'Fn::GetAtt': [id, 'QueueName'] } }),
      );
    }
    for (const alarm of alarms) {
      expect(alarm.AlarmActions).toEqual([{ Ref: 'OpsAlarmsTopic' }]);
    }
  });
});
