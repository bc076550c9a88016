import { deadLetterQueuePolicy } from '../../tooling/dead-letter-queue-policy';

const rule = (deadLetterQueue: string) => ({
  Type: 'AWS::Events::Rule',
  Properties: {
    Targets: [
      { Id: 't', Arn: 'x', DeadLetterConfig: { Arn: { 'Fn::GetAtt': [deadLetterQueue, 'Arn'] } } },
    ],
  },
});

describe('deadLetterQueuePolicy: exactly the rules that dead-letter into the queue may send', () => {
  it('lists the rules whose targets name the queue, and no other', () => {
    const policy = deadLetterQueuePolicy(
      {
        Dlq: { Type: 'AWS::SQS::Queue' },
        OtherDlq: { Type: 'AWS::SQS::Queue' },
        ARule: rule('Dlq'),
        BRule: rule('OtherDlq'),
        CRule: rule('Dlq'),
      },
      'Dlq',
    ) as { DlqPolicy: { Properties: { PolicyDocument: { Statement: unknown[] } } } };
    expect(policy.DlqPolicy.Properties.PolicyDocument.Statement[0]).toMatchObject({
      Condition: {
        ArnEquals: {
          'aws:SourceArn': [{ 'Fn::GetAtt': ['ARule', 'Arn'] }, { 'Fn::GetAtt': ['CRule', 'Arn'] }],
        },
      },
    });
  });

  it('admits nobody when no rule dead-letters there, and needs the queue to exist', () => {
    const policy = deadLetterQueuePolicy({ Dlq: { Type: 'AWS::SQS::Queue' } }, 'Dlq') as {
      DlqPolicy: { Properties: { PolicyDocument: { Statement: Array<{ Effect: string }> } } };
    };
    expect(policy.DlqPolicy.Properties.PolicyDocument.Statement.map((s) => s.Effect)).toEqual([
      'Deny',
    ]);
    expect(deadLetterQueuePolicy({}, 'Dlq')).toEqual({});
  });
});
