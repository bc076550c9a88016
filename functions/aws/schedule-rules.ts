import {
  DescribeRuleCommand,
  DisableRuleCommand,
  EnableRuleCommand,
  type EventBridgeClient,
} from '@aws-sdk/client-eventbridge';

/** A rule's current state, as DescribeRule reports it. */
export interface RuleState {
  readonly name: string;
  readonly arn: string;
  readonly enabled: boolean;
  readonly scheduleExpression: string | undefined;
}

/**
 * Reads a rule's state on the default bus.
 *
 * @example
 * const { enabled } = await describeRuleState(client, 'mlops-control-plane-prod-daily-scoring');
 */
export async function describeRuleState(
  client: EventBridgeClient,
  ruleName: string,
): Promise<RuleState> {
  const output = await client.send(new DescribeRuleCommand({ Name: ruleName }));
  return {
    name: ruleName,
    arn: output.Arn ?? '',
    enabled: output.State === 'ENABLED',
    scheduleExpression: output.ScheduleExpression,
  };
}

/**
 * Enables or disables a rule (EnableRule/DisableRule); both are idempotent in EventBridge.
 *
 * @example
 * await setRuleEnabled(client, 'mlops-control-plane-prod-daily-scoring', false);
 */
export async function setRuleEnabled(
  client: EventBridgeClient,
  ruleName: string,
  enabled: boolean,
): Promise<void> {
  await client.send(
    enabled
      ? new EnableRuleCommand({ Name: ruleName })
      : new DisableRuleCommand({ Name: ruleName }),
  );
}
