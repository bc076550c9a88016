import type { PolicyStatement, StackContext } from './function-declaration';
import type { ReportKeys } from './report-locations';

// Statements more than one function's role holds, written once.

/** The data bucket's ARN, as CloudFormation completes it (its default name holds the account). */
export function dataBucketArn({ rawDataBucket }: StackContext): { 'Fn::Sub': string } {
  return { 'Fn::Sub': `arn:\${AWS::Partition}:s3:::${rawDataBucket}` };
}

/** ListModelPackages supports no resource-level permission (see docs/deployment.md, "IAM: least privilege, and the exceptions"). */
export function listModelPackages(sid: string): PolicyStatement {
  return { Sid: sid, Action: 'sagemaker:ListModelPackages', Resource: '*' };
}

/** DescribeModelPackage on the versions of this stack's model package group only. */
export function describeModelVersionsOfTheGroup({
  modelPackageGroup,
}: StackContext): PolicyStatement {
  return {
    Sid: 'DescribeModelVersionsOfTheGroup',
    Action: 'sagemaker:DescribeModelPackage',
    Resource: {
      'Fn::Sub': `arn:\${AWS::Partition}:sagemaker:\${AWS::Region}:\${AWS::AccountId}:model-package/${modelPackageGroup}/*`,
    },
  };
}

/**
 * Reading one kind of report under its keys only. Without the listing grant a missing report
 * answers 403 AccessDenied (and the event is retried into the dead-letter queue) instead of
 * NoSuchKey.
 *
 * @example
 * readReports(stack, 'qualityChecks', 'QualityReports'); // ReadQualityReports, TellMissingQualityReports
 */
export function readReports(
  stack: StackContext,
  kind: keyof ReportKeys,
  reports: string,
): PolicyStatement[] {
  const keys = stack.reports[kind];
  return [
    {
      Sid: `Read${reports}`,
      Action: 's3:GetObject',
      Resource: keys.map((key) => ({
        'Fn::Sub': `arn:\${AWS::Partition}:s3:::${stack.rawDataBucket}/${key}`,
      })),
    },
    {
      Sid: `TellMissing${reports}`,
      Action: 's3:ListBucket',
      Resource: dataBucketArn(stack),
      Condition: { StringLike: { 's3:prefix': keys } },
    },
  ];
}
