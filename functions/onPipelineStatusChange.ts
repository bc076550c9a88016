import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { findQualityCheckReportUri } from './aws/pipeline-execution-steps';
import { readFailedRun, readRunParameters } from './aws/pipeline-executions';
import { readJsonObject } from './aws/s3-objects';
import { publishNotification } from './aws/sns-publisher';
import { createPipelineStatusHandler } from './handlers/pipeline-status';
import { notificationFunctionsConfigSchema } from './config/function-configs';
import { createNotificationRuntime } from './runtime/notification-runtime';

const { config, topic, region, sageMaker, s3, sns, logger, metrics } = createNotificationRuntime(
  process.env,
  notificationFunctionsConfigSchema,
);

export const handler = middy(
  createPipelineStatusHandler({
    config,
    region,
    readFailedRun: (arn) => readFailedRun(sageMaker, arn),
    readRunParameters: (arn) => readRunParameters(sageMaker, arn),
    findQualityCheckReportUri: (arn, step) => findQualityCheckReportUri(sageMaker, arn, step),
    readJsonObject: (uri) => readJsonObject(s3, uri),
    publish: (notification) => publishNotification(sns, topic.arn(), notification),
    logger,
    metrics,
  }),
)
  .before((request) => topic.learnFrom(request.context))
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }));
