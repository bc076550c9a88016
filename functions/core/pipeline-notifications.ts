import { SCORING_INPUT_PARAMETER } from '../../pipeline-definitions/batch-inference-contract';
import type { NotificationFunctionsConfig } from '../config/function-configs';
import type { StepNotification } from '../config/notifications-config';
import type {
  PipelineExecutionStatusChange,
  PipelineStepStatusChange,
} from '../schemas/sagemaker-events';
import { driftWarning } from './drift-warning';
import { factLines, formatDuration } from './email/format';
import { type TemplatePlaceholder, fillTemplate, placeholdersOf } from './email/template';
import { isModelQualityViolation } from './model-quality-violation';
import { type UnreadableFact, unreadableSection } from './unreadable-fact';
import { type Notification, type Severity, notification } from './notification';
import {
  type IdentifiedPipeline,
  executionIdOf,
  identifyPipeline,
  pipelineExecutionLink,
  pipelineNoun,
} from './sagemaker-links';
import type { Ignored } from './ignored';
import type { DataQualityReport } from './data-quality-report';

export interface RunParameter {
  readonly name: string;
  readonly value: string;
}

export interface FailedStep {
  readonly name: string;
  readonly type?: string;
  readonly failureReason?: string;
}

/**
 * What SageMaker says about a failed run; read only when a run failed. Each read stands alone:
 * what could not be read is listed in `unreadable`, and the rest is still e-mailed.
 */
export interface FailedRunFacts {
  readonly executionFailureReason?: string;
  readonly failedSteps: readonly FailedStep[];
  readonly parameters: readonly RunParameter[];
  readonly unreadable: readonly UnreadableFact[];
}

export interface StepFacts {
  readonly parameters?: readonly RunParameter[];
  readonly qualityReport?: DataQualityReport;
  /** What the checked run scored: its input and the model version it used. */
  readonly scored?: { readonly input?: string; readonly modelVersion?: string };
  readonly unreadable?: readonly UnreadableFact[];
}

/** The input a scoring run was handed, from its parameters. */
export function scoredInputOf(parameters: readonly RunParameter[]): string | undefined {
  return parameters.find((parameter) => parameter.name === SCORING_INPUT_PARAMETER)?.value;
}

export interface ExecutionPlan {
  readonly pipeline: IdentifiedPipeline;
  readonly needsFailedRun: boolean;
}

export interface StepPlan {
  readonly pipeline: IdentifiedPipeline;
  readonly templates: readonly StepNotification[];
  readonly needsParameters: boolean;
  readonly needsQualityReport: boolean;
}

type Config = NotificationFunctionsConfig;

/**
 * Whether an execution status change is e-mailed, and whether the failure facts must be read
 * (only for a failed run: a success costs no SageMaker call).
 */
export function planExecutionEvent(
  event: PipelineExecutionStatusChange,
  config: Config,
): ExecutionPlan | Ignored {
  const pipeline = identifyPipeline(event.detail.pipelineArn, config.pipelines);
  if (pipeline === undefined)
    return { ignore: `${event.detail.pipelineArn} is not a pipeline of this stack` };
  const status = event.detail.currentPipelineExecutionStatus;
  if (!(config.executionStatuses as readonly string[]).includes(status)) {
    return { ignore: `execution status ${status} is not configured to send e-mail` };
  }
  return { pipeline, needsFailedRun: status === 'Failed' };
}

/**
 * Whether a failed run is a scoring run stopped by its model-quality check. That is not e-mailed
 * as a failure: onMonitoringViolation sends one e-mail about it, with what happens next
 * (retraining started or held back).
 */
export function failedOnModelQuality(plan: ExecutionPlan, facts: FailedRunFacts): boolean {
  return facts.failedSteps.some((step) =>
    isModelQualityViolation(plan.pipeline.id, step.name, 'Failed'),
  );
}

/** The e-mail for a run that ended (or started): what happened, why, with which inputs, and a link. */
export function decideExecutionNotification(
  event: PipelineExecutionStatusChange,
  plan: ExecutionPlan,
  config: Config,
  facts: FailedRunFacts | undefined,
  region: string,
): Notification {
  const { detail } = event;
  const status = detail.currentPipelineExecutionStatus;
  const link = pipelineExecutionLink(region, plan.pipeline.name, detail.pipelineExecutionArn);
  const run = factLines([
    ['Pipeline', `${plan.pipeline.name} (${plan.pipeline.id})`],
    ['Run', detail.pipelineExecutionDisplayName],
    ['Status', status],
    ['Started', detail.executionStartTime],
    ['Ended', detail.executionEndTime],
    ['Duration', formatDuration(detail.executionStartTime, detail.executionEndTime)],
    ['Trigger', detail.pipelineExecutionDescription],
  ]);
  const news = `${pipelineNoun(plan.pipeline.id)} ${status.toLowerCase()}: ${detail.pipelineExecutionDisplayName ?? executionIdOf(detail.pipelineExecutionArn)}`;
  const sections = [
    ...(facts ? [failureSection(facts)] : []),
    ...unreadableSection(facts?.unreadable ?? []),
    { title: 'The run', lines: run },
    ...(facts
      ? [
          {
            title: 'Input parameters',
            lines: factLines(facts.parameters.map((p) => [p.name, p.value] as const)),
          },
        ]
      : []),
    { title: 'Open it', lines: [link], verbatim: true },
    ...(status === 'Failed' ? [retrySection(detail.pipelineExecutionArn)] : []),
  ];
  return notification({
    stage: config.stage,
    category: status === 'Failed' ? 'pipeline-failure' : 'pipeline-status',
    severity: severityOf(status),
    kind: `execution-${status.toLowerCase()}`,
    pipeline: plan.pipeline.name,
    subject: news,
    layout: { headline: news, sections },
  });
}

function failureSection(facts: FailedRunFacts) {
  const steps = facts.failedSteps.map(
    (step) =>
      `- ${step.name}${step.type ? ` (${step.type})` : ''}: ${step.failureReason ?? 'no reason given'}`,
  );
  return {
    title: 'Why it failed',
    lines: [...(facts.executionFailureReason ? [facts.executionFailureReason] : []), ...steps],
  };
}

function retrySection(executionArn: string) {
  return {
    title: 'What to do next',
    lines: [
      'Fix the cause above, then retry the failed steps of this run',
      '(the steps that succeeded are not run again):',
      '',
      `aws sagemaker retry-pipeline-execution --client-request-token $(uuidgen) \\`,
      `  --pipeline-execution-arn ${executionArn}`,
    ],
    verbatim: true,
  };
}

function severityOf(status: string): Severity {
  if (status === 'Failed') return 'critical';
  return status === 'Stopped' ? 'warning' : 'info';
}

/** Which templates and facts a step status change needs; QualityCheck successes may hide violations. */
export function planStepEvent(event: PipelineStepStatusChange, config: Config): StepPlan | Ignored {
  const pipeline = identifyPipeline(event.detail.pipelineArn, config.pipelines);
  if (pipeline === undefined)
    return { ignore: `${event.detail.pipelineArn} is not a pipeline of this stack` };
  const { stepName, currentStepStatus } = event.detail;
  const templates = config.stepNotifications.filter(
    (wanted) =>
      (wanted.pipeline === '*' || wanted.pipeline === pipeline.id) &&
      (wanted.step === '*' || wanted.step === stepName) &&
      (wanted.statuses as readonly string[]).includes(currentStepStatus),
  );
  const needsQualityReport =
    event.detail.stepType === 'QualityCheck' && currentStepStatus === 'Succeeded';
  if (templates.length === 0 && !needsQualityReport) {
    return {
      ignore: `no notification is configured for ${pipeline.id} step ${stepName} ${currentStepStatus}`,
    };
  }
  const needsParameters = templates.some((template) =>
    [...placeholdersOf(template.subject), ...placeholdersOf(template.body)].includes('parameters'),
  );
  return { pipeline, templates, needsParameters, needsQualityReport };
}

/** The configured template e-mails of a step, and a drift warning when its check found violations. */
export function decideStepNotifications(
  event: PipelineStepStatusChange,
  plan: StepPlan,
  config: Config,
  facts: StepFacts,
  region: string,
): Notification[] {
  const { detail } = event;
  const link = pipelineExecutionLink(region, plan.pipeline.name, detail.pipelineExecutionArn);
  const values: Record<TemplatePlaceholder, string> = {
    pipeline: plan.pipeline.name,
    step: detail.stepName,
    stepType: detail.stepType ?? '',
    status: detail.currentStepStatus,
    previousStatus: detail.previousStepStatus ?? '',
    failureReason: detail.failureReason ?? '',
    displayName: '',
    executionArn: detail.pipelineExecutionArn,
    executionLink: link,
    time: event.time,
    parameters: (facts.parameters ?? [])
      .map((parameter) => `${parameter.name}=${parameter.value}`)
      .join('\n'),
  };
  const templated = plan.templates.map((template) =>
    notification({
      stage: config.stage,
      category: detail.currentStepStatus === 'Failed' ? 'pipeline-failure' : 'pipeline-status',
      severity: detail.currentStepStatus === 'Failed' ? 'critical' : 'info',
      kind: 'step-status',
      pipeline: plan.pipeline.name,
      subject: fillTemplate(template.subject, values),
      layout: {
        headline: fillTemplate(template.subject, values),
        sections: [{ title: '', lines: [fillTemplate(template.body, values)] }],
      },
    }),
  );
  const report = facts.qualityReport;
  const drift =
    report !== undefined && (report.missing || report.violations.length > 0)
      ? [
          driftWarning({
            stage: config.stage,
            report,
            maxViolations: config.maxDriftViolations,
            where: pipelineNoun(plan.pipeline.id).toLowerCase(),
            checkedBy: `The data-quality check ${detail.stepName} compared the input with the approved model's baseline and`,
            consequence: 'The run goes on; the scores may be less reliable.',
            pipeline: plan.pipeline.name,
            scored: [
              ['Input', facts.scored?.input],
              ['Model version', facts.scored?.modelVersion],
              ['Scoring run', detail.pipelineExecutionArn],
            ],
            unreadable: facts.unreadable ?? [],
            links: [['The run', link]],
            datasetFeatures: config.datasetFeatures,
          }),
        ]
      : [];
  return [...templated, ...drift];
}
