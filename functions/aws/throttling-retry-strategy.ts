import { MAXIMUM_RETRY_DELAY, Retry, StandardRetryStrategy } from '@smithy/core/retry';
import type { RetryErrorInfo, RetryStrategyV2, StandardRetryToken } from '@smithy/types';

/**
 * The SDK's standard retry strategy, except that a throttling retry does not draw on its retry
 * quota. The quota holds 500 tokens, a throttling retry costs 5 and a clean success gives 1 back:
 * with 30% of starts throttled it runs dry after 700 to 800 starts (`npm run bench`: 35 of 1,000
 * starts refused a retry). From then on a throttled call fails at once, and the caller's worker
 * sends its next start at once, without the back-off: the request rate rises exactly when
 * SageMaker asks it to fall, and the failed notifications come back through SQS minutes later with
 * a receive used up. Throttling retries
 * here always wait their back-off (full jitter, 1 s doubling to 20 s, the SDK's own schedule) up
 * to `maxAttempts`; the caller bounds them with its concurrency and its deadline (abortSignal).
 * Other errors (5xx, timeouts) keep the quota, which is what stops retry storms in an outage.
 *
 * @example
 * new SageMakerClient({ maxAttempts: 8, retryStrategy: new ThrottlingRetryStrategy(8) });
 */
export class ThrottlingRetryStrategy implements RetryStrategyV2 {
  readonly mode = 'standard';
  private readonly standard: StandardRetryStrategy;

  constructor(private readonly maxAttempts: number) {
    this.standard = new StandardRetryStrategy(maxAttempts);
  }

  acquireInitialRetryToken(retryTokenScope: string): Promise<StandardRetryToken> {
    return this.standard.acquireInitialRetryToken(retryTokenScope);
  }

  async refreshRetryTokenForRetry(
    token: StandardRetryToken,
    errorInfo: RetryErrorInfo,
  ): Promise<StandardRetryToken> {
    const retryCount = token.getRetryCount() + 1;
    if (errorInfo.errorType !== 'THROTTLING' || retryCount >= this.maxAttempts) {
      return this.standard.refreshRetryTokenForRetry(token, errorInfo);
    }
    // The middleware sleeps this delay itself, racing it with the call's abortSignal.
    const delay = Math.floor(
      Math.random() *
        Math.min(Retry.throttlingDelay() * 2 ** (retryCount - 1), MAXIMUM_RETRY_DELAY),
    );
    return {
      getRetryCount: () => retryCount,
      getRetryDelay: () => delay,
      // No cost: a success after it gives the quota back what a clean success does.
      getRetryCost: () => undefined,
    };
  }

  recordSuccess(token: StandardRetryToken): void {
    this.standard.recordSuccess(token);
  }

  /** The standard strategy's quota, which only non-throttling retries spend. */
  getCapacity(): number {
    return this.standard.getCapacity();
  }
}
