import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { PublishOnce } from '../aws/emails-once';
import type { MonitoringFunctionConfig } from '../config/function-configs';
import { parseConstraintViolations } from '../core/data-quality-report';
import { driftWarning } from '../core/drift-warning';
import { foreignModelMonitorJob, violationsReportUri } from '../core/model-monitor-job';
import { monitoringJobEmail, triggerEmail } from '../core/ledger/email-identity';
import { retrainHeldBack, retrainStarted, retrainSubject } from '../core/ledger/run-decisions';
import { type RecentExecution, guardPipelineStart } from '../core/pipeline-start-guard';
import type { PipelineStartRequest } from '../core/pipeline-start-request';
import { isModelQualityViolation, parseModelQualityMessage } from '../core/model-quality-violation';
import type { UnreadableFact } from '../core/unreadable-fact';
import {
  type RetrainTrigger,
  alarmTrigger,
  modelQualityTrigger,
  retrainNotification,
  retrainStartRequest,
} from '../core/retraining';
import { identifyPipeline } from '../core/sagemaker-links';
import { quoteInput } from '../core/text-safety';
import { InvalidEventError } from '../errors';
import type { DecisionSink } from '../runtime/decision-ledger';
import { ALARM_DETAIL_TYPE, alarmStateChangeSchema } from '../schemas/cloudwatch-alarm-event';
import { detailTypeOf, eventLabel, parseEvent, unexpectedDetailType } from '../schemas/parse-event';
import {
  PIPELINE_STEP_DETAIL_TYPE,
  PROCESSING_JOB_DETAIL_TYPE,
  pipelineStepStatusChangeSchema,
  processingJobStateChangeSchema,
} from '../schemas/sagemaker-events';
import { publishNotificationLogged } from './publish-notification';
import { readFact } from './read-fact';
import { reportingRejections } from './report-rejections';
import type { Ignored } from '../core/ignored';

export interface MonitoringViolationDependencies {
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
  readonly publish: PublishOnce;
  readonly decisions: DecisionSink;
  readonly logger: Logger;
  readonly metrics: Metrics;
}

type Outcome = { readonly outcome: string; readonly executionArn?: string };

/**
 * The imperative shell of onMonitoringViolation: a model-quality violation or a drift alarm becomes
 * a guarded retrain (read the target's recent runs, decide, start or e-mail why not); a Model
 * Monitor job with violations becomes a drift warning.
 */
export function createMonitoringViolationHandler(deps: MonitoringViolationDependencies) {
  return async function onMonitoringViolation(event: unknown): Promise<Outcome> {
    return reportingRejections(deps, () => handle(event));
  };

  async function handle(raw: unknown): Promise<Outcome> {
    const what = eventLabel(raw);
    switch (detailTypeOf(raw)) {
      case PIPELINE_STEP_DETAIL_TYPE: {
        const { detail, time } = parseEvent(pipelineStepStatusChangeSchema, raw, what);
        const pipeline = identifyPipeline(detail.pipelineArn, deps.config.pipelines);
        if (!isModelQualityViolation(pipeline?.id, detail.stepName, detail.currentStepStatus)) {
          return ignore(
            `step ${quoteInput(detail.stepName)} ${detail.currentStepStatus} of ${detail.pipelineArn} is not the model-quality violation of this stack's scoring pipeline`,
          );
        }
        const step = { executionArn: detail.pipelineExecutionArn, stepName: detail.stepName };
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
      case ALARM_DETAIL_TYPE: {
        const event = parseEvent(alarmStateChangeSchema, raw, what);
        return retrain(alarmTrigger(event, deps.config), event.time);
      }
      case PROCESSING_JOB_DETAIL_TYPE:
        return warnOfMonitoringViolations(raw, what);
      default:
        throw unexpectedDetailType(raw, 'a monitoring event');
    }
  }

  /** `at`: when the trigger happened (its event's time), the time of its decisions. */
  async function retrain(trigger: RetrainTrigger | Ignored, at: string): Promise<Outcome> {
    if ('ignore' in trigger) return ignore(trigger.ignore);
    const request = retrainStartRequest(trigger, deps.config);
    const facts = { trigger: trigger.kind, triggerIdentity: trigger.identity };
    const decision = guardPipelineStart(
      request,
      await deps.listRecentExecutions(request.pipelineName),
      {
        hours: deps.config.cooldownHours,
        now: deps.now(),
      },
    );
    if ('skip' in decision) {
      const notification = retrainNotification(trigger, decision, deps.config, deps.region);
      await publishNotificationLogged(
        deps,
        notification,
        triggerEmail(retrainSubject(facts), notification.kind, at),
      );
      deps.decisions.add(retrainHeldBack(facts, at, request, decision));
      deps.logger.info('Retrain held back', {
        reason: decision.skip,
        nextAllowedAt: decision.nextAllowedAt,
      });
      deps.metrics.addMetric('RetrainsSkipped', MetricUnit.Count, 1);
      return { outcome: 'skipped' };
    }
    // A run this trigger already started means an earlier delivery got as far as the start; its
    // record and announcement may have failed after it: both are made again, once each.
    const executionArn =
      'duplicateOf' in decision ? decision.duplicateOf : await deps.startPipeline(decision.start);
    deps.decisions.add(retrainStarted(facts, at, request, executionArn));
    deps.logger.info(
      'duplicateOf' in decision
        ? 'Retrain already started by an earlier delivery'
        : 'Retrain started',
      { token: request.clientRequestToken, executionArn, trigger: trigger.headline },
    );
    if (!('duplicateOf' in decision))
      deps.metrics.addMetric('RetrainsStarted', MetricUnit.Count, 1);
    const notification = retrainNotification(
      trigger,
      { startedArn: executionArn },
      deps.config,
      deps.region,
    );
    await publishNotificationLogged(
      deps,
      notification,
      triggerEmail(retrainSubject(facts), notification.kind, at),
    );
    return { outcome: 'duplicateOf' in decision ? 'duplicate' : 'started', executionArn };
  }

  async function warnOfMonitoringViolations(raw: unknown, what: string): Promise<Outcome> {
    const { detail, time } = parseEvent(processingJobStateChangeSchema, raw, what);
    if (!detail.ExitMessage?.startsWith('CompletedWithViolations'))
      return ignore(`job ${detail.ProcessingJobName} found no violations`);
    const foreign = foreignModelMonitorJob(detail, deps.config.modelMonitor);
    if (foreign !== undefined) return ignore(foreign.ignore);
    const output = detail.ProcessingOutputConfig?.Outputs.find(
      (candidate) => candidate.S3Output !== undefined,
    )?.S3Output?.S3Uri;
    if (output === undefined)
      throw new InvalidEventError(
        `${what}: detail.ProcessingOutputConfig.Outputs has no S3 output`,
      );
    const located = violationsReportUri(output, deps.config);
    if ('ignore' in located) return ignore(located.ignore);
    const { reportUri } = located;
    const report = parseConstraintViolations(await deps.readJsonObject(reportUri), reportUri);
    const warning = driftWarning({
      stage: deps.config.stage,
      report,
      maxViolations: deps.config.maxDriftViolations,
      where: `Model Monitor job ${detail.ProcessingJobName}`,
      checkedBy: `The Model Monitor job ${detail.ProcessingJobName}`,
      scored: [['Monitoring job', detail.ProcessingJobName]],
      unreadable: [],
      links: [],
      datasetFeatures: deps.config.datasetFeatures,
    });
    await publishNotificationLogged(
      deps,
      warning,
      monitoringJobEmail(detail.ProcessingJobName, warning.kind, time),
    );
    return { outcome: 'warned' };
  }

  function ignore(reason: string): Outcome {
    deps.logger.info('Event ignored', { reason });
    deps.metrics.addMetric('EventsIgnored', MetricUnit.Count, 1);
    return { outcome: 'ignored' };
  }
}
