import type { GetApprovedModelOutput } from '../../pipeline-definitions/batch-inference-contract';
import { IncompleteModelPackageError } from '../errors';
import type { DataQualityBaseline, RegisteredModelVersion } from './registered-model-version';

/** The output the batch-inference pipeline's Lambda step declares: every value a string. */
export type ApprovedModelOutput = GetApprovedModelOutput;

/** Customer-metadata key under which a training run may record a model name. */
export const MODEL_NAME_METADATA_KEY = 'modelName';

/**
 * Turns the newest approved model version into what the scoring run needs. The data-quality
 * baseline comes from the version's drift-check baselines, falling back to its model metrics; a
 * version without model data, image or baseline cannot be scored and fails the step by name.
 *
 * @example
 * const output = toApprovedModelOutput(await describeModelVersion(client, arn));
 */
export function toApprovedModelOutput(version: RegisteredModelVersion): ApprovedModelOutput {
  const baseline = chooseBaseline(version);
  return {
    ModelPackageArn: version.arn,
    ModelPackageVersion: version.version === undefined ? '' : String(version.version),
    ModelDataUrl: required(
      version,
      'InferenceSpecification.Containers[0].ModelDataUrl',
      version.modelDataUrl,
    ),
    ImageUri: required(version, 'InferenceSpecification.Containers[0].Image', version.imageUri),
    BaselineStatisticsUrl: baseline.statisticsUrl,
    BaselineConstraintsUrl: baseline.constraintsUrl,
    ModelName: version.customerMetadata[MODEL_NAME_METADATA_KEY] ?? '',
  };
}

function chooseBaseline(version: RegisteredModelVersion): {
  statisticsUrl: string;
  constraintsUrl: string;
} {
  for (const candidate of [version.driftCheckDataQuality, version.metricsDataQuality]) {
    if (isComplete(candidate)) return candidate;
  }
  throw new IncompleteModelPackageError(
    `Model package ${version.arn} has no data-quality baseline: neither DriftCheckBaselines.ModelDataQuality ` +
      'nor ModelMetrics.ModelDataQuality has both Statistics and Constraints',
  );
}

function isComplete(
  baseline: DataQualityBaseline,
): baseline is { statisticsUrl: string; constraintsUrl: string } {
  return baseline.statisticsUrl !== undefined && baseline.constraintsUrl !== undefined;
}

function required(
  version: RegisteredModelVersion,
  field: string,
  value: string | undefined,
): string {
  if (value === undefined || value === '') {
    throw new IncompleteModelPackageError(`Model package ${version.arn} has no ${field}`);
  }
  return value;
}
