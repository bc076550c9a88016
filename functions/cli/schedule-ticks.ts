import { nextScheduledTime, parseScheduleExpression } from '../core/schedule-expression';

const DAY_MS = 86_400_000;
/** More ticks than this in one backfill is a mistake in the range, not a backfill. */
export const MAX_BACKFILL_TICKS = 1000;

/**
 * A calendar day `YYYY-MM-DD` (UTC) as the time it starts; a day that does not exist
 * (2026-02-29, 2026-13-01) is not one.
 *
 * @example
 * parseDay('2028-02-29'); // 2028-02-29T00:00:00.000Z
 * parseDay('2027-02-29'); // undefined
 */
export function parseDay(text: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined;
  const day = new Date(`${text}T00:00:00Z`);
  if (Number.isNaN(day.getTime())) return undefined;
  return day.toISOString().slice(0, 10) === text ? day : undefined;
}

/**
 * Every time a cron schedule fired, or would have, from the start of `from` to the end of `to`
 * (UTC days, both included), in order: the ticks a backfill replays. A rate schedule has no fixed
 * ticks (it counts from when its rule was created), so it is refused, as is a range that is upside
 * down or holds more than MAX_BACKFILL_TICKS ticks.
 *
 * @example
 * scheduleTicks('cron(0 6 * * ? *)', parseDay('2026-11-18')!, parseDay('2026-11-22')!);
 * // five ticks, 2026-11-18T06:00Z to 2026-11-22T06:00Z
 */
export function scheduleTicks(
  expression: string,
  from: Date,
  to: Date,
): Date[] | { problem: string } {
  if (parseScheduleExpression(expression).kind === 'rate') {
    return {
      problem: `${expression} has no fixed ticks to backfill (a rate counts from when its rule was created)`,
    };
  }
  if (to.getTime() < from.getTime()) return { problem: 'the range ends before it starts' };
  const end = to.getTime() + DAY_MS;
  const ticks: Date[] = [];
  for (
    let tick = nextScheduledTime(expression, new Date(from.getTime() - 1));
    tick.getTime() < end;
    tick = nextScheduledTime(expression, tick)
  ) {
    if (ticks.length === MAX_BACKFILL_TICKS) {
      return {
        problem: `the range holds more than ${MAX_BACKFILL_TICKS} ticks; backfill it in parts`,
      };
    }
    ticks.push(tick);
  }
  return ticks;
}
