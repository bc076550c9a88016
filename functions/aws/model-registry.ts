import {
  DescribeModelPackageCommand,
  type DescribeModelPackageCommandOutput,
  ListModelPackagesCommand,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import type { RegisteredModelVersion } from '../core/registered-model-version';

/**
 * The ARN of the newest approved version of a model package group, or undefined when none is
 * approved. ListModelPackages sorts ascending by default: without the explicit descending order the
 * first result would be the oldest approved version.
 *
 * @example
 * const arn = await findNewestApprovedModelPackageArn(client, 'mlops-dev-models');
 */
export async function findNewestApprovedModelPackageArn(
  client: SageMakerClient,
  groupName: string,
): Promise<string | undefined> {
  const output = await client.send(
    new ListModelPackagesCommand({
      ModelPackageGroupName: groupName,
      ModelApprovalStatus: 'Approved',
      ModelPackageType: 'Versioned',
      SortBy: 'CreationTime',
      SortOrder: 'Descending',
      MaxResults: 1,
    }),
  );
  return output.ModelPackageSummaryList?.[0]?.ModelPackageArn;
}

/**
 * Reads one model version from the registry.
 *
 * @example
 * const version = await describeModelVersion(client, arn);
 */
export async function describeModelVersion(
  client: SageMakerClient,
  modelPackageArn: string,
): Promise<RegisteredModelVersion> {
  const output = await client.send(
    new DescribeModelPackageCommand({ ModelPackageName: modelPackageArn }),
  );
  return toRegisteredModelVersion(output);
}

function toRegisteredModelVersion(
  output: DescribeModelPackageCommandOutput,
): RegisteredModelVersion {
  const container = output.InferenceSpecification?.Containers?.[0];
  return {
    arn: output.ModelPackageArn ?? '',
    groupName: output.ModelPackageGroupName ?? '',
    version: output.ModelPackageVersion,
    approvalStatus: output.ModelApprovalStatus,
    modelDataUrl: container?.ModelDataUrl,
    imageUri: container?.Image,
    driftCheckDataQuality: {
      statisticsUrl: output.DriftCheckBaselines?.ModelDataQuality?.Statistics?.S3Uri,
      constraintsUrl: output.DriftCheckBaselines?.ModelDataQuality?.Constraints?.S3Uri,
    },
    metricsDataQuality: {
      statisticsUrl: output.ModelMetrics?.ModelDataQuality?.Statistics?.S3Uri,
      constraintsUrl: output.ModelMetrics?.ModelDataQuality?.Constraints?.S3Uri,
    },
    customerMetadata: output.CustomerMetadataProperties ?? {},
    modelQualityStatisticsUrl: output.ModelMetrics?.ModelQuality?.Statistics?.S3Uri,
    generatedBy: output.MetadataProperties?.GeneratedBy,
    approvalDescription: output.ApprovalDescription,
    creationTime: output.CreationTime?.toISOString(),
  };
}
