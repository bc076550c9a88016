import type { RegisteredModelVersion } from '../../functions/core/registered-model-version';

export const MODEL_PACKAGE_ARN =
  'arn:aws:sagemaker:eu-west-1:123456789012:model-package/mlops-dev-models/7';

/** A complete approved model version as the registry describes it; override what a test varies. */
export function registeredModelVersion(
  overrides: Partial<RegisteredModelVersion> = {},
): RegisteredModelVersion {
  return {
    arn: MODEL_PACKAGE_ARN,
    groupName: 'mlops-dev-models',
    version: 7,
    approvalStatus: 'Approved',
    modelDataUrl: 's3://bucket/models/run-7/model.tar.gz',
    imageUri: '141502667606.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-xgboost:1.7-1',
    driftCheckDataQuality: {
      statisticsUrl: 's3://bucket/baselines/run-7/statistics.json',
      constraintsUrl: 's3://bucket/baselines/run-7/constraints.json',
    },
    metricsDataQuality: {
      statisticsUrl: 's3://bucket/metrics/run-7/statistics.json',
      constraintsUrl: 's3://bucket/metrics/run-7/constraints.json',
    },
    customerMetadata: { origin: 'recalibration' },
    modelQualityStatisticsUrl: 's3://bucket/evaluation/run-7/evaluation.json',
    generatedBy:
      'arn:aws:sagemaker:eu-west-1:123456789012:pipeline/mlops-dev-training/execution/run7abc',
    approvalDescription: undefined,
    creationTime: '2026-11-01T07:40:00.000Z',
    ...overrides,
  };
}
