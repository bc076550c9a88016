/**
 * What the batch-inference pipeline expects from, and offers to, the Lambda functions around it.
 * batch-inference.json uses these names; a test keeps the two in step.
 */

/** The Lambda step that asks `getApprovedModel` for the newest approved model version. */
export const GET_APPROVED_MODEL_STEP_NAME = 'GetApprovedModel';

/** The event the Lambda step sends to `getApprovedModel`. */
export interface GetApprovedModelInput {
  readonly ModelPackageGroupName: string;
}

/**
 * The keys `getApprovedModel` must return, all strings: the pipeline declares them as the step's
 * OutputParameters and fails the step if one is missing.
 */
export const GET_APPROVED_MODEL_OUTPUT_NAMES = [
  'ModelPackageArn',
  'ModelPackageVersion',
  'ModelDataUrl',
  'ImageUri',
  'BaselineStatisticsUrl',
  'BaselineConstraintsUrl',
  'ModelName',
] as const;

export type GetApprovedModelOutput = Readonly<
  Record<(typeof GET_APPROVED_MODEL_OUTPUT_NAMES)[number], string>
>;

/**
 * The QualityCheck step that compares the input with the approved version's data-quality
 * baseline. It never fails the run on violations (FailOnViolation is false): it succeeds, and its
 * processing job's ExitMessage starts with `CompletedWithViolations`; the violations are in
 * `constraint_violations.json` under the step's output (step metadata `QualityCheck.ViolationReport`).
 */
export const INPUT_DATA_QUALITY_STEP_NAME = 'CheckInputDataQuality';

/**
 * The quality check of scoring: the metric it measures against ground truth, and the parameter
 * holding the threshold below which the run fails with the model-quality marker.
 */
export const MODEL_QUALITY_METRIC = 'auc';
export const MODEL_QUALITY_THRESHOLD_PARAMETER = 'AucThreshold';

/** The parameter holding the data a scoring run scores. */
export const SCORING_INPUT_PARAMETER = 'InputDataUrl';
