import { findNewestApprovedModelPackageArn } from './aws/approved-model-lookup';
import { describeModelVersion } from './aws/model-registry';
import { createSageMakerClient } from './aws/sagemaker-client';
import { createGetApprovedModelHandler } from './handlers/get-approved-model';
import { createObservability } from './observability/powertools';
import { asLambdaHandler } from './runtime/lambda-handler';

const sageMaker = createSageMakerClient({ maxAttempts: 5, retryMode: 'adaptive' });
const { logger } = createObservability();

export const handler = asLambdaHandler(
  createGetApprovedModelHandler({
    findNewestApprovedArn: (group) => findNewestApprovedModelPackageArn(sageMaker, group),
    describe: (arn) => describeModelVersion(sageMaker, arn),
    logger,
  }),
  { logger },
);
