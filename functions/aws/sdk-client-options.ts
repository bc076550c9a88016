import { ThrottlingRetryStrategy } from './throttling-retry-strategy';

/** How an SDK client retries, and how long one HTTP attempt may take before it counts as failed. */
export interface SdkClientSettings {
  readonly maxAttempts: number;
  readonly retryMode: 'standard' | 'adaptive';
  /** Until the TCP connection is up (DNS lookup included). */
  readonly connectionTimeoutMs?: number;
  /** Until the response's headers arrive; also the longest silence while its body streams. */
  readonly requestTimeoutMs?: number;
}

// The SDK's own defaults are 0 (wait forever): one hung connection would hold an invocation until
// Lambda kills it. AWS control-plane calls answer in well under a second when healthy.
export const DEFAULT_CONNECTION_TIMEOUT_MS = 2_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 5_000;

/**
 * The constructor options every client of this project shares: retries, and timeouts that end a
 * stuck attempt so that the SDK retries it (a timeout is a transient error) or gives up in time.
 * `standard` is the SDK's standard strategy with throttling retries kept off its retry quota
 * ({@link ThrottlingRetryStrategy}); `adaptive` is the SDK's, client-side rate limiting included.
 *
 * @example
 * new SNSClient(clientOptions({ maxAttempts: 5, retryMode: 'standard', requestTimeoutMs: 3000 }));
 */
export function clientOptions(settings: SdkClientSettings) {
  const requestTimeout = settings.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  return {
    maxAttempts: settings.maxAttempts,
    retryMode: settings.retryMode,
    ...(settings.retryMode === 'standard'
      ? { retryStrategy: new ThrottlingRetryStrategy(settings.maxAttempts) }
      : {}),
    // Options rather than a NodeHttpHandler instance: the client builds the handler it already
    // bundles, so no second copy of @smithy/node-http-handler is pinned or loaded.
    requestHandler: {
      connectionTimeout: settings.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS,
      requestTimeout,
      // @smithy/node-http-handler 4.x only logs a warning when requestTimeout passes, unless told
      // to throw (its NodeHttpHandlerOptions documentation says so).
      throwOnRequestTimeout: true,
      // requestTimeout stops at the response's headers; an idle limit covers a stalled body.
      socketTimeout: requestTimeout,
    },
  };
}
