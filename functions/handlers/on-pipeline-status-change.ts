import type { QualityCheckOutcome } from '../aws/pipeline-execution-steps';
import type { NotificationFunctionsConfig } from '../config/function-configs';
import { parseConstraintViolations } from '../core/data-quality-report';
import { type IdentifiedEmail, executionEmail, stepEmails } from '../core/ledger/email-identity';
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
  scoredInputOf,
} from '../core/pipeline-notifications';
import type { UnreadableFact } from '../core/unreadable-fact';
import { reportIgnored } from '../observability/event-reports';
import { detailType, eventBridgeHandler } from '../runtime/eventbridge-handler';
import { type Publishing, publishNotificationLogged } from '../runtime/publish-notification';
import { readFact } from '../runtime/read-fact';
import {
  PIPELINE_EXECUTION_DETAIL_TYPE,
  PIPELINE_STEP_DETAIL_TYPE,
  type PipelineExecutionStatusChange,
  type PipelineStepStatusChange,
  pipelineExecutionStatusChangeSchema,
  pipelineStepStatusChangeSchema,
} from '../schemas/sagemaker-events';

export interface OnPipelineStatusChangeDependencies extends Publishing {
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
}

/**
 * The imperative shell of onPipelineStatusChange: parse the SageMaker event, read only the facts
 * the decision asks for, publish what it decides. Any failure fails the invocation, so Lambda
 * retries it and then parks the event in the function's dead-letter queue.
 */
export function createOnPipelineStatusChangeHandler(deps: OnPipelineStatusChangeDependencies) {
  return eventBridgeHandler(deps, 'a SageMaker pipeline status change', {
    [PIPELINE_EXECUTION_DETAIL_TYPE]: detailType(
      pipelineExecutionStatusChangeSchema,
      publishing(notificationsForExecution),
    ),
    [PIPELINE_STEP_DETAIL_TYPE]: detailType(
      pipelineStepStatusChangeSchema,
      publishing(notificationsForStep),
    ),
  });

  function publishing<E>(decide: (event: E) => Promise<IdentifiedEmail[]>) {
    return async (event: E): Promise<{ published: number }> => {
      const emails = await decide(event);
      for (const [notification, identity] of emails) {
        await publishNotificationLogged(deps, notification, identity);
      }
      return { published: emails.length };
    };
  }

  async function notificationsForExecution(
    event: PipelineExecutionStatusChange,
  ): Promise<IdentifiedEmail[]> {
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

  async function notificationsForStep(event: PipelineStepStatusChange): Promise<IdentifiedEmail[]> {
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
    const notifications = decideStepNotifications(
      event,
      plan,
      deps.config,
      { ...(parameters ? { parameters } : {}), ...check },
      deps.region,
    );
    return stepEmails(notifications, step, check?.scored ?? {}, event.time);
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
    const input = parameters === undefined ? undefined : scoredInputOf(parameters);
    return {
      qualityReport: parseConstraintViolations(report, reportUri),
      scored: {
        ...(input ? { input } : {}),
        ...(modelVersion ? { modelVersion } : {}),
      },
      unreadable,
    };
  }

  function ignore(reason: string): IdentifiedEmail[] {
    reportIgnored(deps, reason);
    return [];
  }
}
