import { type Notification, notification } from './notification';
import type { DataQualityReport } from './pipeline-notifications';
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
  readonly links: ReadonlyArray<readonly [string, string]>;
}

/**
 * The drift warning: the violated features and constraint checks (the first few), and where the
 * full report is. Pipeline QualityCheck steps and Model Monitor jobs both report this way.
 *
 * @example
 * driftWarning({ stage, report, maxViolations: 10, where: 'scoring', checkedBy: '...', links: [] });
 */
export function driftWarning(input: DriftWarningInput): Notification {
  const { report } = input;
  const shown = report.violations.slice(0, input.maxViolations);
  const more = report.violations.length - shown.length;
  const features = [...new Set(report.violations.map((violation) => violation.feature))];
  return notification({
    stage: input.stage,
    category: 'drift',
    severity: 'warning',
    kind: 'drift-warning',
    ...(input.pipeline === undefined ? {} : { pipeline: input.pipeline }),
    subject: `Data drift: ${report.violations.length} violations in ${input.pipeline ?? input.where} (${features.slice(0, 3).join(', ')})`,
    layout: {
      headline: `Data drift in ${input.where}: ${report.violations.length} constraint violations`,
      sections: [
        {
          title: 'What happened',
          lines: [
            `${input.checkedBy} found ${report.violations.length} violations in ${features.length} features: ${features.join(', ')}.${input.consequence === undefined ? '' : ` ${input.consequence}`}`,
          ],
        },
        {
          title: more > 0 ? `Violations (first ${shown.length})` : 'Violations',
          lines: [
            ...shown.map(
              (violation) =>
                `- ${violation.feature} [${violation.check}]: ${violation.description}`,
            ),
            ...(more > 0 ? [`... and ${more} more in the full report.`] : []),
          ],
        },
        {
          title: 'Full report',
          lines: [report.reportUri, s3ObjectLink(report.reportUri)],
          verbatim: true,
        },
        ...input.links.map(([title, link]) => ({ title, lines: [link], verbatim: true })),
      ],
    },
  });
}
