import {
  nextScheduledTime,
  scheduleExpressionProblem,
} from '../../functions/core/schedule-expression';

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
    ['the last day of the month (L)', 'cron(0 9 L * ? *)', '2026-11-30T09:00:00.000Z'],
    [
      'the last day of February in a leap year',
      'cron(0 9 L FEB ? 2028)',
      '2028-02-29T09:00:00.000Z',
    ],
    // 1 May 2027 is a Saturday: the nearest weekday within the month is Monday the 3rd.
    ['1W on a Saturday moves forward', 'cron(0 9 1W MAY ? 2027)', '2027-05-03T09:00:00.000Z'],
    // 15 August 2027 is a Sunday: the nearest weekday is Monday the 16th.
    ['15W on a Sunday moves to Monday', 'cron(0 9 15W AUG ? 2027)', '2027-08-16T09:00:00.000Z'],
    // 31 October 2027 is a Sunday and the month's last day: back to Friday the 29th.
    ['31W on a last-day Sunday moves back', 'cron(0 9 31W OCT ? 2027)', '2027-10-29T09:00:00.000Z'],
    ['the second Tuesday (3#2)', 'cron(0 9 ? * 3#2 *)', '2026-12-08T09:00:00.000Z'],
    ['the last Friday (6L)', 'cron(0 9 ? * 6L *)', '2026-11-27T09:00:00.000Z'],
    ['the last day of the week (L = SAT)', 'cron(0 13 ? * L *)', '2026-11-21T13:00:00.000Z'],
  ])('%s: %s', (_why, expression, expected) => {
    expect(nextScheduledTime(expression, after).toISOString()).toBe(expected);
  });

  it('says so when an expression can never fire', () => {
    expect(() => nextScheduledTime('cron(0 0 1 1 ? 2020)', after)).toThrow(
      'cron(0 0 1 1 ? 2020): never fires',
    );
  });
});

describe('scheduleExpressionProblem: what EventBridge would reject, and why', () => {
  it.each([
    'rate(1 minute)',
    'rate(15 minutes)',
    'rate(1 hour)',
    'rate(7 days)',
    'cron(0 12 1 * ? *)',
    'cron(0 6 * * ? *)',
    'cron(0/5 8-17 ? * MON-FRI *)',
    'cron(15 10 ? * 6L 2026-2030)',
    'cron(0 9 ? * 2#1 *)',
    'cron(0 9 L * ? *)',
    'cron(0 9 15W * ? *)',
    'cron(0 18 ? JAN,JUL,DEC 1 *)',
    'cron(0 0 1 */3 ? *)',
  ])('accepts %s', (expression) => {
    expect(scheduleExpressionProblem(expression)).toBeUndefined();
  });

  it.each<[string, string, string]>([
    ['not a schedule', 'every day', 'is not rate(value unit) or cron('],
    ['five fields (Unix cron)', 'cron(0 6 * * *)', 'a cron expression has 6 fields'],
    ['seven fields (seconds)', 'cron(0 0 6 * * ? *)', 'this one has 7'],
    ['an hour out of range', 'cron(0 25 * * ? *)', 'hours "25" is outside 0-23'],
    ['a minute out of range', 'cron(60 6 * * ? *)', 'minutes "60" is outside 0-59'],
    ['day-of-month 0', 'cron(0 6 0 * ? *)', 'day-of-month "0" is outside 1-31'],
    ['month 13', 'cron(0 6 1 13 ? *)', 'month "13" is outside 1-12'],
    ['an unknown month name', 'cron(0 6 1 JNU ? *)', 'month "JNU" is not a number or one of JAN'],
    ['day-of-week 8', 'cron(0 6 ? * 8 *)', 'day-of-week "8" is outside 1-7'],
    ['a year before 1970', 'cron(0 6 1 1 ? 1969)', 'year "1969" is outside 1970-2199'],
    [
      'both day fields given',
      'cron(0 6 * * MON *)',
      'exactly one of day-of-month ("*") and day-of-week ("MON") must be "?"',
    ],
    ['both day fields ?', 'cron(0 6 ? * ? *)', 'exactly one of day-of-month'],
    ['? in the hours', 'cron(0 ? * * ? *)', 'hours "?" may use only , - * /'],
    ['a backwards range', 'cron(0 17-8 * * ? *)', 'hours "17-8": the range runs backwards'],
    ['an increment of 0', 'cron(0/0 * * * ? *)', 'the increment after / must be a positive'],
    ['# in day-of-month', 'cron(0 6 2#1 * ? *)', '# belongs to day-of-week'],
    ['W in a list', 'cron(0 6 1,15W * ? *)', 'L and W stand alone'],
    ['two # expressions', 'cron(0 6 ? * 3#1,6#3 *)', 'with #, the field holds one expression'],
    ['a sixth Tuesday', 'cron(0 6 ? * 3#6 *)', 'the instance after # is 1-5'],
    ['/ in day-of-week', 'cron(0 6 ? * 1/2 *)', 'day-of-week "1/2" may use only , - * ? L #'],
    ['a rate of 0', 'rate(0 minutes)', 'the rate\'s value "0" must be a positive whole number'],
    ['a plural unit for 1', 'rate(1 hours)', 'a rate of 1 takes the singular unit hour'],
    ['a singular unit for 5', 'rate(5 minute)', 'a rate of 5 takes the plural unit minutes'],
    [
      'an unknown unit',
      'rate(2 weeks)',
      'the rate\'s unit "weeks" is not minute(s), hour(s) or day(s)',
    ],
    ['a rate without a unit', 'rate(5)', 'a rate is "value unit"'],
  ])('rejects %s: %s', (_why, expression, problem) => {
    expect(scheduleExpressionProblem(expression)).toContain(problem);
  });
});
