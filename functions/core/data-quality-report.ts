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

/**
 * Reads a Model Monitor `constraint_violations.json` (`{"violations": [{"feature_name",
 * "constraint_check_type", "description"}]}`). It is read only when a check reported violations
 * (a QualityCheck step names the report only then; a Model Monitor job exits
 * `CompletedWithViolations`), so a missing report (`undefined`) is said as such, never as none.
 */
export function parseConstraintViolations(report: unknown, reportUri: string): DataQualityReport {
  const violations = isRecord(report) && Array.isArray(report.violations) ? report.violations : [];
  return {
    reportUri,
    missing: report === undefined,
    violations: violations.filter(isRecord).map((violation) => ({
      feature: String(violation.feature_name ?? '(dataset)'),
      check: String(violation.constraint_check_type ?? 'unknown_check'),
      description: String(violation.description ?? ''),
    })),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
