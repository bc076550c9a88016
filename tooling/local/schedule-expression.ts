// EventBridge schedule expressions, after the documented syntax ("Schedule expressions for
// rules"): `rate(<value> <unit>)` and `cron(<minutes> <hours> <day-of-month> <month>
// <day-of-week> <year>)` in UTC, day-of-week 1-7 = SUN-SAT, one of the two day fields `?`.

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

interface FieldSpec {
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  /** Names count from this number (months from 1, weekdays from 1 = SUN). */
  readonly firstName?: number;
}

const FIELDS: readonly FieldSpec[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: MONTHS, firstName: 1 },
  { min: 1, max: 7, names: WEEKDAYS, firstName: 1 },
  { min: 1970, max: 2199 },
];

/**
 * The next time a schedule fires strictly after `after`. A rate fires one interval after `after`;
 * a cron at the next minute its fields match. An expression EventBridge would reject, or a cron
 * feature this emulation lacks (`L`, `W`, `#`), is an error that names it.
 *
 * @example
 * nextScheduledTime('cron(0 6 ? * MON-FRI *)', new Date('2026-11-21T12:00:00Z')); // 2026-11-23T06:00:00Z
 */
export function nextScheduledTime(expression: string, after: Date): Date {
  const rate = /^rate\((\d+) (minute|hour|day)s?\)$/.exec(expression);
  if (rate?.[1] !== undefined && rate[2] !== undefined) {
    return new Date(after.getTime() + Number(rate[1]) * (RATE_UNITS_MS[rate[2]] ?? 0));
  }
  const cron = /^cron\((.+)\)$/.exec(expression);
  if (cron?.[1] === undefined)
    throw new Error(`"${expression}" is not a rate() or cron() expression`);
  const fields = cron[1].trim().split(/\s+/);
  if (fields.length !== 6) throw new Error(`"${expression}": a cron expression has 6 fields`);
  const allowed = fields.map((field, index) =>
    allowedValues(field, FIELDS[index] as FieldSpec, expression),
  );
  const [minutes, hours, days, months, weekdays, years] = allowed as Array<Set<number> | 'any'>;
  if ((days === 'any') === (weekdays === 'any')) {
    throw new Error(`"${expression}": exactly one of day-of-month and day-of-week must be "?"`);
  }
  const start = Math.floor(after.getTime() / MINUTE_MS) + 1;
  for (let minute = start; minute < start + SEARCH_LIMIT_MINUTES; minute += 1) {
    const time = new Date(minute * MINUTE_MS);
    const values = [
      time.getUTCMinutes(),
      time.getUTCHours(),
      time.getUTCDate(),
      time.getUTCMonth() + 1,
      time.getUTCDay() + 1,
      time.getUTCFullYear(),
    ];
    const sets = [minutes, hours, days, months, weekdays, years];
    if (sets.every((set, index) => set === 'any' || set?.has(values[index] as number))) return time;
  }
  throw new Error(`"${expression}" never fires`);
}

function allowedValues(field: string, spec: FieldSpec, expression: string): Set<number> | 'any' {
  if (field === '?') return 'any';
  if (/[LW#]/.test(field)) {
    throw new Error(`"${expression}": L, W and # are not emulated locally; fire the rule by hand`);
  }
  const values = new Set<number>();
  for (const part of field.split(',')) {
    const [range = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    const [low, high] =
      range === '*'
        ? [spec.min, spec.max]
        : range.includes('-')
          ? (range.split('-').map((bound) => valueOf(bound, spec, expression)) as [number, number])
          : [
              valueOf(range, spec, expression),
              stepText === undefined ? valueOf(range, spec, expression) : spec.max,
            ];
    if (!(step >= 1) || low > high) throw new Error(`"${expression}": invalid field "${field}"`);
    for (let value = low; value <= high; value += step) values.add(value);
  }
  return values;
}

function valueOf(text: string, spec: FieldSpec, expression: string): number {
  const named = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  const value = named >= 0 ? named + (spec.firstName ?? 0) : Number(text);
  if (!Number.isInteger(value) || value < spec.min || value > spec.max) {
    throw new Error(`"${expression}": "${text}" is outside ${spec.min}-${spec.max}`);
  }
  return value;
}
