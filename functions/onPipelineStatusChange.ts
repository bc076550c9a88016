import { readFailedSteps, readQualityCheck } from './aws/pipeline-execution-steps';
import { readExecutionFailureReason } from './aws/pipeline-executions';
import { readRunParameters } from './aws/pipeline-parameters';
import { readJsonObject } from './aws/s3-objects';
import { notificationFunctionsConfigSchema } from './config/function-configs';
import { createOnPipelineStatusChangeHandler } from './handlers/on-pipeline-status-change';
import { createNotificationRuntime } from './runtime/notification-runtime';

const runtime = createNotificationRuntime(process.env, notificationFunctionsConfigSchema);
const { sageMaker, s3 } = runtime.clients;

export const handler = runtime.lambdaHandler(
  createOnPipelineStatusChangeHandler({
    ...runtime.shell,
    readExecutionFailureReason: (arn) => readExecutionFailureReason(sageMaker, arn),
    readFailedSteps: (arn) => readFailedSteps(sageMaker, arn),
    readRunParameters: (arn) => readRunParameters(sageMaker, arn),
    readQualityCheck: (arn, step) => readQualityCheck(sageMaker, arn, step),
    readJsonObject: (uri) => readJsonObject(s3, uri),
  }),
);
