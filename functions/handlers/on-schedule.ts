import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { ScheduleFunctionConfig } from '../config/function-configs';
import { assertNever } from '../core/assert-never';
import { scheduleEmail } from '../core/ledger/email-identity';
import { scheduledRunSkipped, scheduledRunStarted } from '../core/ledger/run-decisions';
import type { RecentExecution } from '../core/pipeline-start-guard';
import type { PipelineStartRequest } from '../core/pipeline-start-request';
import {
  decideScheduledRun,
  scheduleOf,
  scheduleSkipNotification,
  scheduledRunReads,
  scheduledStartRequest,
} from '../core/scheduled-run';
import { reportIgnored } from '../observability/event-reports';
import { detailType, eventBridgeHandler } from '../runtime/eventbridge-handler';
import { type Publishing, publishNotificationLogged } from '../runtime/publish-notification';
import {
  SCHEDULED_EVENT_DETAIL_TYPE,
  type ScheduledEvent,
  scheduledEventSchema,
} from '../schemas/scheduled-event';

export interface OnScheduleDependencies extends Publishing {
  readonly config: ScheduleFunctionConfig;
  readonly listRecentExecutions: (pipelineName: string) => Promise<RecentExecution[]>;
  readonly prefixHoldsObjects: (s3Uri: string) => Promise<boolean>;
  readonly findNewestApprovedArn: (groupName: string) => Promise<string | undefined>;
  readonly startPipeline: (request: PipelineStartRequest) => Promise<string>;
}

type Outcome = { readonly outcome: string; readonly executionArn?: string };

/**
 * The imperative shell of onSchedule: read the preconditions of the firing schedule's run (its
 * pipeline's recent runs, its input, an approved model for scoring), then start it or e-mail why not.
 */
export function createOnScheduleHandler(deps: OnScheduleDependencies) {
  return eventBridgeHandler(deps, 'a scheduled event', {
    [SCHEDULED_EVENT_DETAIL_TYPE]: detailType(scheduledEventSchema, onSchedule),
  });

  async function onSchedule(event: ScheduledEvent): Promise<Outcome> {
    const schedule = scheduleOf(event, deps.config);
    if ('ignore' in schedule) {
      reportIgnored(deps, schedule.ignore);
      return { outcome: 'ignored' };
    }
    const request = scheduledStartRequest(schedule, event, deps.config);
    const { inputPrefix, approvedModelGroup } = scheduledRunReads(schedule, request, deps.config);
    const [recent, inputHasObjects, approvedModelArn] = await Promise.all([
      deps.listRecentExecutions(request.pipelineName),
      inputPrefix === undefined ? false : deps.prefixHoldsObjects(inputPrefix),
      approvedModelGroup === undefined ? undefined : deps.findNewestApprovedArn(approvedModelGroup),
    ]);
    const decision = decideScheduledRun(schedule, request, {
      recent,
      inputHasObjects,
      ...(approvedModelArn === undefined ? {} : { approvedModelArn }),
    });
    switch (decision.kind) {
      case 'duplicate':
        // The earlier delivery may have failed before recording its start: recorded (again) here.
        deps.decisions.add(
          scheduledRunStarted(schedule.name, event.time, request, decision.executionArn),
        );
        deps.logger.info('Schedule firing already handled', {
          schedule: schedule.name,
          executionArn: decision.executionArn,
        });
        return { outcome: 'duplicate', executionArn: decision.executionArn };
      case 'held-back': {
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
      case 'start': {
        const executionArn = await deps.startPipeline(decision.request);
        deps.decisions.add(scheduledRunStarted(schedule.name, event.time, request, executionArn));
        deps.logger.info('Scheduled run started', {
          schedule: schedule.name,
          token: request.clientRequestToken,
          executionArn,
        });
        deps.metrics.addMetric('PipelineRunsStarted', MetricUnit.Count, 1);
        return { outcome: 'started', executionArn };
      }
      default:
        return assertNever(decision);
    }
  }
}
