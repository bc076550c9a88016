import { GET_APPROVED_MODEL_OUTPUT_NAMES } from '../../pipeline-definitions/batch-inference-contract';
import { toApprovedModelOutput } from '../../functions/core/approved-model-output';
import type { RegisteredModelVersion } from '../../functions/core/registered-model-version';
import { MODEL_PACKAGE_ARN, registeredModelVersion } from '../support/model-versions';
import { IncompleteModelPackageError } from '../../functions/errors';

const arn = MODEL_PACKAGE_ARN;
const version = registeredModelVersion();
const none = { statisticsUrl: undefined, constraintsUrl: undefined };

describe('toApprovedModelOutput', () => {
  it('returns every output as a string, baselines from the drift-check baselines', () => {
    expect(toApprovedModelOutput(version)).toEqual({
      ModelPackageArn: arn,
      ModelPackageVersion: '7',
      ModelDataUrl: 's3://bucket/models/run-7/model.tar.gz',
      ImageUri: '141502667606.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-xgboost:1.7-1',
      BaselineStatisticsUrl: 's3://bucket/baselines/run-7/statistics.json',
      BaselineConstraintsUrl: 's3://bucket/baselines/run-7/constraints.json',
      ModelName: '',
    });
  });

  it('returns exactly the outputs the batch-inference Lambda step declares', () => {
    expect(Object.keys(toApprovedModelOutput(version)).sort()).toEqual(
      [...GET_APPROVED_MODEL_OUTPUT_NAMES].sort(),
    );
  });

  it('falls back to the model metrics when no drift-check baseline was registered', () => {
    const output = toApprovedModelOutput({ ...version, driftCheckDataQuality: none });
    expect(output.BaselineStatisticsUrl).toBe('s3://bucket/metrics/run-7/statistics.json');
    expect(output.BaselineConstraintsUrl).toBe('s3://bucket/metrics/run-7/constraints.json');
  });

  it('does not mix a half drift-check baseline with the metrics', () => {
    const output = toApprovedModelOutput({
      ...version,
      driftCheckDataQuality: {
        statisticsUrl: 's3://bucket/half/statistics.json',
        constraintsUrl: undefined,
      },
    });
    expect(output.BaselineStatisticsUrl).toBe('s3://bucket/metrics/run-7/statistics.json');
  });

  it('passes a recorded model name', () => {
    expect(
      toApprovedModelOutput({ ...version, customerMetadata: { modelName: 'churn-xgb' } }).ModelName,
    ).toBe('churn-xgb');
  });

  it.each<[string, Partial<RegisteredModelVersion>, string]>([
    [
      'no baseline at all',
      { driftCheckDataQuality: none, metricsDataQuality: none },
      'has no data-quality baseline',
    ],
    [
      'no model data',
      { modelDataUrl: undefined },
      'has no InferenceSpecification.Containers[0].ModelDataUrl',
    ],
    ['no image', { imageUri: '' }, 'has no InferenceSpecification.Containers[0].Image'],
  ])('%s fails the step, naming the package and what is missing', (_why, change, message) => {
    expect(() => toApprovedModelOutput({ ...version, ...change })).toThrow(
      IncompleteModelPackageError,
    );
    expect(() => toApprovedModelOutput({ ...version, ...change })).toThrow(
      `Model package ${arn} ${message}`,
    );
  });
});
