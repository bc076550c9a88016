import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { UnreadableFact } from '../core/unreadable-fact';
import { describeError } from '../errors';
import type { Observability } from '../observability/powertools';

/** A read an e-mail can do without: what it is for people, and the API it calls. */
export interface FactRead<T> {
  readonly what: string;
  readonly api: string;
  readonly read: () => Promise<T>;
}

/**
 * Makes one read on its own: a failure (after the SDK's retries) is logged with the read named,
 * counted as `FactReadsFailed`, and added to `unreadable` for the e-mail to name; the value is
 * then undefined. Reads that the decision cannot do without are not made this way.
 *
 * @example
 * const [steps, parameters] = await Promise.all([readFact(deps, unreadable, stepsRead), ...]);
 */
export async function readFact<T>(
  observability: Observability,
  unreadable: UnreadableFact[],
  fact: FactRead<T>,
): Promise<T | undefined> {
  try {
    return await fact.read();
  } catch (error) {
    observability.logger.error('A fact could not be read; e-mailing without it', {
      read: fact.api,
      what: fact.what,
      error: error as Error,
    });
    observability.metrics.addMetric('FactReadsFailed', MetricUnit.Count, 1);
    unreadable.push({ what: fact.what, error: `${fact.api}: ${describeError(error)}` });
    return undefined;
  }
}
