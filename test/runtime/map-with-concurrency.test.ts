import { mapWithConcurrency } from '../../functions/runtime/map-with-concurrency';

describe('mapWithConcurrency', () => {
  it('keeps at most `limit` tasks in flight and every outcome in input order', async () => {
    let inFlight = 0;
    let most = 0;
    const outcomes = await mapWithConcurrency([1, 2, 3, 4, 5], 2, async (item) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight -= 1;
      if (item === 3) throw new Error('three');
      return item * 10;
    });
    expect(most).toBe(2);
    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
  });

  it('launches nothing more once shouldLaunch says no; what was running still completes', async () => {
    const launched: number[] = [];
    const outcomes = await mapWithConcurrency(
      [1, 2, 3, 4, 5, 6],
      2,
      async (item) => {
        launched.push(item);
        await new Promise((resolve) => setImmediate(resolve));
        return item;
      },
      () => launched.length < 3,
    );
    expect(launched).toEqual([1, 2, 3]);
    expect(outcomes).toEqual([
      { status: 'fulfilled', value: 1 },
      { status: 'fulfilled', value: 2 },
      { status: 'fulfilled', value: 3 },
      { status: 'not-started' },
      { status: 'not-started' },
      { status: 'not-started' },
    ]);
  });
});
