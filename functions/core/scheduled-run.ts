import type { ScheduleFunctionConfig } from '../config/function-configs';
import type { Schedule } from '../config/schedules-config';
import type { ScheduledEvent } from '../schemas/scheduled-event';
import { deriveClientRequestToken } from './client-request-token';
import { fillDateTemplate } from './date-template';
import { factLines } from './email/format';
import { type Notification, notification } from './notification';
import {
  compactTimestamp,
  toPipelineExecutionDisplayName,
} from './pipeline-execution-display-name';
import {
  type GuardDecision,
  type HeldBack,
  type RecentExecution,
  describeWithToken,
  guardPipelineStart,
} from './pipeline-start-guard';
import type { PipelineStartRequest } from './pipeline-start-request';
import { pipelineLabel } from './sagemaker-links';
import type { Ignored } from './ignored';

type Config = ScheduleFunctionConfig;

/** What the preconditions of a scheduled run need to know, read before deciding. */
export interface ScheduleFacts {
  readonly recent: readonly RecentExecution[];
  /** Whether the input prefix holds at least one object. */
  readonly inputHasObjects: boolean;
  /** For scoring: the newest approved model version, if there is one. */
  readonly approvedModelArn?: string;
}

/** The schedule whose rule fired, or why the event is none of ours. */
export function scheduleOf(event: ScheduledEvent, config: Config): Schedule | Ignored {
  const ruleName = (event.resources[0] ?? '').slice(
    (event.resources[0] ?? '').lastIndexOf('/') + 1,
  );
  const schedule = config.schedules.find(
    (candidate) => `${config.ruleNamePrefix}${candidate.name}` === ruleName,
  );
  if (schedule === undefined) return { ignore: `rule ${ruleName} is not a schedule of this stack` };
  if (!schedule.enabled) return { ignore: `schedule ${schedule.name} is disabled` };
  return schedule;
}

/** The run a schedule asks for at its scheduled time; the token derives from rule and time. */
export function scheduledStartRequest(
  schedule: Schedule,
  event: ScheduledEvent,
  config: Config,
): PipelineStartRequest {
  const token = deriveClientRequestToken('schedule', [schedule.name, event.time]);
  const parameters = Object.entries(schedule.parameters).map(([name, value]) => ({
    name,
    value: fillDateTemplate(value, event.time, schedule.dayOffset),
  }));
  return {
    pipelineName: config.pipelines[schedule.pipeline],
    parameters,
    displayName: toPipelineExecutionDisplayName([
      schedule.name,
      compactTimestamp(event.time),
      token.slice(-8),
    ]),
    description: describeWithToken(
      `Started by onSchedule: ${schedule.name} (${schedule.expression}) for ${event.time}`,
      token,
    ),
    clientRequestToken: token,
  };
}

/** The S3 prefix a scheduled run reads, from its input parameter. */
function inputPrefixOf(schedule: Schedule, request: PipelineStartRequest): string | undefined {
  return request.parameters.find((parameter) => parameter.name === schedule.inputParameter)?.value;
}

/**
 * What the preconditions of a run ask to be read: whether its input prefix holds an object (when
 * its input is in S3) and, for scoring, the newest approved version of this model package group.
 */
export function scheduledRunReads(
  schedule: Schedule,
  request: PipelineStartRequest,
  config: Config,
): { readonly inputPrefix?: string; readonly approvedModelGroup?: string } {
  const input = inputPrefixOf(schedule, request);
  return {
    ...(input?.startsWith('s3://') ? { inputPrefix: input } : {}),
    ...(scoresWithApprovedModel(schedule) ? { approvedModelGroup: config.modelPackageGroup } : {}),
  };
}

/** Scoring needs a model to score with: the newest approved version of the group. */
function scoresWithApprovedModel(schedule: Schedule): boolean {
  return schedule.pipeline === 'batch-inference';
}

/**
 * Whether the scheduled run starts: not twice for one firing, not while a run of the pipeline
 * executes, not without input, and (for scoring) not before any model version is approved.
 */
export function decideScheduledRun(
  schedule: Schedule,
  request: PipelineStartRequest,
  facts: ScheduleFacts,
): GuardDecision {
  const guard = guardPipelineStart(request, facts.recent);
  if (guard.kind !== 'start') return guard;
  if (!facts.inputHasObjects) {
    return {
      kind: 'held-back',
      guard: 'no-input',
      skip: `its input ${inputPrefixOf(schedule, request) ?? '(none)'} holds no object yet`,
      because: 'no input yet',
    };
  }
  if (scoresWithApprovedModel(schedule) && facts.approvedModelArn === undefined) {
    return {
      kind: 'held-back',
      guard: 'no-approved-model',
      skip: 'no model version is approved yet, so there is nothing to score with',
      because: 'no approved model yet',
    };
  }
  return guard;
}

/** The e-mail of a scheduled run that did not start, and what would let the next one. */
export function scheduleSkipNotification(
  schedule: Schedule,
  event: ScheduledEvent,
  request: PipelineStartRequest,
  heldBack: HeldBack,
  config: Config,
): Notification {
  return notification({
    stage: config.stage,
    category: 'schedule',
    severity: 'warning',
    kind: 'schedule-skipped',
    pipeline: request.pipelineName,
    subject: `Skipped: ${schedule.name} of ${event.time.slice(0, 10)}, ${heldBack.because}`,
    layout: {
      headline: `Scheduled ${pipelineLabel(schedule.pipeline).toLowerCase()} ${schedule.name} did not start`,
      sections: [
        {
          title: 'Why',
          lines: [`The run scheduled for ${event.time} was skipped because ${heldBack.skip}.`],
        },
        {
          title: 'The schedule',
          lines: factLines([
            ['Schedule', `${schedule.name}: ${schedule.expression} (UTC)`],
            ['Pipeline', request.pipelineName],
            ...request.parameters.map((parameter) => [parameter.name, parameter.value] as const),
          ]),
        },
        {
          title: 'What to do',
          lines: [
            'Nothing, if this was expected: the next firing checks again. To run it now once the cause is fixed:',
          ],
        },
        {
          title: '',
          lines: [
            `aws sagemaker start-pipeline-execution --pipeline-name ${request.pipelineName} \\`,
            `  --pipeline-parameters ${request.parameters.map((parameter) => `Name=${parameter.name},Value=${parameter.value}`).join(' ')}`,
          ],
          verbatim: true,
        },
      ],
    },
  });
}
