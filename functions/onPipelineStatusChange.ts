import { readFailedSteps, readQualityCheck } from './aws/pipeline-execution-steps';
import { readExecutionFailureReason } from './aws/pipeline-executions';
import { readRunParameters } from './aws/pipeline-parameters';
import { readJsonObject } from './aws/s3-objects';
import { publishNotification } from './aws/sns-publisher';
import { createPipelineStatusHandler } from './handlers/pipeline-status';
import { notificationFunctionsConfigSchema } from './config/function-configs';
import { createNotificationRuntime } from './runtime/notification-runtime';
import { asLambdaHandler } from './runtime/lambda-handler';

const { config, topic, region, sageMaker, s3, sns, emails, decisions, learnFrom, logger, metrics } =
  createNotificationRuntime(process.env, notificationFunctionsConfigSchema);

export const handler = asLambdaHandler(
  createPipelineStatusHandler({
    config,
    region,
    readExecutionFailureReason: (arn) => readExecutionFailureReason(sageMaker, arn),
    readFailedSteps: (arn) => readFailedSteps(sageMaker, arn),
    readRunParameters: (arn) => readRunParameters(sageMaker, arn),
    readQualityCheck: (arn, step) => readQualityCheck(sageMaker, arn, step),
    readJsonObject: (uri) => readJsonObject(s3, uri),
    publish: emails.wrap((notification) => publishNotification(sns, topic.arn(), notification)),
    decisions,
    logger,
    metrics,
  }),
  { logger, metrics, learnFrom, decisions },
);
