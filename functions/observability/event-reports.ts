import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { InvalidEventError } from '../errors';
import type { Observability } from './powertools';

/**
 * An event that is valid but asks for nothing of this stack: logged with why and counted as
 * `EventsIgnored`, in every function alike, so one alarm or query covers them all.
 *
 * @example
 * reportIgnored(deps, 'schedule daily-scoring is disabled');
 */
export function reportIgnored(observability: Observability, reason: string): void {
  observability.logger.info('Event ignored', { reason });
  observability.metrics.addMetric('EventsIgnored', MetricUnit.Count, 1);
}

/**
 * An event (or one notification of a batch) that does not fit: logged with the field named and
 * counted as `EventsRejected`. Returns the error for the caller to throw or to settle with.
 *
 * @example
 * throw reportRejected(deps, new InvalidEventError('detail.bucket: required'));
 */
export function reportRejected<E extends Error>(observability: Observability, error: E): E {
  observability.logger.error('Event rejected; nothing was done for it', { error });
  observability.metrics.addMetric('EventsRejected', MetricUnit.Count, 1);
  return error;
}

/**
 * Runs a handler's work; an event that failed validation is reported (see `reportRejected`)
 * before the error fails the invocation (retry, then the dead-letter queue).
 *
 * @example
 * return reportingRejections(deps, () => handle(raw));
 */
export async function reportingRejections<T>(
  observability: Observability,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof InvalidEventError) reportRejected(observability, error);
    throw error;
  }
}
