import {
  DescribeModelPackageCommand,
  type DescribeModelPackageCommandOutput,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import type { RegisteredModelVersion } from '../core/registered-model-version';

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
