import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MonitoringFunctionConfig } from '../config/function-configs';
import { assertNever } from '../core/assert-never';
import { parseConstraintViolations } from '../core/data-quality-report';
import type { Ignored } from '../core/ignored';
import { monitoringJobEmail, triggerEmail } from '../core/ledger/email-identity';
import { retrainHeldBack, retrainStarted, retrainSubject } from '../core/ledger/run-decisions';
import {
  modelMonitorDriftWarning,
  unwatchedViolations,
  violationsReportUri,
} from '../core/model-monitor-job';
import { parseModelQualityMessage } from '../core/model-quality-violation';
import { type RecentExecution, guardPipelineStart } from '../core/pipeline-start-guard';
import type { PipelineStartRequest } from '../core/pipeline-start-request';
import {
  type RetrainOutcome,
  type RetrainTrigger,
  alarmTrigger,
  modelQualityTrigger,
  retrainNotification,
  retrainStartRequest,
  violatingScoringStep,
} from '../core/retraining';
import type { UnreadableFact } from '../core/unreadable-fact';
import { reportIgnored } from '../observability/event-reports';
import { detailType, eventBridgeHandler } from '../runtime/eventbridge-handler';
import { type Publishing, publishNotificationLogged } from '../runtime/publish-notification';
import { readFact } from '../runtime/read-fact';
import {
  ALARM_DETAIL_TYPE,
  type AlarmStateChange,
  alarmStateChangeSchema,
} from '../schemas/cloudwatch-alarm-event';
import {
  PIPELINE_STEP_DETAIL_TYPE,
  PROCESSING_JOB_DETAIL_TYPE,
  type PipelineStepStatusChange,
  type ProcessingJobStateChange,
  pipelineStepStatusChangeSchema,
  processingJobS3Output,
  processingJobStateChangeSchema,
} from '../schemas/sagemaker-events';

export interface OnMonitoringViolationDependencies extends Publishing {
  readonly config: MonitoringFunctionConfig;
  readonly region: string;
  readonly now: () => Date;
  readonly listRecentExecutions: (pipelineName: string) => Promise<RecentExecution[]>;
  readonly startPipeline: (request: PipelineStartRequest) => Promise<string>;
  readonly readStepFailureMessage: (
    executionArn: string,
    stepName: string,
  ) => Promise<string | undefined>;
  readonly readJsonObject: (s3Uri: string) => Promise<unknown>;
}

type Outcome = { readonly outcome: string; readonly executionArn?: string };

/**
 * The imperative shell of onMonitoringViolation: a model-quality violation or a drift alarm becomes
 * a guarded retrain (read the target's recent runs, decide, start or e-mail why not); a Model
 * Monitor job with violations becomes a drift warning.
 */
export function createOnMonitoringViolationHandler(deps: OnMonitoringViolationDependencies) {
  return eventBridgeHandler(deps, 'a monitoring event', {
    [PIPELINE_STEP_DETAIL_TYPE]: detailType(pipelineStepStatusChangeSchema, retrainOnViolation),
    [ALARM_DETAIL_TYPE]: detailType(alarmStateChangeSchema, retrainOnAlarm),
    [PROCESSING_JOB_DETAIL_TYPE]: detailType(processingJobStateChangeSchema, warnOfViolations),
  });

  async function retrainOnViolation({ detail, time }: PipelineStepStatusChange): Promise<Outcome> {
    const step = violatingScoringStep(detail, deps.config);
    if ('ignore' in step) return ignore(step);
    // The violation is certain without the Fail step's message: when the event lacks it, a
    // failed read of the run costs the e-mail its numbers, not the retrain.
    const unreadable: UnreadableFact[] = [];
    const measurement =
      parseModelQualityMessage(detail.failureReason) ??
      parseModelQualityMessage(
        await readFact(deps, unreadable, {
          what: 'the measured quality',
          api: 'ListPipelineExecutionSteps',
          read: () => deps.readStepFailureMessage(step.executionArn, step.stepName),
        }),
      );
    return retrain(
      modelQualityTrigger(
        step,
        { ...(measurement ? { measurement } : {}), unreadable },
        deps.config,
        deps.region,
      ),
      time,
    );
  }

  function retrainOnAlarm(event: AlarmStateChange): Promise<Outcome> {
    return retrain(alarmTrigger(event, deps.config), event.time);
  }

  /** `at`: when the trigger happened (its event's time), the time of its decisions. */
  async function retrain(trigger: RetrainTrigger | Ignored, at: string): Promise<Outcome> {
    if ('ignore' in trigger) return ignore(trigger);
    const request = retrainStartRequest(trigger, deps.config);
    const facts = { trigger: trigger.kind, triggerIdentity: trigger.identity };
    const decision = guardPipelineStart(
      request,
      await deps.listRecentExecutions(request.pipelineName),
      { hours: deps.config.cooldownHours, now: deps.now() },
    );
    const email = (outcome: RetrainOutcome) => {
      const notification = retrainNotification(trigger, outcome, deps.config, deps.region);
      const identity = triggerEmail(retrainSubject(facts), notification.kind, at);
      return publishNotificationLogged(deps, notification, identity);
    };
    switch (decision.kind) {
      case 'held-back':
        await email(decision);
        deps.decisions.add(retrainHeldBack(facts, at, request, decision));
        deps.logger.info('Retrain held back', {
          reason: decision.skip,
          nextAllowedAt: decision.nextAllowedAt,
        });
        deps.metrics.addMetric('RetrainsSkipped', MetricUnit.Count, 1);
        return { outcome: 'skipped' };
      case 'duplicate': {
        // An earlier delivery got as far as the start; its record and announcement may have
        // failed after it: both are made again, once each.
        const { executionArn } = decision;
        deps.decisions.add(retrainStarted(facts, at, request, executionArn));
        deps.logger.info('Retrain already started by an earlier delivery', {
          token: request.clientRequestToken,
          executionArn,
          trigger: trigger.headline,
        });
        await email({ kind: 'started', executionArn });
        return { outcome: 'duplicate', executionArn };
      }
      case 'start': {
        const executionArn = await deps.startPipeline(decision.request);
        deps.decisions.add(retrainStarted(facts, at, request, executionArn));
        deps.logger.info('Retrain started', {
          token: request.clientRequestToken,
          executionArn,
          trigger: trigger.headline,
        });
        deps.metrics.addMetric('RetrainsStarted', MetricUnit.Count, 1);
        await email({ kind: 'started', executionArn });
        return { outcome: 'started', executionArn };
      }
      default:
        return assertNever(decision);
    }
  }

  async function warnOfViolations(event: ProcessingJobStateChange): Promise<Outcome> {
    const { detail, time } = event;
    const unwatched = unwatchedViolations(detail, deps.config.modelMonitor);
    if (unwatched !== undefined) return ignore(unwatched);
    const located = violationsReportUri(processingJobS3Output(event), deps.config);
    if ('ignore' in located) return ignore(located);
    const { reportUri } = located;
    const report = parseConstraintViolations(await deps.readJsonObject(reportUri), reportUri);
    const warning = modelMonitorDriftWarning(detail.ProcessingJobName, report, deps.config);
    await publishNotificationLogged(
      deps,
      warning,
      monitoringJobEmail(detail.ProcessingJobName, warning.kind, time),
    );
    return { outcome: 'warned' };
  }

  function ignore({ ignore: reason }: Ignored): Outcome {
    reportIgnored(deps, reason);
    return { outcome: 'ignored' };
  }
}
