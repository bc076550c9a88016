import type { Schedule } from '../config/schedules-config';
import { describeRuleState, setRuleEnabled } from '../aws/schedule-rules';
import { nextScheduledTime } from '../core/schedule-expression';
import { type CommandOutput, renderTable } from './command-output';
import { UsageError } from './operator-errors';
import type { StackContext } from './stack-context';

export type SchedulesVerb = 'list' | 'pause' | 'resume';

/** A schedule as `mlops schedules` shows it. */
export interface ScheduleState {
  readonly name: string;
  readonly rule: string;
  readonly expression: string;
  readonly pipeline: string;
  readonly enabled: boolean;
  /** The next tick, when the rule is enabled. */
  readonly nextFireTime: string | undefined;
}

const REDEPLOY_WARNING =
  'A redeploy restores the configured state: deploy with --param="schedulesEnabled=false" to keep schedules paused.';

/**
 * Each schedule's rule state (DescribeRule) and, when enabled, its next tick after `now`.
 *
 * @example
 * const states = await readScheduleStates(stack, config.ruleNamePrefix, config.schedules, new Date());
 */
export function readScheduleStates(
  stack: StackContext,
  ruleNamePrefix: string,
  schedules: readonly Schedule[],
  now: Date,
): Promise<ScheduleState[]> {
  return Promise.all(
    schedules.map(async (schedule) => {
      const rule = await describeRuleState(
        stack.clients.eventBridge,
        `${ruleNamePrefix}${schedule.name}`,
      );
      return {
        name: schedule.name,
        rule: rule.name,
        expression: schedule.expression,
        pipeline: schedule.pipeline,
        enabled: rule.enabled,
        nextFireTime: rule.enabled
          ? nextScheduledTime(schedule.expression, now).toISOString()
          : undefined,
      };
    }),
  );
}

/**
 * `mlops schedules list|pause|resume [name]`: the stack's schedule rules (from the deployed
 * onSchedule configuration, so no other rule of the account is touched), disabled or enabled with
 * DisableRule/EnableRule, then listed with their state and next fire time.
 */
export async function schedulesCommand(
  stack: StackContext,
  verb: SchedulesVerb,
  name: string | undefined,
  now = new Date(),
): Promise<CommandOutput> {
  const config = await stack.scheduleConfig();
  const ruleOf = (schedule: Schedule) => `${config.ruleNamePrefix}${schedule.name}`;
  const chosen =
    name === undefined ? config.schedules : config.schedules.filter((s) => s.name === name);
  if (chosen.length === 0) {
    throw new UsageError(
      name === undefined
        ? `Stack ${stack.stackName} has no schedules.`
        : `No schedule ${name} in stack ${stack.stackName}: the schedules are ${config.schedules.map((s) => s.name).join(', ') || 'none'}.`,
    );
  }
  if (verb !== 'list') {
    for (const schedule of chosen) {
      await setRuleEnabled(stack.clients.eventBridge, ruleOf(schedule), verb === 'resume');
    }
  }
  const states = await readScheduleStates(stack, config.ruleNamePrefix, chosen, now);
  const warning = verb === 'list' ? [] : [REDEPLOY_WARNING];
  return {
    data: { schedules: states, ...(warning.length === 0 ? {} : { warning: warning[0] }) },
    text: [
      renderTable(
        [
          'schedule',
          'state',
          'expression (UTC)',
          'pipeline',
          'next fire (UTC)',
          'next fire (local)',
        ],
        states.map((state) => [
          state.name,
          state.enabled ? 'enabled' : 'paused',
          state.expression,
          state.pipeline,
          state.nextFireTime ?? '-',
          state.nextFireTime === undefined
            ? '-'
            : new Date(state.nextFireTime).toString().slice(0, 24),
        ]),
      ),
      ...warning,
    ].join('\n'),
  };
}
