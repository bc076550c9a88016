/** What bounds the time an invocation spends on starts. */
export interface BudgetSettings {
  /**
   * Kept at the end for handing unstarted notifications back and returning the response; more
   * than the response margin below (the configuration enforces it).
   */
  readonly finishReserveMs: number;
  /** The longest one StartPipelineExecution attempt may take (connection plus request timeout). */
  readonly attemptTimeoutMs: number;
}

/** Remaining-time thresholds (`context.getRemainingTimeInMillis()`) for the phases of a batch. */
export interface InvocationBudget {
  /** A start is launched only while more than this remains: enough for one full attempt. */
  readonly launchWhileRemainingAboveMs: number;
  /** Starts still running when this much remains are aborted. */
  readonly abortStartsAtRemainingMs: number;
  /** Hand-back calls still running when this much remains are aborted, so the response is in time. */
  readonly abortHandBackAtRemainingMs: number;
}

// Returning the batch response, flushing metrics and logs: milliseconds, given a generous margin.
export const RESPONSE_MARGIN_MS = 1_000;

/**
 * Splits the invocation's remaining time so that it never meets Lambda's timeout: starts are
 * launched while one attempt still fits before the reserve, then cut off at the reserve, and the
 * hand-back ends a second before the deadline. A timed-out invocation would send the whole batch
 * back, started runs included, and count a receive against every notification in it.
 *
 * @example
 * const budget = invocationBudget({ finishReserveMs: 5000, attemptTimeoutMs: 7000 });
 * if (context.getRemainingTimeInMillis() > budget.launchWhileRemainingAboveMs) launch();
 */
export function invocationBudget(settings: BudgetSettings): InvocationBudget {
  return {
    launchWhileRemainingAboveMs: settings.finishReserveMs + settings.attemptTimeoutMs,
    abortStartsAtRemainingMs: settings.finishReserveMs,
    abortHandBackAtRemainingMs: RESPONSE_MARGIN_MS,
  };
}
