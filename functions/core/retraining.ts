import type { MonitoringFunctionConfig } from '../config/function-configs';
import type { AlarmStateChange } from '../schemas/cloudwatch-alarm-event';
import { deriveClientRequestToken } from './client-request-token';
import { factLines } from './email/format';
import { type ModelQualityViolation, describeViolation } from './model-quality-violation';
import { type Notification, notification } from './notification';
import {
  compactTimestamp,
  toPipelineExecutionDisplayName,
} from './pipeline-execution-display-name';
import { describeWithToken } from './pipeline-start-guard';
import type { PipelineStartRequest } from './pipeline-start-request';
import { executionIdOf, pipelineExecutionLink, pipelineLabel } from './sagemaker-links';
import { quoteInput } from './text-safety';
import type { Ignored } from './ignored';

type Config = MonitoringFunctionConfig;
type RetrainPipeline = Config['onModelQuality'];

/** Something that warrants retraining, with the identity that makes its start idempotent. */
export interface RetrainTrigger {
  readonly kind: 'model-quality' | 'drift-alarm';
  readonly pipeline: RetrainPipeline;
  /**
   * What makes this trigger this one. The token derives from it, and so does every other field of
   * the start (`runName`, `origin`): two deliveries that agree on it send the same request, which
   * SageMaker must see to return the first run instead of refusing a reused token.
   */
  readonly identity: readonly string[];
  /** Display-name parts of the run, from the identity. */
  readonly runName: readonly string[];
  /** Why the run exists, for its description, from the identity. */
  readonly origin: string;
  /** What happened, for people: the e-mail's words (may hold more than the identity). */
  readonly summary: string;
  readonly facts: ReadonlyArray<readonly [string, string | undefined]>;
  readonly parameters: Readonly<Record<string, string>>;
}

/** The failed Fail step of one of this stack's scoring runs (see `isModelQualityViolation`). */
export interface ViolatingScoringStep {
  readonly executionArn: string;
  readonly stepName: string;
}

/**
 * A retune for a genuine model-quality violation. Its identity is the scoring run and the step,
 * so redeliveries of the step's event start one run, whether or not their message was readable.
 */
export function modelQualityTrigger(
  step: ViolatingScoringStep,
  violation: ModelQualityViolation,
  config: Config,
): RetrainTrigger {
  const { measurement } = violation;
  return {
    kind: 'model-quality',
    pipeline: config.onModelQuality,
    identity: ['model-quality', step.executionArn, step.stepName],
    runName: ['model-quality', executionIdOf(step.executionArn)],
    origin: `model-quality violation (${step.stepName}) in scoring run ${step.executionArn}`,
    summary: describeViolation(violation),
    facts: [
      ['Scoring run', step.executionArn],
      ['Measured', measurement ? `${measurement.metric} ${measurement.value}` : 'not reported'],
      ['Threshold', measurement ? String(measurement.threshold) : undefined],
    ],
    parameters: config.parameters,
  };
}

/** A retrain for a configured drift alarm that entered ALARM; OK and INSUFFICIENT_DATA start nothing. */
export function alarmTrigger(event: AlarmStateChange, config: Config): RetrainTrigger | Ignored {
  const alarm = config.alarms.find((candidate) => candidate.name === event.detail.alarmName);
  if (alarm === undefined)
    return { ignore: `alarm ${quoteInput(event.detail.alarmName)} is not configured to retrain` };
  if (event.detail.state.value !== 'ALARM') {
    return { ignore: `alarm ${alarm.name} entered ${event.detail.state.value}, not ALARM` };
  }
  const since = event.detail.state.timestamp;
  return {
    kind: 'drift-alarm',
    pipeline: alarm.pipeline,
    identity: ['drift-alarm', alarm.name, since],
    runName: ['drift-alarm', compactTimestamp(toIsoTime(since))],
    origin: `drift alarm ${alarm.name} entered ALARM at ${since}`,
    summary: `drift alarm ${alarm.name} entered ALARM`,
    facts: [
      ['Alarm', alarm.name],
      ['Since', since],
      ['Reason', event.detail.state.reason],
    ],
    parameters: { ...config.parameters, ...alarm.parameters },
  };
}

/** The retrain run a trigger asks for; every field derives from the trigger's identity, token included. */
export function retrainStartRequest(trigger: RetrainTrigger, config: Config): PipelineStartRequest {
  const token = deriveClientRequestToken('retrain', trigger.identity);
  const parameters = { ModelPackageGroupName: config.modelPackageGroup, ...trigger.parameters };
  return {
    pipelineName: config.pipelines[trigger.pipeline],
    parameters: Object.entries(parameters).map(([name, value]) => ({ name, value })),
    displayName: toPipelineExecutionDisplayName([...trigger.runName, token.slice(-8)]),
    description: describeWithToken(`Started by onMonitoringViolation: ${trigger.origin}`, token),
    clientRequestToken: token,
  };
}

/** What became of a retrain: its run (started now, or by an earlier delivery), or held back. */
export type RetrainOutcome =
  { readonly startedArn: string } | { readonly heldBack: string; readonly nextAllowedAt?: string };

/** The e-mail about a retrain decision: started, or held back and until when. */
export function retrainNotification(
  trigger: RetrainTrigger,
  outcome: RetrainOutcome,
  config: Config,
  region: string,
): Notification {
  const target = config.pipelines[trigger.pipeline];
  const started = 'startedArn' in outcome;
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
                pipelineExecutionLink(region, target, outcome.startedArn),
              ],
            }
          : {
              title: 'Held back',
              lines: [
                `Not started because ${outcome.heldBack}.`,
                outcome.nextAllowedAt
                  ? `The next retrain is allowed from ${outcome.nextAllowedAt}; a trigger after that starts one.`
                  : 'A trigger after that run ends starts one.',
              ],
            },
      ],
    },
  });
}

/** CloudWatch writes `2019-10-02T17:04:40.989+0000`; display names want the ISO form. */
function toIsoTime(time: string): string {
  const parsed = Date.parse(time);
  return Number.isFinite(parsed) ? new Date(parsed).toISOString() : time;
}
