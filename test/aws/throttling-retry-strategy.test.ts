import type { RetryErrorInfo } from '@smithy/types';
import { createSageMakerClient } from '../../functions/aws/sagemaker-client';
import { ThrottlingRetryStrategy } from '../../functions/aws/throttling-retry-strategy';

const throttled: RetryErrorInfo = { errorType: 'THROTTLING' };
const serverError: RetryErrorInfo = { errorType: 'TRANSIENT' };

describe('ThrottlingRetryStrategy: throttling retries never run out in a burst', () => {
  afterEach(() => jest.restoreAllMocks());

  it('200 throttled calls in a row are all retried and leave the retry quota whole', async () => {
    // The SDK's standard strategy charges 5 of its 500 tokens per throttling retry: it would
    // refuse from the 101st on, and fail those calls without any back-off.
    const strategy = new ThrottlingRetryStrategy(3);
    for (let call = 0; call < 200; call += 1) {
      const first = await strategy.acquireInitialRetryToken('');
      const retry = await strategy.refreshRetryTokenForRetry(first, throttled);
      expect(retry.getRetryCount()).toBe(1);
    }
    expect(strategy.getCapacity()).toBe(500);
  });

  it('other errors keep the quota: a 5xx retry spends 14 tokens', async () => {
    const strategy = new ThrottlingRetryStrategy(3);
    await strategy.refreshRetryTokenForRetry(
      await strategy.acquireInitialRetryToken(''),
      serverError,
    );
    expect(strategy.getCapacity()).toBe(486);
  });

  it('waits the SDK’s throttling back-off: full jitter below 1, 2, 4 ... s, at most 20 s', async () => {
    jest.spyOn(Math, 'random').mockReturnValue(0.999);
    const strategy = new ThrottlingRetryStrategy(8);
    let token = await strategy.acquireInitialRetryToken('');
    const delays: number[] = [];
    for (let retry = 1; retry < 8; retry += 1) {
      token = await strategy.refreshRetryTokenForRetry(token, throttled);
      delays.push(token.getRetryDelay());
    }
    expect(delays).toEqual([999, 1998, 3996, 7992, 15984, 19980, 19980]);
  });

  it('the last attempt’s throttling is not retried', async () => {
    const strategy = new ThrottlingRetryStrategy(2);
    const retry = await strategy.refreshRetryTokenForRetry(
      await strategy.acquireInitialRetryToken(''),
      throttled,
    );
    await expect(strategy.refreshRetryTokenForRetry(retry, throttled)).rejects.toThrow(
      'No retry token available',
    );
  });

  it('is what the standard retry mode of the project’s clients uses; adaptive stays the SDK’s', async () => {
    const standard = createSageMakerClient({ maxAttempts: 8, retryMode: 'standard' });
    const adaptive = createSageMakerClient({ maxAttempts: 8, retryMode: 'adaptive' });
    expect(await standard.config.retryStrategy()).toBeInstanceOf(ThrottlingRetryStrategy);
    expect(await adaptive.config.retryStrategy()).toMatchObject({ mode: 'adaptive' });
  });
});
