import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { PublishOnce } from '../aws/emails-once';
import type { NotificationFunctionsConfig } from '../config/function-configs';
import {
  type EmailIdentity,
  driftEmail,
  executionEmail,
  stepEmail,
} from '../core/ledger/email-identity';
import { parseConstraintViolations } from '../core/data-quality-report';
import type { UnreadableFact } from '../core/unreadable-fact';
import type { QualityCheckOutcome } from '../aws/pipeline-execution-steps';
import { SCORING_INPUT_PARAMETER } from '../../pipeline-definitions/batch-inference-contract';
import type { Notification } from '../core/notification';
import {
  type FailedRunFacts,
  type FailedStep,
  type RunParameter,
  type StepFacts,
  type StepPlan,
  decideExecutionNotification,
  decideStepNotifications,
  failedOnModelQuality,
  planExecutionEvent,
  planStepEvent,
} from '../core/pipeline-notifications';
import { detailTypeOf, eventLabel, parseEvent, unexpectedDetailType } from '../schemas/parse-event';
import type { DecisionSink } from '../runtime/decision-ledger';
import { publishNotificationLogged } from './publish-notification';
import { readFact } from './read-fact';
import { reportingRejections } from './report-rejections';
import {
  PIPELINE_EXECUTION_DETAIL_TYPE,
  PIPELINE_STEP_DETAIL_TYPE,
  type PipelineStepStatusChange,
  pipelineExecutionStatusChangeSchema,
  pipelineStepStatusChangeSchema,
} from '../schemas/sagemaker-events';

/** An e-mail and the identity that makes it go out once. */
type IdentifiedEmail = readonly [Notification, EmailIdentity];

export interface PipelineStatusDependencies {
  readonly config: NotificationFunctionsConfig;
  readonly region: string;
  readonly readExecutionFailureReason: (executionArn: string) => Promise<string | undefined>;
  readonly readFailedSteps: (executionArn: string) => Promise<FailedStep[]>;
  readonly readRunParameters: (executionArn: string) => Promise<RunParameter[]>;
  readonly readQualityCheck: (
    executionArn: string,
    stepName: string,
  ) => Promise<QualityCheckOutcome>;
  readonly readJsonObject: (s3Uri: string) => Promise<unknown>;
  readonly publish: PublishOnce;
  readonly decisions: DecisionSink;
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
      const emails = await notificationsFor(event);
      for (const [notification, identity] of emails) {
        await publishNotificationLogged(deps, notification, identity);
      }
      return { published: emails.length };
    });
  };

  function notificationsFor(event: unknown): Promise<IdentifiedEmail[]> {
    const detailType = detailTypeOf(event);
    if (detailType === PIPELINE_EXECUTION_DETAIL_TYPE) return notificationsForExecution(event);
    if (detailType === PIPELINE_STEP_DETAIL_TYPE) return notificationsForStep(event);
    throw unexpectedDetailType(event, 'a SageMaker pipeline status change');
  }

  async function notificationsForExecution(raw: unknown): Promise<IdentifiedEmail[]> {
    const event = parseEvent(pipelineExecutionStatusChangeSchema, raw, eventLabel(raw));
    const plan = planExecutionEvent(event, deps.config);
    if ('ignore' in plan) return ignore(plan.ignore);
    const facts = plan.needsFailedRun
      ? await readFailedRun(event.detail.pipelineExecutionArn)
      : undefined;
    if (facts !== undefined && failedOnModelQuality(plan, facts)) {
      return ignore(
        'a model-quality violation: onMonitoringViolation e-mails it with what happens next',
      );
    }
    const notification = decideExecutionNotification(event, plan, deps.config, facts, deps.region);
    return [
      [
        notification,
        executionEmail(event.detail.pipelineExecutionArn, notification.kind, event.time),
      ],
    ];
  }

  /** The three reads about a failed run, each on its own (see {@link readFact}). */
  async function readFailedRun(executionArn: string): Promise<FailedRunFacts> {
    const unreadable: UnreadableFact[] = [];
    const [executionFailureReason, failedSteps, parameters] = await Promise.all([
      readFact(deps, unreadable, {
        what: 'why the run failed',
        api: 'DescribePipelineExecution',
        read: () => deps.readExecutionFailureReason(executionArn),
      }),
      readFact(deps, unreadable, {
        what: 'the failed steps',
        api: 'ListPipelineExecutionSteps',
        read: () => deps.readFailedSteps(executionArn),
      }),
      readFact(deps, unreadable, {
        what: 'the run parameters',
        api: 'ListPipelineParametersForExecution',
        read: () => deps.readRunParameters(executionArn),
      }),
    ]);
    return {
      ...(executionFailureReason === undefined ? {} : { executionFailureReason }),
      failedSteps: failedSteps ?? [],
      parameters: parameters ?? [],
      unreadable,
    };
  }

  async function notificationsForStep(raw: unknown): Promise<IdentifiedEmail[]> {
    const event = parseEvent(pipelineStepStatusChangeSchema, raw, eventLabel(raw));
    const plan = planStepEvent(event, deps.config);
    if ('ignore' in plan) return ignore(plan.ignore);
    const [parameters, check] = await Promise.all([
      plan.needsParameters ? deps.readRunParameters(event.detail.pipelineExecutionArn) : undefined,
      plan.needsQualityReport ? readQualityCheck(event, plan) : undefined,
    ]);
    const step = {
      executionArn: event.detail.pipelineExecutionArn,
      name: event.detail.stepName,
      status: event.detail.currentStepStatus,
    };
    const { input, modelVersion } = check?.scored ?? {};
    // The templates come in the configuration's order, the drift warning last: a stable ordinal.
    // A drift warning is the data's, when the data and the model are known (see driftEmail).
    return decideStepNotifications(
      event,
      plan,
      deps.config,
      { ...(parameters ? { parameters } : {}), ...check },
      deps.region,
    ).map((notification, ordinal) => [
      notification,
      notification.kind === 'drift-warning' && input !== undefined && modelVersion !== undefined
        ? driftEmail({ input, modelVersion, check: step.name }, notification.kind, event.time)
        : stepEmail(step, notification.kind, ordinal, event.time),
    ]);
  }

  /**
   * The check's report, read only when SageMaker names one (that is, when the check found
   * violations); then also what was scored, for the warning to name the data and the model.
   */
  async function readQualityCheck(
    event: PipelineStepStatusChange,
    plan: StepPlan,
  ): Promise<Pick<StepFacts, 'qualityReport' | 'scored' | 'unreadable'>> {
    const executionArn = event.detail.pipelineExecutionArn;
    const outcome = await deps.readQualityCheck(executionArn, event.detail.stepName);
    const { reportUri, modelVersion } = outcome;
    if (reportUri === undefined) return {};
    deps.logger.info('Reading data-quality report', { pipeline: plan.pipeline.name, reportUri });
    const unreadable: UnreadableFact[] = [];
    const [report, parameters] = await Promise.all([
      deps.readJsonObject(reportUri),
      readFact(deps, unreadable, {
        what: 'the scored input',
        api: 'ListPipelineParametersForExecution',
        read: () => deps.readRunParameters(executionArn),
      }),
    ]);
    const input = parameters?.find((parameter) => parameter.name === SCORING_INPUT_PARAMETER);
    return {
      qualityReport: parseConstraintViolations(report, reportUri),
      scored: {
        ...(input ? { input: input.value } : {}),
        ...(modelVersion ? { modelVersion } : {}),
      },
      unreadable,
    };
  }

  function ignore(reason: string): IdentifiedEmail[] {
    deps.logger.info('Event ignored', { reason });
    deps.metrics.addMetric('EventsIgnored', MetricUnit.Count, 1);
    return [];
  }
}
