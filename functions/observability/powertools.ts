import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

// Service name and namespace come from POWERTOOLS_SERVICE_NAME / POWERTOOLS_METRICS_NAMESPACE,
// set per function in serverless.yml, so every handler shares these two lines.
export function createObservability(): { logger: Logger; metrics: Metrics } {
  return { logger: new Logger(), metrics: new Metrics() };
}
