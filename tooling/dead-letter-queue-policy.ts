interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

interface RuleTarget {
  readonly DeadLetterConfig?: { readonly Arn?: unknown };
}

/**
 * The policy of a queue that EventBridge rules dead-letter into: exactly the rules of the compiled
 * template whose targets name it as their dead-letter queue may send (`ArnEquals` on each rule's
 * ARN, not a name prefix that another stage's rules could share), and nothing without TLS. Derived
 * from the template, so a rule added later (a schedule, a monitoring group) is let in without
 * anyone listing it.
 *
 * @example
 * Object.assign(resources, deadLetterQueuePolicy(resources, 'NotificationsDeadLetterQueue'));
 */
export function deadLetterQueuePolicy(
  resources: Readonly<Record<string, TemplateResource>>,
  queueId: string,
): Record<string, unknown> {
  if (resources[queueId] === undefined) return {};
  const queueArn = { 'Fn::GetAtt': [queueId, 'Arn'] };
  const senders = Object.entries(resources)
    .filter(
      ([, resource]) =>
        resource.Type === 'AWS::Events::Rule' &&
        ((resource.Properties?.Targets ?? []) as RuleTarget[]).some(
          (target) => JSON.stringify(target.DeadLetterConfig?.Arn) === JSON.stringify(queueArn),
        ),
    )
    .map(([logicalId]) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] }));
  const allowRules =
    senders.length === 0
      ? []
      : [
          {
            Sid: 'OnlyTheRulesThatDeadLetterHereSend',
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Action: 'sqs:SendMessage',
            Resource: queueArn,
            Condition: { ArnEquals: { 'aws:SourceArn': senders } },
          },
        ];
  return {
    [`${queueId}Policy`]: {
      Type: 'AWS::SQS::QueuePolicy',
      Properties: {
        Queues: [{ Ref: queueId }],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            ...allowRules,
            {
              Sid: 'DenyInsecureTransport',
              Effect: 'Deny',
              Principal: '*',
              Action: 'sqs:*',
              Resource: queueArn,
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            },
          ],
        },
      },
    },
  };
}
