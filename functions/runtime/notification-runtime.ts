import { createS3Client } from '../aws/s3-client';
import { createSageMakerClient } from '../aws/sagemaker-client';
import { createSnsClient } from '../aws/sns-client';
import { notificationFunctionsConfigSchema } from '../config/function-configs';
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
    topic: notificationTopic(
      requireEnvironment(environment, 'NOTIFICATIONS_TOPIC_NAME'),
      environment.NOTIFICATIONS_TOPIC_ARN,
    ),
    region: requireEnvironment(environment, 'AWS_REGION'),
    sageMaker: createSageMakerClient(config.sageMaker),
    s3: createS3Client(config.sageMaker, environment.AWS_ENDPOINT_URL_S3 !== undefined),
    sns: createSnsClient(config.sageMaker),
    ...createObservability(),
  };
}

/**
 * The notifications topic's ARN: given outright (local runs, `serverless invoke local -e
 * NOTIFICATIONS_TOPIC_ARN=...`), or built from the topic's name and the partition, region and
 * account of the running function. The deployed environment holds only the name, a plain string,
 * so no CloudFormation reference has to be resolved to run a function outside AWS.
 *
 * @example
 * const topic = notificationTopic('mlops-dev-notifications', undefined);
 * topic.learnFrom(context); topic.arn(); // 'arn:aws:sns:eu-west-1:123456789012:mlops-dev-notifications'
 */
export function notificationTopic(topicName: string, givenArn: string | undefined) {
  let arn = givenArn;
  return {
    learnFrom(context: { readonly invokedFunctionArn?: string }): void {
      if (givenArn !== undefined || context.invokedFunctionArn === undefined) return;
      const [, partition, , region, account] = context.invokedFunctionArn.split(':');
      arn = `arn:${partition}:sns:${region}:${account}:${topicName}`;
    },
    arn(): string {
      if (arn === undefined) {
        throw new Error(
          'The notifications topic ARN is unknown: set NOTIFICATIONS_TOPIC_ARN outside Lambda',
        );
      }
      return arn;
    },
  };
}
