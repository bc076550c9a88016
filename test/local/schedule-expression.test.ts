import { nextScheduledTime } from '../../tooling/local/schedule-expression';

const after = new Date('2026-11-21T12:00:30Z'); // a Saturday

describe('nextScheduledTime: EventBridge schedule expressions, UTC', () => {
  it.each<[string, string, string]>([
    ['a rate fires one interval later', 'rate(5 minutes)', '2026-11-21T12:05:30.000Z'],
    ['a rate of one unit', 'rate(1 day)', '2026-11-22T12:00:30.000Z'],
    ['every minute', 'cron(* * * * ? *)', '2026-11-21T12:01:00.000Z'],
    ['daily at 05:30', 'cron(30 5 * * ? *)', '2026-11-22T05:30:00.000Z'],
    ['weekdays at 06:00 (MON-FRI by name)', 'cron(0 6 ? * MON-FRI *)', '2026-11-23T06:00:00.000Z'],
    ['day-of-week numbers count from 1 = SUN', 'cron(0 6 ? * 1 *)', '2026-11-22T06:00:00.000Z'],
    ['monthly on the 1st at 03:00', 'cron(0 3 1 * ? *)', '2026-12-01T03:00:00.000Z'],
    ['every 15 minutes', 'cron(0/15 * * * ? *)', '2026-11-21T12:15:00.000Z'],
    ['a list of hours', 'cron(0 8,20 * * ? *)', '2026-11-21T20:00:00.000Z'],
    ['a given year', 'cron(0 0 1 JAN ? 2027)', '2027-01-01T00:00:00.000Z'],
  ])('%s: %s', (_why, expression, expected) => {
    expect(nextScheduledTime(expression, after).toISOString()).toBe(expected);
  });

  it.each<[string, string, string]>([
    ['not a schedule', 'every day', 'is not a rate() or cron() expression'],
    ['five fields', 'cron(0 6 * * ?)', 'a cron expression has 6 fields'],
    ['both day fields given', 'cron(0 6 * * MON *)', 'exactly one of day-of-month and day-of-week'],
    ['an hour out of range', 'cron(0 24 * * ? *)', '"24" is outside 0-23'],
    ['L, W and # (not emulated)', 'cron(0 6 L * ? *)', 'L, W and # are not emulated locally'],
  ])('refuses %s', (_why, expression, message) => {
    expect(() => nextScheduledTime(expression, after)).toThrow(message);
  });
});
