import {
  type ListModelPackagesCommandInput,
  ListModelPackagesCommand,
  type ModelApprovalStatus,
  type SageMakerClient,
  UpdateModelPackageCommand,
} from '@aws-sdk/client-sagemaker';

/** One version of a model package group, as ListModelPackages summarises it. */
export interface ModelVersionSummary {
  readonly arn: string;
  readonly version: number | undefined;
  readonly approvalStatus: string;
  readonly creationTime: string | undefined;
}

/**
 * The versions of a group, newest first, optionally of one approval status: every page.
 *
 * @example
 * const pending = await listModelVersions(client, 'mlops-prod-models', 'PendingManualApproval');
 */
export async function listModelVersions(
  client: SageMakerClient,
  groupName: string,
  approvalStatus?: ModelApprovalStatus,
): Promise<ModelVersionSummary[]> {
  const versions: ModelVersionSummary[] = [];
  let nextToken: string | undefined;
  do {
    const input: ListModelPackagesCommandInput = {
      ModelPackageGroupName: groupName,
      ModelPackageType: 'Versioned',
      SortBy: 'CreationTime',
      SortOrder: 'Descending',
      MaxResults: 100,
      ...(approvalStatus === undefined ? {} : { ModelApprovalStatus: approvalStatus }),
      ...(nextToken === undefined ? {} : { NextToken: nextToken }),
    };
    const output = await client.send(new ListModelPackagesCommand(input));
    versions.push(
      ...(output.ModelPackageSummaryList ?? []).map((summary) => ({
        arn: summary.ModelPackageArn ?? '',
        version: summary.ModelPackageVersion,
        approvalStatus: summary.ModelApprovalStatus ?? 'unknown',
        creationTime: summary.CreationTime?.toISOString(),
      })),
    );
    nextToken = output.NextToken;
  } while (nextToken !== undefined);
  return versions;
}

/**
 * Approves or rejects a version with its description (UpdateModelPackage); the registry then
 * emits the "Model Package State Change" event the stack reacts to.
 *
 * @example
 * await setModelApproval(client, arn, 'Approved', 'Approved by arn:aws:iam::1:user/ana: beats v6');
 */
export async function setModelApproval(
  client: SageMakerClient,
  modelPackageArn: string,
  status: 'Approved' | 'Rejected',
  description: string,
): Promise<void> {
  await client.send(
    new UpdateModelPackageCommand({
      ModelPackageArn: modelPackageArn,
      ModelApprovalStatus: status,
      ApprovalDescription: description,
    }),
  );
}
