// EventBridge schedule expressions, after the documented syntax ("Setting a schedule pattern for
// scheduled rules", EventBridge User Guide, eb-scheduled-rule-pattern.html), in UTC:
//   rate(<value> <unit>): a positive whole value; minute, hour or day, singular for 1, plural else.
//   cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>):
//     minutes 0-59, hours 0-23, month 1-12 or JAN-DEC, year 1970-2199: , - * /
//     day-of-month 1-31: , - * ? / L W          day-of-week 1-7 or SUN-SAT (1 = SUN): , - * ? L #
//   exactly one of day-of-month and day-of-week is `?`; a day-of-week with `#` holds one expression.
// The package-time configuration check and the local cloud's scheduler share this one parser, so a
// schedule that passes packaging is one the local cloud can fire.

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const MINUTE_MS = 60_000;
const RATE_UNITS_MS: Readonly<Record<string, number>> = {
  minute: MINUTE_MS,
  hour: 60 * MINUTE_MS,
  day: 24 * 60 * MINUTE_MS,
};
// Far enough for any real schedule (a yearly cron on 29 February included).
const SEARCH_LIMIT_MINUTES = 8 * 366 * 24 * 60;

/** A schedule expression EventBridge would reject; the message says what is wrong. */
export class InvalidScheduleExpressionError extends Error {
  override readonly name = 'InvalidScheduleExpressionError';
}

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Names count from 1 (months JAN = 1, weekdays SUN = 1). */
  readonly names?: readonly string[];
}

const FIELDS = {
  minutes: { name: 'minutes', min: 0, max: 59 },
  hours: { name: 'hours', min: 0, max: 23 },
  dayOfMonth: { name: 'day-of-month', min: 1, max: 31 },
  month: { name: 'month', min: 1, max: 12, names: MONTHS },
  dayOfWeek: { name: 'day-of-week', min: 1, max: 7, names: WEEKDAYS },
  year: { name: 'year', min: 1970, max: 2199 },
} as const satisfies Record<string, FieldSpec>;

type DayTest = (time: Date) => boolean;

/** A parsed schedule: a fixed interval, or the minutes a cron matches. */
export type ParsedScheduleExpression =
  | { readonly kind: 'rate'; readonly intervalMs: number }
  | { readonly kind: 'cron'; readonly matches: (time: Date) => boolean };

/**
 * Parses a schedule expression with EventBridge's rules, or throws an
 * InvalidScheduleExpressionError that names the field and what is wrong with it.
 *
 * @example
 * parseScheduleExpression('cron(0 6 ? * MON-FRI *)'); // { kind: 'cron', matches }
 * parseScheduleExpression('cron(0 25 * * ? *)'); // throws: hours "25" is outside 0-23
 */
export function parseScheduleExpression(expression: string): ParsedScheduleExpression {
  const fail = (problem: string): never => {
    throw new InvalidScheduleExpressionError(`${expression}: ${problem}`);
  };
  const rate = /^rate\((.*)\)$/.exec(expression);
  if (rate?.[1] !== undefined) return parseRate(rate[1], fail);
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (cron?.[1] !== undefined) return parseCron(cron[1], fail);
  return fail('is not rate(value unit) or cron(minutes hours day-of-month month day-of-week year)');
}

/** What is wrong with a schedule expression, or undefined when EventBridge accepts it. */
export function scheduleExpressionProblem(expression: string): string | undefined {
  try {
    parseScheduleExpression(expression);
    return undefined;
  } catch (error) {
    if (error instanceof InvalidScheduleExpressionError) return error.message;
    throw error;
  }
}

/**
 * The next time a schedule fires strictly after `after`. A rate fires one interval after `after`;
 * a cron at the next minute it matches.
 *
 * @example
 * nextScheduledTime('cron(0 6 ? * MON-FRI *)', new Date('2026-11-21T12:00:00Z')); // 2026-11-23T06:00:00Z
 */
export function nextScheduledTime(expression: string, after: Date): Date {
  const schedule = parseScheduleExpression(expression);
  if (schedule.kind === 'rate') return new Date(after.getTime() + schedule.intervalMs);
  const start = Math.floor(after.getTime() / MINUTE_MS) + 1;
  for (let minute = start; minute < start + SEARCH_LIMIT_MINUTES; minute += 1) {
    const time = new Date(minute * MINUTE_MS);
    if (schedule.matches(time)) return time;
  }
  throw new InvalidScheduleExpressionError(`${expression}: never fires`);
}

type Fail = (problem: string) => never;

function parseRate(body: string, fail: Fail): ParsedScheduleExpression {
  const [value = '', unit = '', ...rest] = body.trim().split(/\s+/);
  if (rest.length > 0 || unit === '') fail('a rate is "value unit", e.g. rate(5 minutes)');
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    fail(`the rate's value "${value}" must be a positive whole number`);
  }
  const singular = unit.replace(/s$/, '');
  const intervalMs = RATE_UNITS_MS[singular];
  if (intervalMs === undefined)
    fail(`the rate's unit "${unit}" is not minute(s), hour(s) or day(s)`);
  const count = Number(value);
  if (count === 1 && unit !== singular) fail(`a rate of 1 takes the singular unit ${singular}`);
  if (count > 1 && unit === singular) fail(`a rate of ${count} takes the plural unit ${singular}s`);
  return { kind: 'rate', intervalMs: count * (intervalMs ?? 0) };
}

function parseCron(body: string, fail: Fail): ParsedScheduleExpression {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6) {
    fail(
      `a cron expression has 6 fields (minutes hours day-of-month month day-of-week year), this one has ${fields.length}`,
    );
  }
  const [minutes, hours, dayOfMonth, month, dayOfWeek, year] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  for (const [field, spec] of [
    [minutes, FIELDS.minutes],
    [hours, FIELDS.hours],
    [month, FIELDS.month],
    [year, FIELDS.year],
  ] as const) {
    if (/[?#]/.test(field)) fail(`${spec.name} "${field}" may use only , - * /`);
  }
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) {
    fail(
      `exactly one of day-of-month ("${dayOfMonth}") and day-of-week ("${dayOfWeek}") must be "?"`,
    );
  }
  const sets = [
    valueSet(minutes, FIELDS.minutes, fail),
    valueSet(hours, FIELDS.hours, fail),
    valueSet(month, FIELDS.month, fail),
    valueSet(year, FIELDS.year, fail),
  ];
  const day =
    dayOfMonth === '?' ? dayOfWeekTest(dayOfWeek, fail) : dayOfMonthTest(dayOfMonth, fail);
  return {
    kind: 'cron',
    matches: (time) => {
      const values = [
        time.getUTCMinutes(),
        time.getUTCHours(),
        time.getUTCMonth() + 1,
        time.getUTCFullYear(),
      ];
      return sets.every((set, index) => set.has(values[index] as number)) && day(time);
    },
  };
}

function dayOfMonthTest(field: string, fail: Fail): DayTest {
  if (field.includes('#')) fail(`day-of-month "${field}": # belongs to day-of-week`);
  if (field === 'L') return (time) => time.getUTCDate() === daysInMonth(time);
  const weekday = /^(\d+)W$/.exec(field);
  if (weekday?.[1] !== undefined) {
    const day = valueOf(weekday[1], FIELDS.dayOfMonth, fail);
    return (time) => time.getUTCDate() === nearestWeekday(day, time);
  }
  if (/[LW]/.test(field)) {
    fail(`day-of-month "${field}": L and W stand alone (L, or a day such as 15W), not in a list`);
  }
  const days = valueSet(field, FIELDS.dayOfMonth, fail);
  return (time) => days.has(time.getUTCDate());
}

function dayOfWeekTest(field: string, fail: Fail): DayTest {
  const weekdayOf = (time: Date) => time.getUTCDay() + 1;
  if (field.includes('/')) fail(`day-of-week "${field}" may use only , - * ? L #`);
  if (field === 'L') return (time) => weekdayOf(time) === FIELDS.dayOfWeek.max;
  const nth = /^([^#,]+)#(\d+)$/.exec(field);
  if (nth?.[1] !== undefined && nth[2] !== undefined) {
    const weekday = valueOf(nth[1], FIELDS.dayOfWeek, fail);
    const instance = Number(nth[2]);
    if (instance < 1 || instance > 5) fail(`day-of-week "${field}": the instance after # is 1-5`);
    return (time) => weekdayOf(time) === weekday && Math.ceil(time.getUTCDate() / 7) === instance;
  }
  if (field.includes('#')) {
    fail(`day-of-week "${field}": with #, the field holds one expression such as 3#2`);
  }
  const last = /^([^L,]+)L$/.exec(field);
  if (last?.[1] !== undefined) {
    const weekday = valueOf(last[1], FIELDS.dayOfWeek, fail);
    return (time) => weekdayOf(time) === weekday && time.getUTCDate() + 7 > daysInMonth(time);
  }
  if (field.includes('L')) fail(`day-of-week "${field}": L stands alone, or after one day (6L)`);
  const weekdays = valueSet(field, FIELDS.dayOfWeek, fail);
  return (time) => weekdays.has(weekdayOf(time));
}

/** The values of a field made of `*`, values, ranges and increments, separated by commas. */
function valueSet(field: string, spec: FieldSpec, fail: Fail): Set<number> {
  const values = new Set<number>();
  for (const part of field.split(',')) {
    const [range = '', stepText, ...extra] = part.split('/');
    if (extra.length > 0 || range === '') fail(`${spec.name} "${part}" is not a value or range`);
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) {
      fail(`${spec.name} "${part}": the increment after / must be a positive whole number`);
    }
    const [low, high] = bounds(range, spec, stepText !== undefined, fail);
    if (low > high) fail(`${spec.name} "${part}": the range runs backwards`);
    for (let value = low; value <= high; value += step) values.add(value);
  }
  return values;
}

function bounds(range: string, spec: FieldSpec, stepped: boolean, fail: Fail): [number, number] {
  if (range === '*') return [spec.min, spec.max];
  const [low = '', high, ...extra] = range.split('-');
  if (extra.length > 0) fail(`${spec.name} "${range}" is not a value or range`);
  const start = valueOf(low, spec, fail);
  if (high !== undefined) return [start, valueOf(high, spec, fail)];
  // `5/15` runs from 5 to the end of the field in steps of 15.
  return [start, stepped ? spec.max : start];
}

function valueOf(text: string, spec: FieldSpec, fail: Fail): number {
  const named = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0) return named + 1;
  if (!/^\d+$/.test(text)) {
    return fail(
      `${spec.name} "${text}" is not a number${spec.names === undefined ? '' : ` or one of ${spec.names.join(',')}`}`,
    );
  }
  const value = Number(text);
  if (value < spec.min || value > spec.max) {
    fail(`${spec.name} "${text}" is outside ${spec.min}-${spec.max}`);
  }
  return value;
}

function daysInMonth(time: Date): number {
  return new Date(Date.UTC(time.getUTCFullYear(), time.getUTCMonth() + 1, 0)).getUTCDate();
}

/** The weekday nearest to a day of the time's month, never crossing into another month. */
function nearestWeekday(day: number, time: Date): number {
  const last = daysInMonth(time);
  if (day > last) return -1;
  const weekday = new Date(Date.UTC(time.getUTCFullYear(), time.getUTCMonth(), day)).getUTCDay();
  if (weekday === 6) return day === 1 ? 3 : day - 1;
  if (weekday === 0) return day === last ? day - 2 : day + 1;
  return day;
}
