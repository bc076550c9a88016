import type { MonitoringFunctionConfig } from '../config/function-configs';
import type { AlarmStateChange } from '../schemas/cloudwatch-alarm-event';
import type { PipelineStepStatusChange } from '../schemas/sagemaker-events';
import { deriveClientRequestToken } from './client-request-token';
import { factLines } from './email/format';
import { type ModelQualityViolation, isModelQualityViolation } from './model-quality-violation';
import { type UnreadableFact, unreadableSection } from './unreadable-fact';
import { type Notification, notification } from './notification';
import {
  compactTimestamp,
  toPipelineExecutionDisplayName,
} from './pipeline-execution-display-name';
import { type HeldBack, describeWithToken } from './pipeline-start-guard';
import type { PipelineStartRequest } from './pipeline-start-request';
import {
  executionIdOf,
  identifyPipeline,
  pipelineExecutionLink,
  pipelineLabel,
} from './sagemaker-links';
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
  /** What happened, in a subject's words (may say more than the identity). */
  readonly headline: string;
  /** What happened, in a sentence. */
  readonly whatHappened: string;
  readonly facts: ReadonlyArray<readonly [string, string | undefined]>;
  readonly links: ReadonlyArray<readonly [string, string]>;
  /** What the e-mail could not learn. */
  readonly unreadable: readonly UnreadableFact[];
  readonly parameters: Readonly<Record<string, string>>;
}

/** The failed Fail step of one of this stack's scoring runs (see `isModelQualityViolation`). */
export interface ViolatingScoringStep {
  readonly executionArn: string;
  readonly stepName: string;
}

/**
 * The step of a status change, when it is the model-quality violation of this stack's scoring
 * pipeline (see `isModelQualityViolation`); any other step, or status, is ignored.
 */
export function violatingScoringStep(
  detail: PipelineStepStatusChange['detail'],
  config: Config,
): ViolatingScoringStep | Ignored {
  const pipeline = identifyPipeline(detail.pipelineArn, config.pipelines);
  if (!isModelQualityViolation(pipeline?.id, detail.stepName, detail.currentStepStatus)) {
    return {
      ignore: `step ${quoteInput(detail.stepName)} ${detail.currentStepStatus} of ${detail.pipelineArn} is not the model-quality violation of this stack's scoring pipeline`,
    };
  }
  return { executionArn: detail.pipelineExecutionArn, stepName: detail.stepName };
}

/**
 * A retune for a genuine model-quality violation. Its identity is the scoring run and the step,
 * so redeliveries of the step's event start one run, whether or not their message was readable.
 */
export function modelQualityTrigger(
  step: ViolatingScoringStep,
  violation: ModelQualityViolation & { readonly unreadable: readonly UnreadableFact[] },
  config: Config,
  region: string,
): RetrainTrigger {
  const { measurement } = violation;
  return {
    kind: 'model-quality',
    pipeline: config.onModelQuality,
    identity: ['model-quality', step.executionArn, step.stepName],
    runName: ['model-quality', executionIdOf(step.executionArn)],
    origin: `model-quality violation (${step.stepName}) in scoring run ${step.executionArn}`,
    headline: measurement
      ? `Model quality ${measurement.metric} ${measurement.value} < ${measurement.threshold}`
      : 'Model quality below its threshold',
    whatHappened: measurement
      ? `A scoring run measured ${measurement.metric} ${measurement.value} against the ground truth it was given, below the threshold of ${measurement.threshold}.`
      : 'A scoring run measured its quality against the ground truth it was given below the threshold (the run did not report the numbers).',
    facts: [
      ['Scoring run', executionIdOf(step.executionArn)],
      ['Measured', measurement ? `${measurement.metric} ${measurement.value}` : 'not reported'],
      ['Threshold', measurement ? String(measurement.threshold) : undefined],
    ],
    unreadable: violation.unreadable,
    links: [
      [
        'The scoring run',
        pipelineExecutionLink(region, config.pipelines['batch-inference'], step.executionArn),
      ],
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
    headline: `Drift alarm ${alarm.name} in ALARM`,
    whatHappened: `The CloudWatch alarm ${alarm.name} entered ALARM at ${since}${event.detail.state.reason ? `: ${event.detail.state.reason}` : '.'}`,
    facts: [
      ['Alarm', alarm.name],
      ['Since', since],
    ],
    links: [],
    unreadable: [],
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
export type RetrainOutcome = { readonly kind: 'started'; readonly executionArn: string } | HeldBack;

/**
 * The one e-mail about a trigger: what happened (the violation measured, the alarm that fired)
 * and what happens next (retraining started, with its run; or held back, why and until when).
 */
export function retrainNotification(
  trigger: RetrainTrigger,
  outcome: RetrainOutcome,
  config: Config,
  region: string,
): Notification {
  const target = config.pipelines[trigger.pipeline];
  const started = outcome.kind === 'started';
  const news = `${trigger.headline}: ${started ? 'retraining started' : `retraining held back, ${outcome.because}`}`;
  return notification({
    stage: config.stage,
    category: 'retraining',
    severity: started ? 'info' : 'warning',
    kind: started ? 'retrain-started' : 'retrain-skipped',
    pipeline: target,
    subject: news,
    layout: {
      headline: news,
      sections: [
        { title: 'What happened', lines: [trigger.whatHappened] },
        {
          title: 'What happens next',
          lines: started
            ? [
                `${pipelineLabel(trigger.pipeline)} started: ${NEXT_STEP_OF[trigger.pipeline]}`,
                pipelineExecutionLink(region, target, outcome.executionArn),
              ]
            : [
                `Nothing for now: retraining was not started because ${outcome.skip}.`,
                outcome.nextAllowedAt
                  ? `A trigger from ${outcome.nextAllowedAt} on starts one.`
                  : 'A trigger after that run ends starts one.',
              ],
        },
        { title: 'Details', lines: factLines(trigger.facts) },
        ...unreadableSection(trigger.unreadable),
        ...trigger.links.map(([title, link]) => ({ title, lines: [link], verbatim: true })),
      ],
    },
  });
}

/** What the reader can expect of each retrain pipeline's run. */
const NEXT_STEP_OF: Readonly<Record<RetrainPipeline, string>> = {
  training:
    'it trains with the configured hyperparameters on the training data, and its model version will be sent to you for review.',
  'training-hpo':
    'it searches new hyperparameters, and its model version will need the review board before scoring uses it.',
};

/** CloudWatch writes `2019-10-02T17:04:40.989+0000`; display names want the ISO form. */
function toIsoTime(time: string): string {
  const parsed = Date.parse(time);
  return Number.isFinite(parsed) ? new Date(parsed).toISOString() : time;
}
