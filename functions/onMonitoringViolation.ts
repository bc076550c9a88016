import { readStepFailureMessage } from './aws/pipeline-execution-steps';
import { listRecentExecutions } from './aws/recent-executions';
import { readJsonObject } from './aws/s3-objects';
import { startPipelineExecution } from './aws/sagemaker-pipelines';
import { publishNotification } from './aws/sns-publisher';
import { monitoringFunctionConfigSchema } from './config/function-configs';
import { createMonitoringViolationHandler } from './handlers/monitoring-violation';
import { createNotificationRuntime } from './runtime/notification-runtime';
import { acceptingSqsDelivery } from './runtime/eventbridge-via-sqs';
import { asLambdaHandler } from './runtime/lambda-handler';

const { config, topic, region, sageMaker, s3, sns, emails, decisions, learnFrom, logger, metrics } =
  createNotificationRuntime(process.env, monitoringFunctionConfigSchema);

// From the monitoring FIFO queue (one message group per retrain target), or an event directly.
export const handler = asLambdaHandler(
  acceptingSqsDelivery(
    createMonitoringViolationHandler({
      config,
      region,
      now: () => new Date(),
      listRecentExecutions: (name) => listRecentExecutions(sageMaker, name),
      startPipeline: (request) => startPipelineExecution(sageMaker, request),
      readStepFailureMessage: (arn, step) => readStepFailureMessage(sageMaker, arn, step),
      readJsonObject: (uri) => readJsonObject(s3, uri),
      publish: emails.wrap((notification) => publishNotification(sns, topic.arn(), notification)),
      decisions,
      logger,
      metrics,
    }),
  ),
  { logger, metrics, learnFrom, decisions },
);
