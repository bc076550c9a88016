import type { Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import { type PublishOnce, emailsOnce } from '../aws/emails-once';
import { createS3Client } from '../aws/s3-client';
import { createSageMakerClient } from '../aws/sagemaker-client';
import type { SdkClientSettings } from '../aws/sdk-client-options';
import { createSnsClient } from '../aws/sns-client';
import { publishNotification } from '../aws/sns-publisher';
import { parseConfigFromEnvironment, requireEnvironment } from '../config/parse-config';
import { type Observability, createObservability } from '../observability/powertools';
import type { DecisionLedger } from './decision-ledger';
import { asLambdaHandler } from './lambda-handler';
import { createLedgerRuntime } from './ledger-runtime';

/**
 * What the functions that e-mail build at cold start from their environment, so that an entry
 * point names only its own reads: `shell`, what every such shell takes (the validated
 * configuration, the region for console links, the exactly-once publish, the decision ledger,
 * Powertools); `clients` for its reads; and `lambdaHandler`, the middleware stack they share.
 *
 * @example
 * const runtime = createNotificationRuntime(process.env, scheduleFunctionConfigSchema);
 * export const handler = runtime.lambdaHandler(createOnScheduleHandler({ ...runtime.shell, ...reads }));
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
  const sns = createSnsClient(config.sageMaker);
  const decisions = ledger.decisions;
  return {
    shell: {
      config,
      region: requireEnvironment(environment, 'AWS_REGION'),
      publish: emails.wrap((notification) => publishNotification(sns, topic.arn(), notification)),
      decisions,
      ...observability,
    },
    clients: {
      sageMaker: createSageMakerClient(config.sageMaker),
      s3: createS3Client(config.sageMaker, environment.AWS_ENDPOINT_URL_S3 !== undefined),
    },
    lambdaHandler: (handle) =>
      asLambdaHandler(handle, {
        ...observability,
        decisions,
        // What the invocation's context tells: the topic's ARN, the time an e-mail may take.
        learnFrom(context: Context) {
          topic.learnFrom(context);
          emails.registerLambdaContext(context);
        },
      }),
  };
}

export interface NotificationRuntime<C> {
  readonly shell: Observability & {
    readonly config: C;
    readonly region: string;
    readonly publish: PublishOnce;
    readonly decisions: DecisionLedger;
  };
  readonly clients: {
    readonly sageMaker: ReturnType<typeof createSageMakerClient>;
    readonly s3: ReturnType<typeof createS3Client>;
  };
  readonly lambdaHandler: <E, R>(
    handle: (event: E, context: Context) => Promise<R>,
  ) => ReturnType<typeof asLambdaHandler<E, R>>;
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
