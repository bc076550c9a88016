import type { Logger } from '@aws-lambda-powertools/logger';
import { type ApprovedModelOutput, toApprovedModelOutput } from '../core/approved-model-output';
import type { RegisteredModelVersion } from '../core/registered-model-version';
import { InvalidEventError, NoApprovedModelError, describeIssues } from '../errors';
import { approvedModelRequestSchema } from '../schemas/approved-model-request';

export interface GetApprovedModelDependencies {
  readonly findNewestApprovedArn: (groupName: string) => Promise<string | undefined>;
  readonly describe: (modelPackageArn: string) => Promise<RegisteredModelVersion>;
  readonly logger: Logger;
}

/**
 * The imperative shell of getApprovedModel: two registry reads at run time (never at build time),
 * so a scoring run always uses the version approved most recently. A thrown error fails the Lambda
 * step, and its message becomes the run's failure reason.
 */
export function createGetApprovedModelHandler(deps: GetApprovedModelDependencies) {
  return async function getApprovedModel(event: unknown): Promise<ApprovedModelOutput> {
    const parsed = approvedModelRequestSchema.safeParse(event);
    if (!parsed.success) {
      throw new InvalidEventError(
        `Invalid getApprovedModel request: ${describeIssues(parsed.error)}`,
      );
    }
    const group = parsed.data.ModelPackageGroupName;
    const arn = await deps.findNewestApprovedArn(group);
    if (arn === undefined) {
      throw new NoApprovedModelError(
        `No approved model version in model package group ${group}. Approve one ` +
          '(aws sagemaker update-model-package --model-package-arn <arn> --model-approval-status Approved) and run again.',
      );
    }
    const output = toApprovedModelOutput(await deps.describe(arn));
    deps.logger.info('Approved model chosen', { group, ...output });
    return output;
  };
}
