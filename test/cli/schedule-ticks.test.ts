import { MAX_BACKFILL_TICKS, parseDay, scheduleTicks } from '../../functions/cli/schedule-ticks';

const day = (text: string) => parseDay(text) as Date;
const ticksOf = (expression: string, from: string, to: string) => {
  const ticks = scheduleTicks(expression, day(from), day(to));
  return 'problem' in ticks ? ticks : ticks.map((tick) => tick.toISOString());
};

describe('backfill ticks: every time the schedule fired in the days given, both ends included', () => {
  it.each([
    [
      'a daily cron across a month end',
      'cron(0 6 * * ? *)',
      '2026-11-29',
      '2026-12-02',
      [
        '2026-11-29T06:00:00.000Z',
        '2026-11-30T06:00:00.000Z',
        '2026-12-01T06:00:00.000Z',
        '2026-12-02T06:00:00.000Z',
      ],
    ],
    [
      'a daily cron across 29 February of a leap year',
      'cron(0 6 * * ? *)',
      '2028-02-28',
      '2028-03-01',
      ['2028-02-28T06:00:00.000Z', '2028-02-29T06:00:00.000Z', '2028-03-01T06:00:00.000Z'],
    ],
    [
      'the same days of a common year: no 29 February',
      'cron(0 6 * * ? *)',
      '2027-02-28',
      '2027-03-01',
      ['2027-02-28T06:00:00.000Z', '2027-03-01T06:00:00.000Z'],
    ],
    [
      'a monthly cron across a year end',
      'cron(0 12 1 * ? *)',
      '2026-11-15',
      '2027-01-01',
      ['2026-12-01T12:00:00.000Z', '2027-01-01T12:00:00.000Z'],
    ],
    [
      'a tick at midnight of the first day is in, of the day after the last is out',
      'cron(0 0 * * ? *)',
      '2026-11-01',
      '2026-11-02',
      ['2026-11-01T00:00:00.000Z', '2026-11-02T00:00:00.000Z'],
    ],
    ['a day without a tick', 'cron(0 12 1 * ? *)', '2026-11-02', '2026-11-03', []],
  ])('%s', (_why, expression, from, to, expected) => {
    expect(ticksOf(expression, from, to)).toEqual(expected);
  });

  it.each([
    ['a rate has no fixed ticks', 'rate(1 day)', '2026-11-01', '2026-11-02', /no fixed ticks/],
    [
      'a range upside down',
      'cron(0 6 * * ? *)',
      '2026-11-02',
      '2026-11-01',
      /ends before it starts/,
    ],
    [
      'more ticks than a backfill takes',
      'cron(* * * * ? *)',
      '2026-11-01',
      '2026-11-02',
      new RegExp(`more than ${MAX_BACKFILL_TICKS} ticks`),
    ],
  ])('refuses %s', (_why, expression, from, to, problem) => {
    expect(ticksOf(expression, from, to)).toEqual({ problem: expect.stringMatching(problem) });
  });

  it.each([
    ['2028-02-29', true],
    ['2027-02-29', false],
    ['2026-13-01', false],
    ['2026-1-01', false],
    ['yesterday', false],
  ])('%s is a day: %s', (text, isDay) => {
    expect(parseDay(text) !== undefined).toBe(isDay);
  });
});
