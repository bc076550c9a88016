import type { NotificationFunctionsConfig } from '../config/function-configs';
import type { StepNotification } from '../config/notifications-config';
import type {
  PipelineExecutionStatusChange,
  PipelineStepStatusChange,
} from '../schemas/sagemaker-events';
import { driftWarning } from './drift-warning';
import { factLines, formatDuration } from './email/format';
import { type TemplatePlaceholder, fillTemplate, placeholdersOf } from './email/template';
import {
  type ModelQualityViolation,
  isModelQualityViolation,
  parseModelQualityMessage,
} from './model-quality-violation';
import { type Notification, type Severity, notification } from './notification';
import {
  type IdentifiedPipeline,
  identifyPipeline,
  pipelineExecutionLink,
  pipelineLabel,
} from './sagemaker-links';
import type { Ignored } from './ignored';

export interface RunParameter {
  readonly name: string;
  readonly value: string;
}

export interface FailedStep {
  readonly name: string;
  readonly type?: string;
  readonly failureReason?: string;
}

/** A fact about a run that could not be read, and why: the e-mail names it instead of failing. */
export interface UnreadableFact {
  /** What is missing, in words: `the failed steps`. */
  readonly what: string;
  /** The error, as `ThrottlingException: Rate exceeded`. */
  readonly error: string;
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

export interface ConstraintViolation {
  readonly feature: string;
  readonly check: string;
  readonly description: string;
}

/** A data-quality check's `constraint_violations.json`. */
export interface DataQualityReport {
  readonly reportUri: string;
  readonly violations: readonly ConstraintViolation[];
  /** The check reported violations, but no report is at `reportUri`. */
  readonly missing: boolean;
}

export interface StepFacts {
  readonly parameters?: readonly RunParameter[];
  readonly qualityReport?: DataQualityReport;
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
 * The e-mail for a run that ended (or started): what happened, why, with which inputs, and a link.
 * A run that failed on the model-quality marker is reported as that violation, not as a plain
 * failure.
 */
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
  const violation = findModelQualityViolation(plan.pipeline, facts);
  const run = factLines([
    ['Pipeline', `${plan.pipeline.name} (${plan.pipeline.id})`],
    ['Run', detail.pipelineExecutionDisplayName],
    ['Status', status],
    ['Started', detail.executionStartTime],
    ['Ended', detail.executionEndTime],
    ['Duration', formatDuration(detail.executionStartTime, detail.executionEndTime)],
    ['Trigger', detail.pipelineExecutionDescription],
  ]);
  const measured = violation?.measurement;
  const headline = violation
    ? `Model quality below threshold${measured ? `: ${measured.metric} ${measured.value} < ${measured.threshold}` : ''}`
    : `${pipelineLabel(plan.pipeline.id)} run ${status.toLowerCase()}: ${plan.pipeline.name}`;
  const sections = [
    ...(violation ? [violationSection(violation)] : []),
    ...(facts && !violation ? [failureSection(facts)] : []),
    ...(facts && facts.unreadable.length > 0 ? [unreadableSection(facts.unreadable)] : []),
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
    ...(status === 'Failed' && !violation ? [retrySection(detail.pipelineExecutionArn)] : []),
  ];
  return notification({
    stage: config.stage,
    category: status === 'Failed' ? 'pipeline-failure' : 'pipeline-status',
    severity: severityOf(status, violation),
    kind: violation ? 'model-quality-violation' : `execution-${status.toLowerCase()}`,
    pipeline: plan.pipeline.name,
    subject: violation
      ? `Model quality violation${measured ? `: ${measured.metric} ${measured.value} < ${measured.threshold}` : ''} in ${plan.pipeline.name}`
      : `${status}: ${plan.pipeline.name} ${detail.pipelineExecutionDisplayName ?? ''}`,
    layout: { headline, sections },
  });
}

function findModelQualityViolation(
  pipeline: IdentifiedPipeline,
  facts: FailedRunFacts | undefined,
): ModelQualityViolation | undefined {
  const step = facts?.failedSteps.find((failed) =>
    isModelQualityViolation(pipeline.id, failed.name, 'Failed'),
  );
  if (step === undefined) return undefined;
  const measurement = parseModelQualityMessage(step.failureReason);
  return measurement === undefined ? {} : { measurement };
}

function violationSection(violation: ModelQualityViolation) {
  const measured = violation.measurement;
  return {
    title: 'What happened',
    lines: [
      `${measured ? `The scored data's ${measured.metric} against the supplied ground truth is ${measured.value}, below the threshold ${measured.threshold}.` : 'The quality of the scores against the supplied ground truth is below the threshold (the check gave no numbers).'} This is a genuine model-quality violation (the pipeline's ModelQualityViolation step), the signal that retraining reacts to.`,
    ],
  };
}

function unreadableSection(unreadable: readonly UnreadableFact[]) {
  return {
    title: 'Not known (SageMaker could not be read)',
    lines: unreadable.map((fact) => `- ${fact.what}: ${fact.error}`),
  };
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

function severityOf(status: string, violation: ModelQualityViolation | undefined): Severity {
  if (violation || status === 'Failed') return 'critical';
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
            where: pipelineLabel(plan.pipeline.id).toLowerCase(),
            checkedBy: `The data-quality check ${detail.stepName} compared the input with the approved model's baseline and`,
            consequence: 'The run goes on; the scores may be less reliable.',
            pipeline: plan.pipeline.name,
            links: [['The run', link]],
            datasetFeatures: config.datasetFeatures,
          }),
        ]
      : [];
  return [...templated, ...drift];
}
