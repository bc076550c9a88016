import { findNewestApprovedModelPackageArn } from './aws/approved-model-lookup';
import { listRecentExecutions } from './aws/recent-executions';
import { prefixHoldsObjects } from './aws/s3-prefixes';
import { startPipelineExecution } from './aws/sagemaker-pipelines';
import { publishNotification } from './aws/sns-publisher';
import { scheduleFunctionConfigSchema } from './config/function-configs';
import { createScheduledRunHandler } from './handlers/scheduled-run';
import { createNotificationRuntime } from './runtime/notification-runtime';
import { asLambdaHandler } from './runtime/lambda-handler';

const { config, topic, sageMaker, s3, sns, emails, decisions, learnFrom, logger, metrics } =
  createNotificationRuntime(process.env, scheduleFunctionConfigSchema);

export const handler = asLambdaHandler(
  createScheduledRunHandler({
    config,
    listRecentExecutions: (name) => listRecentExecutions(sageMaker, name),
    prefixHoldsObjects: (uri) => prefixHoldsObjects(s3, uri),
    findNewestApprovedArn: (group) => findNewestApprovedModelPackageArn(sageMaker, group),
    startPipeline: (request) => startPipelineExecution(sageMaker, request),
    publish: emails.wrap((notification) => publishNotification(sns, topic.arn(), notification)),
    decisions,
    logger,
    metrics,
  }),
  { logger, metrics, learnFrom, decisions },
);
