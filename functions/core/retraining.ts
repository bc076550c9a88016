import type { MonitoringFunctionConfig } from '../config/function-configs';
import type { AlarmStateChange } from '../schemas/cloudwatch-alarm-event';
import { deriveClientRequestToken } from './client-request-token';
import { factLines } from './email/format';
import { type ModelQualityViolation, parseModelQualityViolation } from './model-quality-violation';
import { type Notification, notification } from './notification';
import {
  compactTimestamp,
  toPipelineExecutionDisplayName,
} from './pipeline-execution-display-name';
import { type GuardDecision, describeWithToken } from './pipeline-start-guard';
import type { PipelineStartRequest } from './pipeline-start-request';
import { pipelineExecutionLink, pipelineLabel } from './sagemaker-links';
import type { Ignored } from './ignored';

type Config = MonitoringFunctionConfig;
type RetrainPipeline = Config['onModelQuality'];

/** Something that warrants retraining, with the identity that makes its start idempotent. */
export interface RetrainTrigger {
  readonly kind: 'model-quality' | 'drift-alarm';
  readonly pipeline: RetrainPipeline;
  readonly identity: readonly string[];
  /** When the triggering fact happened (ISO). */
  readonly time: string;
  readonly summary: string;
  readonly facts: ReadonlyArray<readonly [string, string | undefined]>;
  readonly parameters: Readonly<Record<string, string>>;
}

/** A failed step of a scoring run, from a step event or read for an execution event. */
export interface FailedScoringStep {
  readonly executionArn: string;
  readonly stepName: string;
  readonly failureReason: string | undefined;
  readonly time: string;
}

/**
 * A retune for a genuine model-quality violation; any other failure (a missing file, a capacity
 * error) is not one. Its identity is the scoring run and the step, so the step event and the
 * execution event of one violation start one run.
 */
export function modelQualityTrigger(
  step: FailedScoringStep,
  config: Config,
): RetrainTrigger | Ignored {
  const violation = parseModelQualityViolation(step.stepName, step.failureReason);
  if (violation === undefined) {
    return {
      ignore: `step ${step.stepName} failed without the model-quality marker: not a reason to retrain`,
    };
  }
  return {
    kind: 'model-quality',
    pipeline: config.onModelQuality,
    identity: ['model-quality', step.executionArn, step.stepName],
    time: step.time,
    summary: violationSummary(violation),
    facts: [
      ['Scoring run', step.executionArn],
      ['Measured', `${violation.metric} ${violation.value}`],
      ['Threshold', String(violation.threshold)],
    ],
    parameters: config.parameters,
  };
}

/** A retrain for a configured drift alarm that entered ALARM; OK and INSUFFICIENT_DATA start nothing. */
export function alarmTrigger(event: AlarmStateChange, config: Config): RetrainTrigger | Ignored {
  const alarm = config.alarms.find((candidate) => candidate.name === event.detail.alarmName);
  if (alarm === undefined)
    return { ignore: `alarm ${event.detail.alarmName} is not configured to retrain` };
  if (event.detail.state.value !== 'ALARM') {
    return { ignore: `alarm ${alarm.name} entered ${event.detail.state.value}, not ALARM` };
  }
  return {
    kind: 'drift-alarm',
    pipeline: alarm.pipeline,
    identity: ['drift-alarm', alarm.name, event.detail.state.timestamp],
    time: event.time,
    summary: `drift alarm ${alarm.name} entered ALARM`,
    facts: [
      ['Alarm', alarm.name],
      ['Since', event.detail.state.timestamp],
      ['Reason', event.detail.state.reason],
    ],
    parameters: { ...config.parameters, ...alarm.parameters },
  };
}

/** The retrain run a trigger asks for; every field derives from the trigger, token included. */
export function retrainStartRequest(trigger: RetrainTrigger, config: Config): PipelineStartRequest {
  const token = deriveClientRequestToken('retrain', trigger.identity);
  const parameters = { ModelPackageGroupName: config.modelPackageGroup, ...trigger.parameters };
  return {
    pipelineName: config.pipelines[trigger.pipeline],
    parameters: Object.entries(parameters).map(([name, value]) => ({ name, value })),
    displayName: toPipelineExecutionDisplayName([
      trigger.kind,
      compactTimestamp(trigger.time),
      token.slice(-8),
    ]),
    description: describeWithToken(`Started by onMonitoringViolation: ${trigger.summary}`, token),
    clientRequestToken: token,
  };
}

/** The e-mail about a retrain decision: started, or held back and until when. */
export function retrainNotification(
  trigger: RetrainTrigger,
  decision: Exclude<GuardDecision, { duplicateOf: string }>,
  config: Config,
  region: string,
  startedArn?: string,
): Notification {
  const target = config.pipelines[trigger.pipeline];
  const started = 'start' in decision;
  return notification({
    stage: config.stage,
    category: 'retraining',
    severity: started ? 'info' : 'warning',
    kind: started ? 'retrain-started' : 'retrain-skipped',
    pipeline: target,
    subject: `${started ? 'Retraining started' : 'Retraining held back'}: ${trigger.summary}`,
    layout: {
      headline: `${pipelineLabel(trigger.pipeline)} ${started ? 'started' : 'not started'}: ${trigger.summary}`,
      sections: [
        { title: 'Why', lines: factLines(trigger.facts) },
        started
          ? {
              title: 'The run',
              lines: [
                `${target} runs with ${trigger.kind === 'model-quality' ? 'hyperparameter tuning; its model version will need the review board' : 'the configured parameters'}.`,
                ...(startedArn ? [pipelineExecutionLink(region, target, startedArn)] : []),
              ],
            }
          : {
              title: 'Held back',
              lines: [
                `Not started because ${decision.skip}.`,
                decision.nextAllowedAt
                  ? `The next retrain is allowed from ${decision.nextAllowedAt}; a trigger after that starts one.`
                  : 'A trigger after that run ends starts one.',
              ],
            },
      ],
    },
  });
}

function violationSummary(violation: ModelQualityViolation): string {
  return `model quality ${violation.metric} ${violation.value} below ${violation.threshold}`;
}
