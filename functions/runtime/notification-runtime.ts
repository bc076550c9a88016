import { emailsOnce } from '../aws/emails-once';
import { createS3Client } from '../aws/s3-client';
import { createSageMakerClient } from '../aws/sagemaker-client';
import { createSnsClient } from '../aws/sns-client';
import type { Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import type { SdkClientSettings } from '../aws/sdk-client-options';
import { parseConfigFromEnvironment, requireEnvironment } from '../config/parse-config';
import { createObservability } from '../observability/powertools';
import type { DecisionLedger } from './decision-ledger';
import { createLedgerRuntime } from './ledger-runtime';

/**
 * What the functions that e-mail build at cold start from their environment: the validated
 * configuration, the topic, the region for console links, the SDK clients, Powertools, the
 * decision ledger and the exactly-once e-mails.
 */
export function createNotificationRuntime<
  S extends z.ZodMiniType<{ sageMaker: SdkClientSettings }>,
>(environment: NodeJS.ProcessEnv, schema: S): NotificationRuntime<z.output<S>> {
  const config = parseConfigFromEnvironment(schema, environment, 'NOTIFY_CONFIG');
  const observability = createObservability();
  const ledger = createLedgerRuntime(environment, config.sageMaker, observability);
  const emails = emailsOnce({
    client: ledger.dynamoDb,
    tableName: ledger.config.tableName,
    expiresAfterSeconds: ledger.config.retentionDays * 86_400,
  });
  const topic = notificationTopic(
    requireEnvironment(environment, 'NOTIFICATIONS_TOPIC_NAME'),
    environment.NOTIFICATIONS_TOPIC_ARN,
  );
  return {
    config,
    topic,
    region: requireEnvironment(environment, 'AWS_REGION'),
    sageMaker: createSageMakerClient(config.sageMaker),
    s3: createS3Client(config.sageMaker, environment.AWS_ENDPOINT_URL_S3 !== undefined),
    sns: createSnsClient(config.sageMaker),
    decisions: ledger.decisions,
    emails,
    learnFrom(context) {
      topic.learnFrom(context);
      emails.registerLambdaContext(context);
    },
    ...observability,
  };
}

export interface NotificationRuntime<C> {
  readonly config: C;
  readonly topic: ReturnType<typeof notificationTopic>;
  readonly region: string;
  readonly sageMaker: ReturnType<typeof createSageMakerClient>;
  readonly s3: ReturnType<typeof createS3Client>;
  readonly sns: ReturnType<typeof createSnsClient>;
  readonly decisions: DecisionLedger;
  readonly emails: ReturnType<typeof emailsOnce>;
  /** What the invocation's context tells: the topic's ARN, the time an e-mail may take. */
  readonly learnFrom: (context: Context) => void;
  readonly logger: ReturnType<typeof createObservability>['logger'];
  readonly metrics: ReturnType<typeof createObservability>['metrics'];
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
