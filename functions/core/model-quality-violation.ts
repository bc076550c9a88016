import {
  MODEL_QUALITY_VIOLATION_MARKER,
  MODEL_QUALITY_VIOLATION_STEP_NAME,
} from '../../pipeline-definitions/model-quality-violation';
import type { PipelineId } from '../../pipeline-definitions/pipeline-catalog';

/** What the Fail step measured: the metric, its value and the threshold it fell below. */
export interface ModelQualityMeasurement {
  readonly metric: string;
  readonly value: number;
  readonly threshold: number;
}

/**
 * A genuine model-quality violation, as the batch-inference pipeline reports it. The measurement is
 * there when the Fail step's message could be read; the violation is certain without it.
 */
export interface ModelQualityViolation {
  readonly measurement?: ModelQualityMeasurement;
}

/**
 * Whether a step's failure is the scoring pipeline's model-quality violation. It rests on what is
 * certain: the step is the Fail step that only runs when the measured quality is below the
 * threshold, of this stack's scoring pipeline, and it failed. Its message is not needed to know:
 * public material documents it only in ListPipelineExecutionSteps (`Metadata.Fail.ErrorMessage`),
 * and any other failure (a missing file, a capacity error) fails another step.
 *
 * @example
 * isModelQualityViolation('batch-inference', 'ModelQualityViolation', 'Failed'); // true
 */
export function isModelQualityViolation(
  pipeline: PipelineId | undefined,
  stepName: string,
  stepStatus: string,
): boolean {
  return (
    pipeline === 'batch-inference' &&
    stepName === MODEL_QUALITY_VIOLATION_STEP_NAME &&
    stepStatus === 'Failed'
  );
}

/**
 * Reads the measurement from the Fail step's message
 * (`MODEL_QUALITY_VIOLATION: metric=auc value=0.61 threshold=0.7`), or undefined when the message
 * is absent or is not that one.
 *
 * @example
 * parseModelQualityMessage('MODEL_QUALITY_VIOLATION: metric=auc value=0.61 threshold=0.7');
 * // { metric: 'auc', value: 0.61, threshold: 0.7 }
 */
export function parseModelQualityMessage(
  message: string | undefined,
): ModelQualityMeasurement | undefined {
  const start = message?.indexOf(MODEL_QUALITY_VIOLATION_MARKER) ?? -1;
  if (message === undefined || start === -1) return undefined;
  const fields = Object.fromEntries(
    [
      ...message.slice(start + MODEL_QUALITY_VIOLATION_MARKER.length).matchAll(/(\w+)=([\w.+-]+)/g),
    ].map(([, key, value]) => [key, value]),
  );
  const value = Number(fields.value);
  const threshold = Number(fields.threshold);
  if (fields.metric === undefined || !Number.isFinite(value) || !Number.isFinite(threshold))
    return undefined;
  return { metric: fields.metric, value, threshold };
}
