import { findNewestApprovedModelPackageArn } from './aws/approved-model-lookup';
import { listRecentExecutions } from './aws/recent-executions';
import { prefixHoldsObjects } from './aws/s3-prefixes';
import { startPipelineExecution } from './aws/sagemaker-pipelines';
import { scheduleFunctionConfigSchema } from './config/function-configs';
import { createOnScheduleHandler } from './handlers/on-schedule';
import { createNotificationRuntime } from './runtime/notification-runtime';

const runtime = createNotificationRuntime(process.env, scheduleFunctionConfigSchema);
const { sageMaker, s3 } = runtime.clients;

export const handler = runtime.lambdaHandler(
  createOnScheduleHandler({
    ...runtime.shell,
    listRecentExecutions: (name) => listRecentExecutions(sageMaker, name),
    prefixHoldsObjects: (uri) => prefixHoldsObjects(s3, uri),
    findNewestApprovedArn: (group) => findNewestApprovedModelPackageArn(sageMaker, group),
    startPipeline: (request) => startPipelineExecution(sageMaker, request),
  }),
);
