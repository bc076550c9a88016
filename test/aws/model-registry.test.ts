import {
  DescribeModelPackageCommand,
  ListModelPackagesCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { findNewestApprovedModelPackageArn } from '../../functions/aws/approved-model-lookup';
import { describeModelVersion } from '../../functions/aws/model-registry';

const arn = 'arn:aws:sagemaker:eu-west-1:123456789012:model-package/mlops-dev-models/7';

describe('model registry adapter', () => {
  const sageMaker = mockClient(SageMakerClient);
  afterEach(() => sageMaker.reset());
  afterAll(() => sageMaker.restore());

  it('asks for the newest approved version explicitly (the API sorts ascending by default)', async () => {
    sageMaker.on(ListModelPackagesCommand).resolves({
      ModelPackageSummaryList: [
        {
          ModelPackageArn: arn,
          ModelPackageName: 'mlops-dev-models',
          CreationTime: new Date(),
          ModelPackageStatus: 'Completed',
        },
      ],
    });
    await expect(
      findNewestApprovedModelPackageArn(new SageMakerClient({}), 'mlops-dev-models'),
    ).resolves.toBe(arn);
    expect(sageMaker).toHaveReceivedCommandTimes(ListModelPackagesCommand, 1);
    expect(sageMaker).toHaveReceivedCommandWith(ListModelPackagesCommand, {
      ModelPackageGroupName: 'mlops-dev-models',
      ModelApprovalStatus: 'Approved',
      ModelPackageType: 'Versioned',
      SortBy: 'CreationTime',
      SortOrder: 'Descending',
      MaxResults: 1,
    });
  });

  it('returns undefined when nothing is approved', async () => {
    sageMaker.on(ListModelPackagesCommand).resolves({ ModelPackageSummaryList: [] });
    await expect(
      findNewestApprovedModelPackageArn(new SageMakerClient({}), 'g'),
    ).resolves.toBeUndefined();
  });

  it('maps DescribeModelPackage into the registered version our decisions use', async () => {
    sageMaker.on(DescribeModelPackageCommand, { ModelPackageName: arn }).resolves({
      ModelPackageArn: arn,
      ModelPackageGroupName: 'mlops-dev-models',
      ModelPackageVersion: 7,
      ModelApprovalStatus: 'Approved',
      ModelPackageName: 'mlops-dev-models',
      CreationTime: new Date(),
      ModelPackageStatus: 'Completed',
      InferenceSpecification: {
        Containers: [{ Image: 'img', ModelDataUrl: 's3://b/model.tar.gz' }],
        SupportedContentTypes: ['text/csv'],
        SupportedResponseMIMETypes: ['text/csv'],
      },
      DriftCheckBaselines: {
        ModelDataQuality: {
          Statistics: { ContentType: 'application/json', S3Uri: 's3://b/stat.json' },
          Constraints: { ContentType: 'application/json', S3Uri: 's3://b/cons.json' },
        },
      },
      CustomerMetadataProperties: { origin: 'retuning' },
    });
    await expect(describeModelVersion(new SageMakerClient({}), arn)).resolves.toEqual({
      arn,
      groupName: 'mlops-dev-models',
      version: 7,
      approvalStatus: 'Approved',
      modelDataUrl: 's3://b/model.tar.gz',
      imageUri: 'img',
      driftCheckDataQuality: {
        statisticsUrl: 's3://b/stat.json',
        constraintsUrl: 's3://b/cons.json',
      },
      metricsDataQuality: { statisticsUrl: undefined, constraintsUrl: undefined },
      customerMetadata: { origin: 'retuning' },
      modelQualityStatisticsUrl: undefined,
      generatedBy: undefined,
      approvalDescription: undefined,
      creationTime: expect.any(String),
    });
  });
});
