import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { NotificationFunctionsConfig } from '../config/function-configs';
import { parseConstraintViolations } from '../core/data-quality-report';
import { describeError } from '../errors';
import type { Notification } from '../core/notification';
import {
  type DataQualityReport,
  type FailedRunFacts,
  type FailedStep,
  type UnreadableFact,
  type RunParameter,
  type StepPlan,
  decideExecutionNotification,
  decideStepNotifications,
  planExecutionEvent,
  planStepEvent,
} from '../core/pipeline-notifications';
import { detailTypeOf, eventLabel, parseEvent, unexpectedDetailType } from '../schemas/parse-event';
import { publishNotificationLogged } from './publish-notification';
import { reportingRejections } from './report-rejections';
import {
  PIPELINE_EXECUTION_DETAIL_TYPE,
  PIPELINE_STEP_DETAIL_TYPE,
  type PipelineStepStatusChange,
  pipelineExecutionStatusChangeSchema,
  pipelineStepStatusChangeSchema,
} from '../schemas/sagemaker-events';

export interface PipelineStatusDependencies {
  readonly config: NotificationFunctionsConfig;
  readonly region: string;
  readonly readExecutionFailureReason: (executionArn: string) => Promise<string | undefined>;
  readonly readFailedSteps: (executionArn: string) => Promise<FailedStep[]>;
  readonly readRunParameters: (executionArn: string) => Promise<RunParameter[]>;
  readonly findQualityCheckReportUri: (
    executionArn: string,
    stepName: string,
  ) => Promise<string | undefined>;
  readonly readJsonObject: (s3Uri: string) => Promise<unknown>;
  readonly publish: (notification: Notification) => Promise<string | undefined>;
  readonly logger: Logger;
  readonly metrics: Metrics;
}

/**
 * The imperative shell of onPipelineStatusChange: parse the SageMaker event, read only the facts
 * the decision asks for, publish what it decides. Any failure fails the invocation, so Lambda
 * retries it and then parks the event in the function's dead-letter queue.
 */
export function createPipelineStatusHandler(deps: PipelineStatusDependencies) {
  return async function onPipelineStatusChange(event: unknown): Promise<{ published: number }> {
    return reportingRejections(deps, async () => {
      const notifications = await notificationsFor(event);
      for (const notification of notifications) await publishNotificationLogged(deps, notification);
      return { published: notifications.length };
    });
  };

  function notificationsFor(event: unknown): Promise<Notification[]> {
    const detailType = detailTypeOf(event);
    if (detailType === PIPELINE_EXECUTION_DETAIL_TYPE) return notificationsForExecution(event);
    if (detailType === PIPELINE_STEP_DETAIL_TYPE) return notificationsForStep(event);
    throw unexpectedDetailType(event, 'a SageMaker pipeline status change');
  }

  async function notificationsForExecution(raw: unknown): Promise<Notification[]> {
    const event = parseEvent(pipelineExecutionStatusChangeSchema, raw, eventLabel(raw));
    const plan = planExecutionEvent(event, deps.config);
    if ('ignore' in plan) return ignore(plan.ignore);
    const facts = plan.needsFailedRun
      ? await readFailedRun(event.detail.pipelineExecutionArn)
      : undefined;
    return [decideExecutionNotification(event, plan, deps.config, facts, deps.region)];
  }

  /**
   * The three reads about a failed run, each on its own: a read that fails (after the SDK's
   * retries) is logged, counted and named in the e-mail, and the rest is still sent, because a
   * failure e-mail without its parameters beats none.
   */
  async function readFailedRun(executionArn: string): Promise<FailedRunFacts> {
    const [reason, steps, parameters] = await Promise.allSettled([
      deps.readExecutionFailureReason(executionArn),
      deps.readFailedSteps(executionArn),
      deps.readRunParameters(executionArn),
    ]);
    const unreadable: UnreadableFact[] = [];
    const valueOf = <T>(
      outcome: PromiseSettledResult<T>,
      what: string,
      api: string,
    ): T | undefined => {
      if (outcome.status === 'fulfilled') return outcome.value;
      const error = describeError(outcome.reason);
      deps.logger.error('A fact about the failed run could not be read; e-mailing without it', {
        executionArn,
        read: api,
        error: outcome.reason as Error,
      });
      deps.metrics.addMetric('FactReadsFailed', MetricUnit.Count, 1);
      unreadable.push({ what, error: `${api}: ${error}` });
      return undefined;
    };
    const executionFailureReason = valueOf(
      reason,
      'why the run failed',
      'DescribePipelineExecution',
    );
    return {
      ...(executionFailureReason === undefined ? {} : { executionFailureReason }),
      failedSteps: valueOf(steps, 'the failed steps', 'ListPipelineExecutionSteps') ?? [],
      parameters:
        valueOf(parameters, 'the run parameters', 'ListPipelineParametersForExecution') ?? [],
      unreadable,
    };
  }

  async function notificationsForStep(raw: unknown): Promise<Notification[]> {
    const event = parseEvent(pipelineStepStatusChangeSchema, raw, eventLabel(raw));
    const plan = planStepEvent(event, deps.config);
    if ('ignore' in plan) return ignore(plan.ignore);
    const [parameters, qualityReport] = await Promise.all([
      plan.needsParameters ? deps.readRunParameters(event.detail.pipelineExecutionArn) : undefined,
      plan.needsQualityReport ? readQualityReport(event, plan) : undefined,
    ]);
    return decideStepNotifications(
      event,
      plan,
      deps.config,
      { ...(parameters ? { parameters } : {}), ...(qualityReport ? { qualityReport } : {}) },
      deps.region,
    );
  }

  async function readQualityReport(
    event: PipelineStepStatusChange,
    plan: StepPlan,
  ): Promise<DataQualityReport | undefined> {
    const reportUri = await deps.findQualityCheckReportUri(
      event.detail.pipelineExecutionArn,
      event.detail.stepName,
    );
    if (reportUri === undefined) return undefined;
    deps.logger.info('Reading data-quality report', { pipeline: plan.pipeline.name, reportUri });
    return parseConstraintViolations(await deps.readJsonObject(reportUri), reportUri);
  }

  function ignore(reason: string): Notification[] {
    deps.logger.info('Event ignored', { reason });
    deps.metrics.addMetric('EventsIgnored', MetricUnit.Count, 1);
    return [];
  }
}
