import { readStepFailureMessage } from './aws/pipeline-execution-steps';
import { listRecentExecutions } from './aws/recent-executions';
import { readJsonObject } from './aws/s3-objects';
import { startPipelineExecution } from './aws/sagemaker-pipelines';
import { monitoringFunctionConfigSchema } from './config/function-configs';
import { createOnMonitoringViolationHandler } from './handlers/on-monitoring-violation';
import { acceptingSqsDelivery } from './runtime/eventbridge-via-sqs';
import { createNotificationRuntime } from './runtime/notification-runtime';

const runtime = createNotificationRuntime(process.env, monitoringFunctionConfigSchema);
const { sageMaker, s3 } = runtime.clients;

// From the monitoring FIFO queue (one message group per retrain target), or an event directly.
export const handler = runtime.lambdaHandler(
  acceptingSqsDelivery(
    createOnMonitoringViolationHandler({
      ...runtime.shell,
      now: () => new Date(),
      listRecentExecutions: (name) => listRecentExecutions(sageMaker, name),
      startPipeline: (request) => startPipelineExecution(sageMaker, request),
      readStepFailureMessage: (arn, step) => readStepFailureMessage(sageMaker, arn, step),
      readJsonObject: (uri) => readJsonObject(s3, uri),
    }),
  ),
);
