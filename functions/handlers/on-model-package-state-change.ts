import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { NotificationFunctionsConfig } from '../config/function-configs';
import { assertNever } from '../core/assert-never';
import { modelPackageEmail } from '../core/ledger/email-identity';
import { approvalActedOn } from '../core/ledger/run-decisions';
import {
  type EvaluationMetric,
  approvalStartRequest,
  decideDecisionConfirmation,
  decideReviewRequest,
  parseEvaluationMetrics,
  planModelPackageEvent,
} from '../core/model-package-notifications';
import type { Notification } from '../core/notification';
import type { PipelineStartRequest } from '../core/pipeline-start-request';
import type { RegisteredModelVersion } from '../core/registered-model-version';
import type { UnreadableFact } from '../core/unreadable-fact';
import { reportIgnored } from '../observability/event-reports';
import { detailType, eventBridgeHandler } from '../runtime/eventbridge-handler';
import { type Publishing, publishNotificationLogged } from '../runtime/publish-notification';
import { readFact } from '../runtime/read-fact';
import {
  MODEL_PACKAGE_DETAIL_TYPE,
  type ModelPackageStateChange,
  modelPackageStateChangeSchema,
} from '../schemas/sagemaker-events';

export interface OnModelPackageStateChangeDependencies extends Publishing {
  readonly config: NotificationFunctionsConfig;
  readonly region: string;
  readonly describe: (modelPackageArn: string) => Promise<RegisteredModelVersion>;
  readonly findNewestApprovedArn: (groupName: string) => Promise<string | undefined>;
  readonly readRunDescription: (executionArn: string) => Promise<string | undefined>;
  readonly readJsonObject: (s3Uri: string) => Promise<unknown>;
  readonly startPipeline: (request: PipelineStartRequest) => Promise<string>;
}

type Outcome = { readonly published: number; readonly scoringRunArn?: string };

/**
 * The imperative shell of onModelPackageStateChange. A new version asks for a review; an approval
 * may start a scoring run (idempotent token) before its confirmation is sent, so a retry after a
 * failed e-mail finds the run already started instead of starting another.
 */
export function createOnModelPackageStateChangeHandler(
  deps: OnModelPackageStateChangeDependencies,
) {
  return eventBridgeHandler(deps, 'a model package state change', {
    [MODEL_PACKAGE_DETAIL_TYPE]: detailType(
      modelPackageStateChangeSchema,
      onModelPackageStateChange,
    ),
  });

  async function onModelPackageStateChange(event: ModelPackageStateChange): Promise<Outcome> {
    const plan = planModelPackageEvent(event, deps.config);
    if ('ignore' in plan) {
      reportIgnored(deps, plan.ignore);
      return { published: 0 };
    }
    const { ModelPackageArn: arn, ModelPackageGroupName: group } = event.detail;
    switch (plan.kind) {
      case 'review-request': {
        const request = await reviewRequest(event);
        await publishNotificationLogged(
          deps,
          request,
          modelPackageEmail(arn, request.kind, event.time),
        );
        return { published: 1 };
      }
      case 'decision-confirmation': {
        const scoringRun = await startScoringRun(event);
        deps.decisions.add(approvalActedOn({ arn, group }, plan.status, event.time, scoringRun));
        const scoringRunArn = scoringRun?.executionArn;
        const confirmation = decideDecisionConfirmation(
          event,
          deps.config,
          deps.region,
          scoringRunArn,
        );
        await publishNotificationLogged(
          deps,
          confirmation,
          modelPackageEmail(arn, confirmation.kind, event.time),
        );
        return { published: 1, ...(scoringRunArn ? { scoringRunArn } : {}) };
      }
      default:
        return assertNever(plan);
    }
  }

  /**
   * The version itself is required (without it there is nothing to review); what it is compared
   * with, its metrics and its training run's trigger are read on their own, and named in the
   * e-mail when they cannot be.
   */
  async function reviewRequest(event: ModelPackageStateChange): Promise<Notification> {
    const arn = event.detail.ModelPackageArn;
    const version = await deps.describe(arn);
    const unreadable: UnreadableFact[] = [];
    const sourceRun = version.customerMetadata.sourceExecutionArn ?? version.generatedBy;
    const [metrics, approved, trainingRunDescription] = await Promise.all([
      readMetrics(version, unreadable, 'the evaluation metrics'),
      readFact(deps, unreadable, {
        what: 'the approved version to compare with',
        api: 'ListModelPackages',
        read: () => deps.findNewestApprovedArn(event.detail.ModelPackageGroupName),
      }).then((approvedArn) => approvedVersion(approvedArn, arn, unreadable)),
      sourceRun === undefined
        ? undefined
        : readFact(deps, unreadable, {
            what: 'why it was trained',
            api: 'DescribePipelineExecution',
            read: () => deps.readRunDescription(sourceRun),
          }),
    ]);
    return decideReviewRequest(
      event,
      deps.config,
      {
        version,
        ...(metrics ? { metrics } : {}),
        ...(approved ? { approved } : {}),
        ...(trainingRunDescription ? { trainingRunDescription } : {}),
        unreadable,
      },
      deps.region,
    );
  }

  async function approvedVersion(
    approvedArn: string | undefined,
    candidateArn: string,
    unreadable: UnreadableFact[],
  ) {
    if (approvedArn === undefined || approvedArn === candidateArn) return undefined;
    const version = await readFact(deps, unreadable, {
      what: 'the approved version to compare with',
      api: 'DescribeModelPackage',
      read: () => deps.describe(approvedArn),
    });
    if (version === undefined) return undefined;
    const metrics = await readMetrics(version, unreadable, "the approved version's metrics");
    return { version, ...(metrics ? { metrics } : {}) };
  }

  async function readMetrics(
    version: RegisteredModelVersion,
    unreadable: UnreadableFact[],
    what: string,
  ): Promise<EvaluationMetric[] | undefined> {
    const url = version.modelQualityStatisticsUrl;
    if (url === undefined) return undefined;
    const report = await readFact(deps, unreadable, {
      what,
      api: 'GetObject',
      read: () => deps.readJsonObject(url),
    });
    return report === undefined ? undefined : parseEvaluationMetrics(report);
  }

  async function startScoringRun(
    event: ModelPackageStateChange,
  ): Promise<{ readonly pipeline: string; readonly executionArn: string } | undefined> {
    const request = approvalStartRequest(event, deps.config);
    if (request === undefined) return undefined;
    const executionArn = await deps.startPipeline(request);
    deps.logger.info('Scoring run started for the approved version', {
      modelPackageArn: event.detail.ModelPackageArn,
      token: request.clientRequestToken,
      executionArn,
    });
    deps.metrics.addMetric('PipelineRunsStarted', MetricUnit.Count, 1);
    return { pipeline: request.pipelineName, executionArn };
  }
}
