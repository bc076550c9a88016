import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { NotificationFunctionsConfig } from '../config/function-configs';
import {
  approvalStartRequest,
  decideDecisionConfirmation,
  decideReviewRequest,
  parseEvaluationMetrics,
  planModelPackageEvent,
} from '../core/model-package-notifications';
import type { Notification } from '../core/notification';
import type { PipelineStartRequest } from '../core/pipeline-start-request';
import type { RegisteredModelVersion } from '../core/registered-model-version';
import { eventLabel, parseEvent } from '../schemas/parse-event';
import {
  type ModelPackageStateChange,
  modelPackageStateChangeSchema,
} from '../schemas/sagemaker-events';
import { publishNotificationLogged } from './publish-notification';
import { reportingRejections } from './report-rejections';

export interface ModelPackageStateDependencies {
  readonly config: NotificationFunctionsConfig;
  readonly region: string;
  readonly describe: (modelPackageArn: string) => Promise<RegisteredModelVersion>;
  readonly readJsonObject: (s3Uri: string) => Promise<unknown>;
  readonly startPipeline: (request: PipelineStartRequest) => Promise<string>;
  readonly publish: (notification: Notification) => Promise<string | undefined>;
  readonly logger: Logger;
  readonly metrics: Metrics;
}

/**
 * The imperative shell of onModelPackageStateChange. A new version asks for a review; an approval
 * may start a scoring run (idempotent token) before its confirmation is sent, so a retry after a
 * failed e-mail finds the run already started instead of starting another.
 */
export function createModelPackageStateHandler(deps: ModelPackageStateDependencies) {
  return async function onModelPackageStateChange(
    raw: unknown,
  ): Promise<{ published: number; scoringRunArn?: string }> {
    return reportingRejections(deps, async () => {
      const event = parseEvent(modelPackageStateChangeSchema, raw, eventLabel(raw));
      const plan = planModelPackageEvent(event, deps.config);
      if ('ignore' in plan) {
        deps.logger.info('Event ignored', { reason: plan.ignore });
        deps.metrics.addMetric('EventsIgnored', MetricUnit.Count, 1);
        return { published: 0 };
      }
      if (plan.needsVersion) {
        await publishNotificationLogged(deps, await reviewRequest(event));
        return { published: 1 };
      }
      const scoringRunArn = await startScoringRun(event);
      await publishNotificationLogged(
        deps,
        decideDecisionConfirmation(event, deps.config, deps.region, scoringRunArn),
      );
      return { published: 1, ...(scoringRunArn ? { scoringRunArn } : {}) };
    });
  };

  async function reviewRequest(event: ModelPackageStateChange): Promise<Notification> {
    const version = await deps.describe(event.detail.ModelPackageArn);
    const metrics =
      version.modelQualityStatisticsUrl === undefined
        ? undefined
        : parseEvaluationMetrics(await deps.readJsonObject(version.modelQualityStatisticsUrl));
    return decideReviewRequest(event, deps.config, version, metrics, deps.region);
  }

  async function startScoringRun(event: ModelPackageStateChange): Promise<string | undefined> {
    const request = approvalStartRequest(event, deps.config);
    if (request === undefined) return undefined;
    const executionArn = await deps.startPipeline(request);
    deps.logger.info('Scoring run started for the approved version', {
      modelPackageArn: event.detail.ModelPackageArn,
      token: request.clientRequestToken,
      executionArn,
    });
    deps.metrics.addMetric('PipelineRunsStarted', MetricUnit.Count, 1);
    return executionArn;
  }
}
