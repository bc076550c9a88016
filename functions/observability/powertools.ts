import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

/** Where a shell says what it did: log lines and metrics. */
export interface Observability {
  readonly logger: Logger;
  readonly metrics: Metrics;
}

// Service name and namespace come from POWERTOOLS_SERVICE_NAME / POWERTOOLS_METRICS_NAMESPACE,
// set per function in serverless.yml, so every handler shares these two lines.
export function createObservability(): Observability {
  return { logger: new Logger(), metrics: new Metrics() };
}
