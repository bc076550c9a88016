import { findNewestApprovedModelPackageArn } from './aws/approved-model-lookup';
import { describeModelVersion } from './aws/model-registry';
import { readRunDescription } from './aws/pipeline-executions';
import { readJsonObject } from './aws/s3-objects';
import { startPipelineExecution } from './aws/sagemaker-pipelines';
import { publishNotification } from './aws/sns-publisher';
import { createModelPackageStateHandler } from './handlers/model-package-state';
import { notificationFunctionsConfigSchema } from './config/function-configs';
import { createNotificationRuntime } from './runtime/notification-runtime';
import { asLambdaHandler } from './runtime/lambda-handler';

const { config, topic, region, sageMaker, s3, sns, emails, decisions, learnFrom, logger, metrics } =
  createNotificationRuntime(process.env, notificationFunctionsConfigSchema);

export const handler = asLambdaHandler(
  createModelPackageStateHandler({
    config,
    region,
    describe: (arn) => describeModelVersion(sageMaker, arn),
    findNewestApprovedArn: (group) => findNewestApprovedModelPackageArn(sageMaker, group),
    readRunDescription: (arn) => readRunDescription(sageMaker, arn),
    readJsonObject: (uri) => readJsonObject(s3, uri),
    startPipeline: (request) => startPipelineExecution(sageMaker, request),
    publish: emails.wrap((notification) => publishNotification(sns, topic.arn(), notification)),
    decisions,
    logger,
    metrics,
  }),
  { logger, metrics, learnFrom, decisions },
);
