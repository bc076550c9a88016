import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { PublishOnce } from '../aws/emails-once';
import type { ScheduleFunctionConfig } from '../config/function-configs';
import { scheduleEmail } from '../core/ledger/email-identity';
import { scheduledRunSkipped, scheduledRunStarted } from '../core/ledger/run-decisions';
import type { RecentExecution } from '../core/pipeline-start-guard';
import type { PipelineStartRequest } from '../core/pipeline-start-request';
import {
  decideScheduledRun,
  inputPrefixOf,
  scheduleOf,
  scheduleSkipNotification,
  scheduledStartRequest,
} from '../core/scheduled-run';
import { eventLabel, parseEvent } from '../schemas/parse-event';
import type { DecisionSink } from '../runtime/decision-ledger';
import { scheduledEventSchema } from '../schemas/scheduled-event';
import { publishNotificationLogged } from './publish-notification';
import { reportingRejections } from './report-rejections';

export interface ScheduledRunDependencies {
  readonly config: ScheduleFunctionConfig;
  readonly listRecentExecutions: (pipelineName: string) => Promise<RecentExecution[]>;
  readonly prefixHoldsObjects: (s3Uri: string) => Promise<boolean>;
  readonly findNewestApprovedArn: (groupName: string) => Promise<string | undefined>;
  readonly startPipeline: (request: PipelineStartRequest) => Promise<string>;
  readonly publish: PublishOnce;
  readonly decisions: DecisionSink;
  readonly logger: Logger;
  readonly metrics: Metrics;
}

/**
 * The imperative shell of onSchedule: read the preconditions of the firing schedule's run (its
 * pipeline's recent runs, its input, an approved model for scoring), then start it or e-mail why not.
 */
export function createScheduledRunHandler(deps: ScheduledRunDependencies) {
  return async function onSchedule(
    raw: unknown,
  ): Promise<{ outcome: string; executionArn?: string }> {
    return reportingRejections(deps, async () => {
      const event = parseEvent(scheduledEventSchema, raw, eventLabel(raw));
      const schedule = scheduleOf(event, deps.config);
      if ('ignore' in schedule) {
        deps.logger.info('Event ignored', { reason: schedule.ignore });
        return { outcome: 'ignored' };
      }
      const request = scheduledStartRequest(schedule, event, deps.config);
      const input = inputPrefixOf(schedule, request);
      const [recent, inputHasObjects, approvedModelArn] = await Promise.all([
        deps.listRecentExecutions(request.pipelineName),
        input?.startsWith('s3://') ? deps.prefixHoldsObjects(input) : Promise.resolve(false),
        schedule.pipeline === 'batch-inference'
          ? deps.findNewestApprovedArn(deps.config.modelPackageGroup)
          : Promise.resolve(undefined),
      ]);
      const decision = decideScheduledRun(schedule, request, {
        recent,
        inputHasObjects,
        ...(approvedModelArn === undefined ? {} : { approvedModelArn }),
      });
      if ('duplicateOf' in decision) {
        // The earlier delivery may have failed before recording its start: recorded (again) here.
        deps.decisions.add(
          scheduledRunStarted(schedule.name, event.time, request, decision.duplicateOf),
        );
        deps.logger.info('Schedule firing already handled', {
          schedule: schedule.name,
          executionArn: decision.duplicateOf,
        });
        return { outcome: 'duplicate', executionArn: decision.duplicateOf };
      }
      if ('skip' in decision) {
        const notification = scheduleSkipNotification(
          schedule,
          event,
          request,
          decision,
          deps.config,
        );
        await publishNotificationLogged(
          deps,
          notification,
          scheduleEmail(schedule.name, event.time, notification.kind),
        );
        deps.decisions.add(scheduledRunSkipped(schedule.name, event.time, request, decision));
        deps.logger.info('Scheduled run skipped', {
          schedule: schedule.name,
          reason: decision.skip,
        });
        deps.metrics.addMetric('ScheduledRunsSkipped', MetricUnit.Count, 1);
        return { outcome: 'skipped' };
      }
      const executionArn = await deps.startPipeline(decision.start);
      deps.decisions.add(scheduledRunStarted(schedule.name, event.time, request, executionArn));
      deps.logger.info('Scheduled run started', {
        schedule: schedule.name,
        token: request.clientRequestToken,
        executionArn,
      });
      deps.metrics.addMetric('PipelineRunsStarted', MetricUnit.Count, 1);
      return { outcome: 'started', executionArn };
    });
  };
}
