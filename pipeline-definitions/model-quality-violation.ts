/**
 * How the batch-inference pipeline marks a genuine model-quality violation, as opposed to any
 * other failure (a missing file, a capacity error, a wrong ground-truth file).
 *
 * Only the Fail step named {@link MODEL_QUALITY_VIOLATION_STEP_NAME} can end a run with a message
 * that starts with {@link MODEL_QUALITY_VIOLATION_MARKER}; it runs when the AUC measured against
 * the supplied ground truth is below the AucThreshold parameter. The full message is
 *
 *   MODEL_QUALITY_VIOLATION: metric=auc value=<measured auc> threshold=<AucThreshold>
 *
 * It arrives as `detail.failureReason` of the "SageMaker Model Building Pipeline Execution Step
 * Status Change" event of that step (status Failed), and from ListPipelineExecutionSteps. The
 * execution-level event carries a generic reason, not this message.
 */
export const MODEL_QUALITY_VIOLATION_MARKER = 'MODEL_QUALITY_VIOLATION:';

/** The name of the Fail step in batch-inference.json whose failure reason carries the marker. */
export const MODEL_QUALITY_VIOLATION_STEP_NAME = 'ModelQualityViolation';
