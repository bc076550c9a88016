import { invocationBudget } from '../../functions/core/invocation-budget';

describe('invocationBudget: an invocation ends before Lambda’s timeout', () => {
  it('launches while one attempt fits before the reserve, aborts at the reserve, hands back until 1 s', () => {
    expect(invocationBudget({ finishReserveMs: 5_000, attemptTimeoutMs: 7_000 })).toEqual({
      launchWhileRemainingAboveMs: 12_000,
      abortStartsAtRemainingMs: 5_000,
      abortHandBackAtRemainingMs: 1_000,
    });
  });
});
