import type { Schedule } from '../functions/config/schedules-config';
import type { EventRule } from './function-declaration';

/**
 * One EventBridge rule per schedule, named `<service>-<stage>-<schedule>` so that onSchedule knows
 * which fired; a schedule switched off has its rule created disabled.
 *
 * @example
 * scheduleRules(schedules).map((rule) => rule.id); // ['ScheduleMonthlyTrainingRule', ...]
 */
export function scheduleRules(schedules: readonly Schedule[]): EventRule[] {
  return schedules.map((schedule) => ({
    id: `Schedule${schedule.name.replace(/(^|-)([a-z0-9])/g, (_, _dash: string, letter: string) => letter.toUpperCase())}Rule`,
    name: schedule.name,
    description: `Schedule ${schedule.name}: starts ${schedule.pipeline} through onSchedule`,
    match: { kind: 'schedule', expression: schedule.expression, enabled: schedule.enabled },
    targetId: 'on-schedule',
  }));
}
