import type { HeldBack } from '../pipeline-start-guard';
import type { PipelineStartRequest } from '../pipeline-start-request';
import type {
  ApprovalActedOn,
  RetrainHeldBack,
  RetrainStarted,
  RetrainTriggerFacts,
  ScheduledRunSkipped,
  ScheduledRunStarted,
} from './decision';

/** The ledger subject of a schedule: its ticks sort by time inside it. */
export function scheduleSubject(scheduleName: string): string {
  return `schedule#${scheduleName}`;
}

/**
 * A schedule's tick that started its run (now, or by an earlier delivery of the same tick: the
 * same record either way).
 *
 * @example
 * scheduledRunStarted('daily-scoring', event.time, request, executionArn);
 */
export function scheduledRunStarted(
  scheduleName: string,
  tick: string,
  request: PipelineStartRequest,
  executionArn: string,
): ScheduledRunStarted {
  return {
    kind: 'scheduled-run-started',
    subject: scheduleSubject(scheduleName),
    key: `${tick}#scheduled-run-started`,
    at: tick,
    pipeline: request.pipelineName,
    summary: `Schedule ${scheduleName} of ${tick} started ${request.pipelineName} (${executionArn})`,
    resources: [executionArn],
    facts: {
      schedule: scheduleName,
      scheduledTime: tick,
      pipeline: request.pipelineName,
      clientRequestToken: request.clientRequestToken,
      executionArn,
    },
  };
}

/** A schedule's tick that started nothing, and the precondition that failed. */
export function scheduledRunSkipped(
  scheduleName: string,
  tick: string,
  request: PipelineStartRequest,
  heldBack: HeldBack,
): ScheduledRunSkipped {
  return {
    kind: 'scheduled-run-skipped',
    subject: scheduleSubject(scheduleName),
    key: `${tick}#scheduled-run-skipped`,
    at: tick,
    pipeline: request.pipelineName,
    summary: `Schedule ${scheduleName} of ${tick} skipped ${request.pipelineName}: ${heldBack.skip}`,
    resources: [],
    facts: {
      schedule: scheduleName,
      scheduledTime: tick,
      pipeline: request.pipelineName,
      precondition: heldBack.guard,
      reason: heldBack.skip,
    },
  };
}

/** What a retrain decision is about: the trigger, by the identity its run's token derives from. */
export function retrainSubject(trigger: RetrainTriggerFacts): string {
  return `trigger#${trigger.triggerIdentity.join('#')}`;
}

/** A retrain its trigger started (now, or by an earlier delivery). `at` is the trigger's time. */
export function retrainStarted(
  trigger: RetrainTriggerFacts,
  at: string,
  request: PipelineStartRequest,
  executionArn: string,
): RetrainStarted {
  return {
    kind: 'retrain-started',
    subject: retrainSubject(trigger),
    key: 'retrain-started',
    at,
    pipeline: request.pipelineName,
    summary: `A ${trigger.trigger} trigger started ${request.pipelineName} (${executionArn})`,
    resources: [executionArn],
    facts: {
      ...trigger,
      pipeline: request.pipelineName,
      clientRequestToken: request.clientRequestToken,
      executionArn,
    },
  };
}

/** A retrain held back, by which guard, and when the next is allowed. */
export function retrainHeldBack(
  trigger: RetrainTriggerFacts,
  at: string,
  request: PipelineStartRequest,
  heldBack: HeldBack,
): RetrainHeldBack {
  return {
    kind: 'retrain-held-back',
    subject: retrainSubject(trigger),
    key: 'retrain-held-back',
    at,
    pipeline: request.pipelineName,
    summary: `A ${trigger.trigger} trigger did not start ${request.pipelineName}: ${heldBack.skip}`,
    resources: [],
    facts: {
      ...trigger,
      pipeline: request.pipelineName,
      guard: heldBack.guard,
      reason: heldBack.skip,
      ...(heldBack.nextAllowedAt === undefined ? {} : { nextAllowedAt: heldBack.nextAllowedAt }),
    },
  };
}

/** An approval or rejection acted on: confirmed, and on approval perhaps a scoring run started. */
export function approvalActedOn(
  modelPackage: { readonly arn: string; readonly group: string },
  status: 'Approved' | 'Rejected',
  at: string,
  scoringRun?: { readonly pipeline: string; readonly executionArn: string },
): ApprovalActedOn {
  return {
    kind: 'approval-acted-on',
    subject: modelPackage.arn,
    key: `approval-acted-on#${status}`,
    at,
    ...(scoringRun === undefined ? {} : { pipeline: scoringRun.pipeline }),
    summary: `${modelPackage.arn} ${status.toLowerCase()}${scoringRun === undefined ? '' : `: scoring run ${scoringRun.executionArn} started`}`,
    resources: [modelPackage.arn, ...(scoringRun === undefined ? [] : [scoringRun.executionArn])],
    facts: {
      modelPackageArn: modelPackage.arn,
      modelPackageGroup: modelPackage.group,
      status,
      ...(scoringRun === undefined ? {} : { scoringRunArn: scoringRun.executionArn }),
    },
  };
}
