import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { InvalidEventError } from '../errors';

/**
 * Runs a handler's work; an event that failed validation is logged with the field named and counted
 * as `EventsRejected` before the error fails the invocation (retry, then the dead-letter queue).
 */
export async function reportingRejections<T>(
  observability: { readonly logger: Logger; readonly metrics: Metrics },
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof InvalidEventError) {
      observability.logger.error('Event rejected; nothing was done for it', { error });
      observability.metrics.addMetric('EventsRejected', MetricUnit.Count, 1);
    }
    throw error;
  }
}
