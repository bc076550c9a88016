import { parseReplayOptions } from '../../functions/cli/replay-command';
import { UsageError } from '../../functions/cli/operator-errors';

describe('parseReplayOptions: --rate paces the uploads move, --max counts notification letters', () => {
  it.each([
    ['uploads', {}, { queue: 'uploads', dryRun: false, ratePerSecond: undefined }],
    [
      'uploads',
      { rate: '500', dryRun: true },
      { queue: 'uploads', dryRun: true, ratePerSecond: 500 },
    ],
    ['notifications', {}, { queue: 'notifications', dryRun: false, max: 100 }],
    ['notifications', { max: '3' }, { queue: 'notifications', dryRun: false, max: 3 }],
  ])('%s %j', (queue, raw, expected) => {
    expect(parseReplayOptions(queue, raw)).toEqual(expected);
  });

  it.each([
    ['uploads', { max: '10' }, /--max counts notification letters/],
    ['uploads', { rate: '501' }, /--rate 501 must be a whole number from 1 to 500/],
    ['uploads', { rate: '0' }, /--rate 0 must be/],
    ['notifications', { rate: '10' }, /--rate paces the uploads move task/],
    ['notifications', { max: '2.5' }, /--max 2.5 must be a whole number from 1\./],
    ['letters', {}, /<queue> letters must be uploads or notifications/],
  ])('refuses %s %j', (queue, raw, message) => {
    expect(() => parseReplayOptions(queue, raw)).toThrow(UsageError);
    expect(() => parseReplayOptions(queue, raw)).toThrow(message);
  });
});
