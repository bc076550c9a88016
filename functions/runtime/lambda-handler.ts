import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';

/**
 * The middleware stack every function shares: learn from the invocation's context what the
 * function needs (its topic's ARN), the Lambda context in every log line, metrics flushed (with a
 * cold-start metric) after each invocation, and the invocation's decisions recorded at its end:
 * after success (a ledger failure then fails the invocation, so its trigger comes again) and after
 * a failure too (what was decided before it, a start say, is true all the same).
 * The context reaches `handle` too, for the time left.
 *
 * @example
 * export const handler = asLambdaHandler(createOnDataUploadHandler(deps), { logger, metrics });
 */
export function asLambdaHandler<E, R>(
  handle: (event: E, context: Context) => Promise<R>,
  observability: {
    readonly logger: Logger;
    readonly metrics?: Metrics;
    readonly learnFrom?: (context: Context) => void;
    readonly decisions?: { flush(): Promise<void> };
  },
) {
  const { logger, metrics, learnFrom, decisions } = observability;
  const handler = middy(handle);
  if (learnFrom !== undefined) handler.before((request) => learnFrom(request.context));
  handler.use(injectLambdaContext(logger, { resetKeys: true }));
  if (metrics !== undefined) handler.use(logMetrics(metrics, { captureColdStartMetric: true }));
  if (decisions !== undefined) {
    handler.after(() => decisions.flush());
    handler.onError(async () => {
      try {
        await decisions.flush();
      } catch (error) {
        logger.error('Decisions made before the failure could not be recorded', {
          error: error as Error,
        });
      }
    });
  }
  return handler;
}
