import type { EmailLayout } from './email/plain-text-email';
import { factLines } from './email/format';
import { featureDisplayName } from './feature-display-name';
import { type Notification, notification } from './notification';
import { type UnreadableFact, unreadableSection } from './unreadable-fact';
import type { DataQualityReport } from './data-quality-report';
import { s3ObjectLink } from './sagemaker-links';

export interface DriftWarningInput {
  readonly stage: string;
  readonly report: DataQualityReport;
  readonly maxViolations: number;
  /** Where the check ran: `scoring (batch inference)`, `Model Monitor job x`. */
  readonly where: string;
  /** Who found the violations, the subject of the sentence: `The data-quality check X ...`. */
  readonly checkedBy: string;
  /** What it means for the work at hand, if anything. */
  readonly consequence?: string;
  readonly pipeline?: string;
  /** What was checked: the data, the model version, the job or run. */
  readonly scored: ReadonlyArray<readonly [string, string | undefined]>;
  readonly unreadable: readonly UnreadableFact[];
  readonly links: ReadonlyArray<readonly [string, string]>;
  /** The dataset schema's feature names, shown instead of Model Monitor's `_c0`, `_c1`, ... */
  readonly datasetFeatures?: readonly string[];
}

/**
 * The drift warning: the violated features and constraint checks (the first few), and where the
 * full report is. Pipeline QualityCheck steps and Model Monitor jobs both report this way.
 *
 * @example
 * driftWarning({ stage, report, maxViolations: 10, where: 'scoring', checkedBy: '...', links: [] });
 */
export function driftWarning(input: DriftWarningInput): Notification {
  const content = input.report.missing ? missingReport(input) : violationsFound(input);
  return notification({
    stage: input.stage,
    category: 'drift',
    severity: 'warning',
    kind: 'drift-warning',
    ...(input.pipeline === undefined ? {} : { pipeline: input.pipeline }),
    subject: content.subject,
    layout: {
      headline: content.headline,
      sections: [
        { title: 'What happened', lines: [`${content.whatHappened}${consequenceOf(input)}`] },
        { title: 'What was checked', lines: factLines(input.scored) },
        ...content.sections,
        ...unreadableSection(input.unreadable),
        { title: 'What to do next', lines: WHAT_TO_DO_NEXT },
        ...input.links.map(([title, link]) => ({ title, lines: [link], verbatim: true })),
      ],
    },
  });
}

const WHAT_TO_DO_NEXT = [
  'Look at the report: a changed source, a broken feed or a real shift in the population?',
  'This warning starts no retraining by itself. A CloudWatch drift alarm listed under custom.mlops.retraining.alarms starts one when it fires; a scoring run whose model quality drops below its threshold starts a retune.',
];

interface DriftContent {
  readonly subject: string;
  readonly headline: string;
  readonly whatHappened: string;
  readonly sections: EmailLayout['sections'];
}

function violationsFound(input: DriftWarningInput): DriftContent {
  const report = {
    ...input.report,
    violations: input.report.violations.map((violation) => ({
      ...violation,
      feature: featureDisplayName(input.datasetFeatures, violation.feature),
    })),
  };
  const shown = report.violations.slice(0, input.maxViolations);
  const more = report.violations.length - shown.length;
  const features = [...new Set(report.violations.map((violation) => violation.feature))];
  return {
    subject: `Data drift: ${report.violations.length} violations (${features.slice(0, 3).join(', ')}) in ${input.where}`,
    headline: `Data drift: ${report.violations.length} constraint violations in ${input.where}`,
    whatHappened: `${input.checkedBy} found ${report.violations.length} violations in ${features.length} features: ${features.join(', ')}.`,
    sections: [
      {
        title: more > 0 ? `Violations (first ${shown.length})` : 'Violations',
        lines: [
          ...shown.map(
            (violation) => `- ${violation.feature} [${violation.check}]: ${violation.description}`,
          ),
          ...(more > 0 ? [`... and ${more} more in the full report.`] : []),
        ],
      },
      {
        title: 'Full report',
        lines: [report.reportUri, s3ObjectLink(report.reportUri)],
        verbatim: true,
      },
    ],
  };
}

/**
 * The check reported violations (a QualityCheck step names its report only then; a Model Monitor
 * job exits `CompletedWithViolations`), but nothing is at the report's URI: said as it is, never
 * as "0 violations".
 */
function missingReport(input: DriftWarningInput): DriftContent {
  const { reportUri } = input.report;
  return {
    subject: `Data drift: violations reported, report missing, in ${input.where}`,
    headline: `Data drift: violations reported in ${input.where}, report missing`,
    whatHappened: `${input.checkedBy} reported violations, but its report is missing at ${reportUri}. Which features drifted cannot be said: look at the job's output and logs.`,
    sections: [{ title: 'Expected report', lines: [reportUri], verbatim: true }],
  };
}

function consequenceOf(input: DriftWarningInput): string {
  return input.consequence === undefined ? '' : ` ${input.consequence}`;
}
