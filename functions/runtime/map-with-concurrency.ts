/** A task's result, or `not-started` when `shouldLaunch` said no before its turn came. */
export type TaskOutcome<R> = PromiseSettledResult<R> | { readonly status: 'not-started' };

/**
 * Runs `task` over `items` with at most `limit` in flight and returns every outcome in input order;
 * a failure never stops the others (each caller decides what a failure means). Before each launch
 * `shouldLaunch` is asked; once it says no, the items left are `not-started` and only the tasks
 * in flight are awaited.
 *
 * @example
 * const outcomes = await mapWithConcurrency(starts, 4, (start) => startPipeline(start.request),
 *   () => context.getRemainingTimeInMillis() > 12_000);
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
  shouldLaunch: () => boolean = () => true,
): Promise<TaskOutcome<R>[]> {
  const outcomes: TaskOutcome<R>[] = items.map(() => ({ status: 'not-started' }));
  let next = 0;
  async function worker(): Promise<void> {
    while (next < items.length && shouldLaunch()) {
      const index = next++;
      try {
        outcomes[index] = { status: 'fulfilled', value: await task(items[index] as T) };
      } catch (reason) {
        outcomes[index] = { status: 'rejected', reason };
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return outcomes;
}
