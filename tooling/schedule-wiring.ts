import type { Schedule } from '../functions/config/schedules-config';
import type { StackPipelines } from './deployment-config';

/** What onSchedule reads at cold start (scheduleFunctionConfigSchema). */
export function scheduleFunctionConfig(
  schedules: readonly Schedule[],
  names: {
    stage: string;
    pipelines: StackPipelines;
    modelPackageGroup: string;
    ruleNamePrefix: string;
  },
): Record<string, unknown> {
  return { schedules, ...names };
}

/**
 * One EventBridge rule per schedule, named `<prefix><schedule>` so that onSchedule knows which fired,
 * each with a retry policy, the notifications dead-letter queue, and leave to invoke onSchedule.
 */
export function scheduleRuleResources(
  schedules: readonly Schedule[],
  ruleNamePrefix: string,
): Record<string, unknown> {
  return Object.fromEntries(
    schedules.flatMap((schedule) => {
      const id = `Schedule${schedule.name.replace(/(^|-)([a-z0-9])/g, (_, _dash: string, letter: string) => letter.toUpperCase())}Rule`;
      return [
        [
          id,
          {
            Type: 'AWS::Events::Rule',
            Properties: {
              Name: `${ruleNamePrefix}${schedule.name}`,
              Description: `Schedule ${schedule.name}: starts ${schedule.pipeline} through onSchedule`,
              ScheduleExpression: schedule.expression,
              State: schedule.enabled ? 'ENABLED' : 'DISABLED',
              Targets: [
                {
                  Id: 'on-schedule',
                  Arn: { 'Fn::GetAtt': ['OnScheduleLambdaFunction', 'Arn'] },
                  RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 },
                  DeadLetterConfig: {
                    Arn: { 'Fn::GetAtt': ['NotificationsDeadLetterQueue', 'Arn'] },
                  },
                },
              ],
            },
          },
        ],
        [
          `${id}InvokesFunction`,
          {
            Type: 'AWS::Lambda::Permission',
            Properties: {
              Action: 'lambda:InvokeFunction',
              FunctionName: { 'Fn::GetAtt': ['OnScheduleLambdaFunction', 'Arn'] },
              Principal: 'events.amazonaws.com',
              SourceArn: { 'Fn::GetAtt': [id, 'Arn'] },
            },
          },
        ],
      ];
    }),
  );
}
