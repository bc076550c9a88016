import { SCORING_INPUT_PARAMETER } from '../../pipeline-definitions/batch-inference-contract';
import { readableInputDataUrl } from '../../pipeline-definitions/training-contract';
import type { NotificationFunctionsConfig } from '../config/function-configs';
import { assertNever } from './assert-never';
import type { ModelPackageStateChange } from '../schemas/sagemaker-events';
import { deriveClientRequestToken } from './client-request-token';
import { factLines } from './email/format';
import { featureDisplayName } from './feature-display-name';
import { type Notification, notification } from './notification';
import { toPipelineExecutionDisplayName } from './pipeline-execution-display-name';
import { withoutTriggerToken } from './pipeline-start-guard';
import type { PipelineStartRequest } from './pipeline-start-request';
import type { RegisteredModelVersion } from './registered-model-version';
import { modelPackageLink, pipelineExecutionLink } from './sagemaker-links';
import type { Ignored } from './ignored';
import { quoteInput } from './text-safety';
import { type UnreadableFact, unreadableSection } from './unreadable-fact';

type Config = NotificationFunctionsConfig;

export interface EvaluationMetric {
  readonly name: string;
  readonly value: number;
  readonly standardDeviation?: number;
}

/** Origins the training pipelines record, and who may approve what they register. */
const APPROVER_OF_ORIGIN: Readonly<Record<string, string>> = {
  recalibration:
    'Recalibration (fixed hyperparameters, new data): the data scientist on duty may approve it.',
  retuning:
    'Retuning (new hyperparameters from a tuning job): it needs the review board’s sign-off before anyone approves it.',
};

/** What a state change asks for: a review of a new version, or the confirmation of a decision. */
export type ModelPackagePlan =
  | { readonly kind: 'review-request' }
  | { readonly kind: 'decision-confirmation'; readonly status: 'Approved' | 'Rejected' };

/**
 * Whether a state change asks for anything: a new version of this stack's model package group, or
 * a change of a version's approval status. An update of other fields (a lifecycle stage, customer
 * metadata, a description) names them in `UpdatedModelPackageFields` and repeats the unchanged
 * status: acting on it would confirm an approval again and start another scoring run.
 */
export function planModelPackageEvent(
  event: ModelPackageStateChange,
  config: Config,
): Ignored | ModelPackagePlan {
  const { detail } = event;
  if (detail.ModelPackageGroupName.toLowerCase() !== config.modelPackageGroup.toLowerCase()) {
    return {
      ignore: `model package group ${detail.ModelPackageGroupName} is not ${config.modelPackageGroup}`,
    };
  }
  const updated = detail.UpdatedModelPackageFields;
  if (updated !== undefined && !updated.includes('ModelApprovalStatus')) {
    return {
      ignore: `the update of ${detail.ModelPackageArn} changed ${quoteInput(updated.join(', '))}, not its approval status`,
    };
  }
  const status = detail.ModelApprovalStatus;
  switch (status) {
    case 'PendingManualApproval':
      return { kind: 'review-request' };
    case 'Approved':
    case 'Rejected':
      return { kind: 'decision-confirmation', status };
    default:
      return assertNever(status);
  }
}

/** The version number an ARN names (`.../model-package/group/7` → 7), part of its identity. */
export function versionOfModelPackageArn(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

/**
 * Reads the numeric metrics of a model-metrics report (`{"binary_classification_metrics": {"auc":
 * {"value": 0.91, "standard_deviation": 0.01}, ...}}`); curves and matrices are left to the console.
 */
export function parseEvaluationMetrics(report: unknown): EvaluationMetric[] {
  if (!isRecord(report)) return [];
  return Object.values(report)
    .filter(isRecord)
    .flatMap((group) =>
      Object.entries(group).flatMap(([name, metric]) =>
        isRecord(metric) && typeof metric.value === 'number'
          ? [
              {
                name,
                value: metric.value,
                ...(typeof metric.standard_deviation === 'number'
                  ? { standardDeviation: metric.standard_deviation }
                  : {}),
              },
            ]
          : [],
      ),
    );
}

/** What a review request shows, read before deciding; what could not be read is named. */
export interface ReviewFacts {
  readonly version: RegisteredModelVersion;
  readonly metrics?: readonly EvaluationMetric[];
  /** The newest approved version other than this one, to compare with. */
  readonly approved?: {
    readonly version: RegisteredModelVersion;
    readonly metrics?: readonly EvaluationMetric[];
  };
  /** The description of the training run, which says what started it. */
  readonly trainingRunDescription?: string;
  readonly unreadable: readonly UnreadableFact[];
}

/**
 * The review request: why the version exists, how it compares with the approved one and with
 * scoring's quality check, where it comes from, and how to decide: enough to decide from the
 * e-mail alone.
 */
export function decideReviewRequest(
  event: ModelPackageStateChange,
  config: Config,
  facts: ReviewFacts,
  region: string,
): Notification {
  const { version } = facts;
  const { ModelPackageArn: arn, ModelPackageGroupName: group } = event.detail;
  const number = event.detail.ModelPackageVersion ?? version.version;
  const origin = version.customerMetadata.origin;
  const sourceRun = version.customerMetadata.sourceExecutionArn ?? version.generatedBy;
  const inputDataUrl = version.customerMetadata.inputDataUrl;
  return notification({
    stage: config.stage,
    category: 'model-approval',
    severity: 'info',
    kind: 'review-request',
    subject: `Review: model v${number} of ${group} (${headlineComparison(facts, config.qualityGate.metric) ?? origin ?? 'no metrics'})`,
    layout: {
      headline: `Model version ${number} of ${group} waits for your review`,
      sections: [
        {
          title: 'Why it was trained',
          lines: [
            facts.trainingRunDescription === undefined
              ? 'The training run did not say what started it.'
              : withoutTriggerToken(facts.trainingRunDescription),
          ],
        },
        {
          title: 'Who may approve',
          lines: [
            APPROVER_OF_ORIGIN[origin ?? ''] ??
              'The training run recorded no origin: treat it as retuning and ask the review board.',
          ],
        },
        {
          title: 'Evaluation on the held-out test split',
          lines: evaluationLines(facts, number, config),
          verbatim: true,
        },
        {
          title: 'Where it comes from',
          lines: factLines([
            [
              'Training data',
              inputDataUrl === undefined ? undefined : readableInputDataUrl(inputDataUrl),
            ],
            ['Training run', sourceRun],
            // Recorded by the training pipelines when the feature store is on.
            ['Feature group', version.customerMetadata.featureGroupName],
            ['Training window', version.customerMetadata.trainingWindow],
            ['Athena query', version.customerMetadata.queryExecutionId],
            ['Registered', version.creationTime],
            ['Model data', version.modelDataUrl],
          ]),
        },
        ...unreadableSection(facts.unreadable),
        { title: 'Look at it', lines: [modelPackageLink(region, group, number)], verbatim: true },
        {
          title: 'Approve or reject it (say why)',
          lines: [
            ...(['approve', 'reject'] as const).map(
              (decision) =>
                `npx mlops ${decision} ${number} --stage ${config.stage} --region ${region} --reason "<why>"`,
            ),
            '',
            // For reviewers without the control plane's repository: the same call, signed by hand.
            'or, with the AWS CLI:',
            ...decisionCommand(arn, 'Approved'),
            '',
            ...decisionCommand(arn, 'Rejected'),
          ],
          verbatim: true,
        },
      ],
    },
  });
}

/** `auc 0.94 vs 0.91`, `auc 0.94, first version`, or undefined without the metric. */
function headlineComparison(facts: ReviewFacts, metric: string): string | undefined {
  const value = valueOf(facts.metrics, metric);
  if (value === undefined) return undefined;
  const approvedValue = valueOf(facts.approved?.metrics, metric);
  if (approvedValue !== undefined) return `${metric} ${round(value)} vs ${round(approvedValue)}`;
  return facts.approved === undefined
    ? `${metric} ${round(value)}, first version`
    : `${metric} ${round(value)}`;
}

/**
 * The candidate's metrics beside the approved version's, with the change, and whether the
 * candidate passes the threshold scoring will hold it to.
 */
function evaluationLines(facts: ReviewFacts, number: number | undefined, config: Config): string[] {
  const gate = config.qualityGate;
  const metrics = facts.metrics ?? [];
  if (metrics.length === 0) {
    const where = facts.version.modelQualityStatisticsUrl;
    return [`No evaluation metrics could be read${where ? ` from ${where}` : ''}.`];
  }
  const approved = facts.approved;
  const header = [
    'Metric',
    `v${number ?? '?'} (this)`,
    ...(approved ? [`v${approved.version.version ?? '?'} (approved)`, 'Change'] : []),
  ];
  const rows = metrics.map((metric) => {
    const before = valueOf(approved?.metrics, metric.name);
    return [
      featureDisplayName(config.datasetFeatures, metric.name),
      `${round(metric.value)}${metric.standardDeviation === undefined ? '' : ` (sd ${round(metric.standardDeviation)})`}`,
      ...(approved
        ? [
            before === undefined ? '-' : round(before),
            before === undefined ? '-' : signed(metric.value - before),
          ]
        : []),
    ];
  });
  const gated = valueOf(metrics, gate.metric);
  return [
    ...alignColumns([header, ...rows]),
    '',
    ...(approved === undefined
      ? ['No version is approved yet: there is nothing to compare with.']
      : []),
    gated === undefined
      ? `Scoring checks ${gate.metric} (threshold ${gate.threshold}), which this evaluation does not report.`
      : gated >= gate.threshold
        ? `Scoring's quality check: ${gate.metric} ${round(gated)} passes its threshold of ${gate.threshold}.`
        : `Scoring's quality check: ${gate.metric} ${round(gated)} is below its threshold of ${gate.threshold}; scored with ground truth, this version would fail it.`,
  ];
}

function valueOf(
  metrics: readonly EvaluationMetric[] | undefined,
  name: string,
): number | undefined {
  return metrics?.find((metric) => metric.name === name)?.value;
}

function alignColumns(rows: readonly (readonly string[])[]): string[] {
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return rows.map((row) =>
    row
      .map((cell, column) =>
        column === row.length - 1 ? cell : cell.padEnd((widths[column] ?? 0) + 2),
      )
      .join('')
      .trimEnd(),
  );
}

function signed(difference: number): string {
  const text = round(Math.abs(difference));
  if (text === '0') return '0';
  return `${difference > 0 ? '+' : '-'}${text}`;
}

/**
 * The scoring run an approval starts, when configured. Its token derives from the package ARN and
 * the status, so a duplicated approval event (or a retry after a failed e-mail) starts one run.
 */
export function approvalStartRequest(
  event: ModelPackageStateChange,
  config: Config,
): PipelineStartRequest | undefined {
  const { approval } = config;
  if (
    event.detail.ModelApprovalStatus !== 'Approved' ||
    !approval.startBatchInference ||
    approval.inputDataUrl === undefined
  ) {
    return undefined;
  }
  const token = deriveClientRequestToken('approval', [event.detail.ModelPackageArn, 'Approved']);
  return {
    pipelineName: config.pipelines['batch-inference'],
    parameters: [
      { name: SCORING_INPUT_PARAMETER, value: approval.inputDataUrl },
      { name: 'ModelPackageGroupName', value: config.modelPackageGroup },
    ],
    // From the ARN, not from the event's ModelPackageVersion: every field follows the token's
    // identity, or a redelivery that differs elsewhere is refused as a reused token.
    displayName: toPipelineExecutionDisplayName([
      'approved',
      `v${versionOfModelPackageArn(event.detail.ModelPackageArn)}`,
      token.slice(-8),
    ]),
    description: `Started by onModelPackageStateChange: ${event.detail.ModelPackageArn} was approved`,
    clientRequestToken: token,
  };
}

/** The confirmation of an approval or a rejection, with the reviewer's description. */
export function decideDecisionConfirmation(
  event: ModelPackageStateChange,
  config: Config,
  region: string,
  scoringRunArn?: string,
): Notification {
  const {
    ModelPackageArn: arn,
    ModelPackageGroupName: group,
    ModelApprovalStatus: status,
  } = event.detail;
  const number = event.detail.ModelPackageVersion;
  const approved = status === 'Approved';
  return notification({
    stage: config.stage,
    category: 'model-approval',
    severity: 'info',
    kind: approved ? 'model-approved' : 'model-rejected',
    subject: `${approved ? 'Approved' : 'Rejected'}: model ${group} v${number ?? '?'}`,
    layout: {
      headline: `Model version ${number ?? arn} of ${group} was ${approved ? 'approved' : 'rejected'}`,
      sections: [
        {
          title: 'Decision',
          lines: factLines([
            ['Status', status],
            ['Description', event.detail.ApprovalDescription ?? '(none given)'],
            ['Model package', arn],
          ]),
        },
        {
          title: 'What happens now',
          lines: [
            approved
              ? 'Scoring runs use this version from now on: batch inference asks for the newest approved version when it starts.'
              : 'Scoring runs keep using the newest approved version; this one will not be used.',
            ...(scoringRunArn
              ? [
                  `A scoring run started with it: ${pipelineExecutionLink(region, config.pipelines['batch-inference'], scoringRunArn)}`,
                ]
              : []),
          ],
        },
        { title: 'Look at it', lines: [modelPackageLink(region, group, number)], verbatim: true },
      ],
    },
  });
}

function decisionCommand(arn: string, status: 'Approved' | 'Rejected'): string[] {
  return [
    'aws sagemaker update-model-package \\',
    `  --model-package-arn ${arn} \\`,
    `  --model-approval-status ${status} \\`,
    `  --approval-description "${status} by <name>: <reason>"`,
  ];
}

function round(value: number): string {
  return String(Number(value.toFixed(4)));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
