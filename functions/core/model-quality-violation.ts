import {
  MODEL_QUALITY_VIOLATION_MARKER,
  MODEL_QUALITY_VIOLATION_STEP_NAME,
} from '../../pipeline-definitions/model-quality-violation';

/** A genuine model-quality violation, as the batch-inference pipeline reports it. */
export interface ModelQualityViolation {
  readonly metric: string;
  readonly value: number;
  readonly threshold: number;
}

/**
 * Reads the violation from a failure reason, or returns undefined when the reason is any other
 * failure (a missing file is an error to report, not a reason to retune). Only the marker step's
 * reason counts, and only when it starts with the marker: the one parser every handler uses.
 *
 * @example
 * parseModelQualityViolation('ModelQualityViolation',
 *   'MODEL_QUALITY_VIOLATION: metric=auc value=0.61 threshold=0.7');
 * // { metric: 'auc', value: 0.61, threshold: 0.7 }
 */
export function parseModelQualityViolation(
  stepName: string,
  failureReason: string | undefined,
): ModelQualityViolation | undefined {
  if (stepName !== MODEL_QUALITY_VIOLATION_STEP_NAME) return undefined;
  if (failureReason === undefined || !failureReason.startsWith(MODEL_QUALITY_VIOLATION_MARKER))
    return undefined;
  const fields = Object.fromEntries(
    [...failureReason.slice(MODEL_QUALITY_VIOLATION_MARKER.length).matchAll(/(\w+)=(\S+)/g)].map(
      ([, key, value]) => [key, value],
    ),
  );
  const value = Number(fields.value);
  const threshold = Number(fields.threshold);
  if (fields.metric === undefined || !Number.isFinite(value) || !Number.isFinite(threshold))
    return undefined;
  return { metric: fields.metric, value, threshold };
}
