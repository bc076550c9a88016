import { createS3Client } from '../aws/s3-client';
import { createSageMakerClient } from '../aws/sagemaker-client';
import { createSnsClient } from '../aws/sns-client';
import { notificationFunctionsConfigSchema } from '../config/notification-functions-config';
import { parseConfigFromEnvironment, requireEnvironment } from '../config/parse-config';
import { createObservability } from '../observability/powertools';

/**
 * What both notification functions build at cold start from their environment: the validated
 * configuration, the topic, the region for console links, the SDK clients and Powertools.
 */
export function createNotificationRuntime(environment: NodeJS.ProcessEnv) {
  const config = parseConfigFromEnvironment(
    notificationFunctionsConfigSchema,
    environment,
    'NOTIFY_CONFIG',
  );
  return {
    config,
    topicArn: requireEnvironment(environment, 'NOTIFICATIONS_TOPIC_ARN'),
    region: requireEnvironment(environment, 'AWS_REGION'),
    sageMaker: createSageMakerClient(config.sageMaker),
    s3: createS3Client(config.sageMaker, environment.AWS_ENDPOINT_URL_S3 !== undefined),
    sns: createSnsClient(config.sageMaker),
    ...createObservability(),
  };
}
