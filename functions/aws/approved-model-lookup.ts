import { ListModelPackagesCommand, type SageMakerClient } from '@aws-sdk/client-sagemaker';

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
