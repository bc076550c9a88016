import { findNewestApprovedModelPackageArn } from './aws/approved-model-lookup';
import { describeModelVersion } from './aws/model-registry';
import { readRunDescription } from './aws/pipeline-executions';
import { readJsonObject } from './aws/s3-objects';
import { startPipelineExecution } from './aws/sagemaker-pipelines';
import { notificationFunctionsConfigSchema } from './config/function-configs';
import { createOnModelPackageStateChangeHandler } from './handlers/on-model-package-state-change';
import { createNotificationRuntime } from './runtime/notification-runtime';

const runtime = createNotificationRuntime(process.env, notificationFunctionsConfigSchema);
const { sageMaker, s3 } = runtime.clients;

export const handler = runtime.lambdaHandler(
  createOnModelPackageStateChangeHandler({
    ...runtime.shell,
    describe: (arn) => describeModelVersion(sageMaker, arn),
    findNewestApprovedArn: (group) => findNewestApprovedModelPackageArn(sageMaker, group),
    readRunDescription: (arn) => readRunDescription(sageMaker, arn),
    readJsonObject: (uri) => readJsonObject(s3, uri),
    startPipeline: (request) => startPipelineExecution(sageMaker, request),
  }),
);
