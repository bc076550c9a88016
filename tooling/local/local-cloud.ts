import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { packageService } from '../package-function';
import type { ActivityLog } from './activity-log';
import { startControlEndpoint } from './control-endpoint';
import { startLocalDynamoDb } from './dynamodb-endpoint';
import { emailDelivery } from './email-delivery';
import { type AwsEvent, startEventBus } from './event-bus';
import { startLocalEventBridge } from './eventbridge-endpoint';
import { startLambdaRuntime } from './lambda-runtime';
import { type LocalCloudSettings, assertPortsFree } from './local-cloud-settings';
import { startMailInbox } from './mail-inbox';
import { startLocalS3 } from './s3-endpoint';
import { type SavedSageMaker, startLocalSageMaker } from './sagemaker-endpoint';
import { loadScenario } from './scenario';
import { startLocalSns } from './sns-endpoint';
import { messageMoveTasks } from './message-move-tasks';
import { type QueuedMessage, startQueues } from './sqs-queues';
import { readSavedState, savedState } from './saved-state';
import { startLocalSqs } from './sqs-endpoint';
import { startLocalStackApi } from './stack-api-endpoint';
import { readStackWiring } from './stack-wiring';
import { readLocalStack } from './local-stack';
import { adaptSample } from './sample-event';

/** Where the local cloud listens; what a client (the demo, the AWS CLI, a test) points at. */
export interface LocalEndpoints {
  readonly s3: string;
  readonly sageMaker: string;
  readonly sns: string;
  readonly sqs: string;
  readonly inbox: string;
  /** The local cloud's own API: deliveries, firing schedules, putting sample events. */
  readonly control: string;
  /** The ledger's DynamoDB. */
  readonly dynamoDb: string;
  /** PutEvents onto the local bus; the stack's rules enabled and disabled. */
  readonly eventBridge: string;
  /** CloudFormation DescribeStacks, STS GetCallerIdentity, Lambda GetFunctionConfiguration. */
  readonly stackApi: string;
}

/** Where a local cloud with these settings listens. */
export function localEndpoints(settings: LocalCloudSettings): LocalEndpoints {
  const url = (port: number) => `http://127.0.0.1:${port}`;
  return {
    s3: url(settings.ports.s3),
    sageMaker: url(settings.ports.sageMaker),
    sns: url(settings.ports.sns),
    sqs: url(settings.ports.sqs),
    inbox: url(settings.ports.inbox),
    control: url(settings.ports.control),
    dynamoDb: url(settings.ports.dynamoDb),
    eventBridge: url(settings.ports.eventBridge),
    stackApi: url(settings.ports.stackApi),
  };
}

/** Credentials every local service accepts; the local cloud checks no signature. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/**
 * What the local cloud gives every function on top of its own environment: the region, the
 * credentials, and the local endpoints the unchanged SDK reaches through AWS_ENDPOINT_URL_*.
 * `serverless invoke local --stage local` gives the same (tooling/invoke-local.ts).
 */
export function functionPlatformEnvironment(
  endpoints: LocalEndpoints,
  region: string,
): Record<string, string> {
  return {
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL_S3: endpoints.s3,
    AWS_ENDPOINT_URL_SAGEMAKER: endpoints.sageMaker,
    AWS_ENDPOINT_URL_SNS: endpoints.sns,
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamoDb,
    AWS_ENDPOINT_URL_EVENTBRIDGE: endpoints.eventBridge,
    AWS_ENDPOINT_URL_SQS: endpoints.sqs,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    // INFO: the functions' decisions (started, ignored and why) belong in the activity log.
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'INFO',
    POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'true',
    TZ: 'UTC',
  };
}

/** Batches gather for at most this long locally (a template's 60 s would make every upload wait). */
const MAX_BATCHING_WINDOW_SECONDS = 2;
/** A failed message comes back after at most this long locally. */
const MAX_VISIBILITY_TIMEOUT_SECONDS = 5;
/** Lambda retries a failed asynchronous invocation after about 1 and 2 minutes; locally seconds. */
const ASYNC_RETRY_DELAYS_MS = [1000, 2000];

/**
 * Boots the whole stack on 127.0.0.1 from its packaged CloudFormation template (`serverless
 * package --stage local`): S3 with the stack's buckets, the event bus with the template's rules,
 * the SQS queues and event source mappings, the bundled functions, SageMaker with the stack's
 * pipelines and model package groups, SNS with its e-mail subscriptions, and an inbox.
 *
 * @example
 * const cloud = await startLocalCloud(localCloudSettings(process.env), consoleActivityLog());
 * // ... later
 * await cloud.stop();
 */
export async function startLocalCloud(settings: LocalCloudSettings, log: ActivityLog) {
  await assertPortsFree(settings.ports);
  const state = (name: string) => join(settings.stateDirectory, name);
  mkdirSync(settings.stateDirectory, { recursive: true });
  const scenario = loadScenario(settings.scenario);

  log('local', 'packaging the stack for stage local (serverless package, offline)...');
  const service = packageService({
    stage: 'local',
    directory: state('package'),
    parameters: {
      reviewerEmail: settings.recipients.reviewer,
      opsEmail: settings.recipients.ops,
      ...(settings.featureStore === undefined
        ? {}
        : { featureStore: 'true', featureStoreTrainingSource: settings.featureStore }),
      ...settings.parameters,
    },
  });
  const region = service.region;
  const wiring = readStackWiring(service.template, { ...service, accountId: settings.accountId });
  const endpoints = localEndpoints(settings);

  const dynamoDb = await startLocalDynamoDb({
    port: settings.ports.dynamoDb,
    tables: wiring.tables,
    region,
    credentials: LOCAL_CREDENTIALS,
    log,
  });
  const inbox = await startMailInbox({
    smtpPort: settings.ports.smtp,
    webPort: settings.ports.inbox,
    directory: state('maildev'),
  });
  const email = emailDelivery({
    smtpPort: settings.ports.smtp,
    directory: state('mail'),
    snsUrl: endpoints.sns,
    log,
  });
  const sns = await startLocalSns({
    port: settings.ports.sns,
    topics: wiring.topics,
    subscriptions: wiring.subscriptions,
    deliver: email.deliver,
    log,
  });
  // Functions and queues feed each other (event sources, on-failure destinations): bound late.
  let sendToQueue: (queueArn: string, body: string) => void = () => undefined;
  const lambda = startLambdaRuntime({
    functions: wiring.functions,
    asyncInvokeConfigs: wiring.asyncInvokeConfigs,
    sendToDestination: (queueArn, record) => sendToQueue(queueArn, record),
    retryDelaysMs: ASYNC_RETRY_DELAYS_MS,
    codeDirectory: (fn) => service.unpack(fn.artifact),
    platformEnvironment: functionPlatformEnvironment(endpoints, region),
    log,
  });
  // Queues, runs and model versions outlive a restart, as S3 objects and e-mails do.
  const queuesFile = state('sqs.json');
  const sageMakerFile = state('sagemaker.json');
  const savedRuns = readSavedState<SavedSageMaker>(sageMakerFile);
  const savedMessages = readSavedState<Record<string, QueuedMessage[]>>(queuesFile) ?? {};
  const queuesState = savedState(queuesFile, () => queues.saved());
  const sageMakerState = savedState(sageMakerFile, () => sageMaker.saved());
  const queues = startQueues({
    queues: wiring.queues,
    eventSources: wiring.queueEventSources,
    region,
    invoke: lambda.invoke,
    log,
    maxBatchingWindowSeconds: MAX_BATCHING_WINDOW_SECONDS,
    maxVisibilityTimeoutSeconds: MAX_VISIBILITY_TIMEOUT_SECONDS,
    onChange: queuesState.changed,
  });
  sendToQueue = queues.send;
  // What functions send themselves (onDataUpload's hand-back), to the queue its URL names.
  const moveTasks = messageMoveTasks(
    {
      definitions: wiring.queues,
      depth: queues.depth,
      takeOldest: queues.takeOldest,
      send: queues.send,
    },
    log,
  );
  const queueUrlOf = (queueArn: string) => {
    const [, , , queueRegion, account, name] = queueArn.split(':');
    return `https://sqs.${queueRegion}.amazonaws.com/${account}/${name}`;
  };
  const sqs = await startLocalSqs({
    port: settings.ports.sqs,
    // The operator's CLI: dead-letter depths, replays.
    administration: {
      arnOf: (queueUrl) =>
        wiring.queues.find((candidate) => queueUrl.endsWith(`/${candidate.name}`))?.arn,
      urlOf: queueUrlOf,
      counts: queues.counts,
      deadLetterSources: (queueArn) =>
        wiring.queues
          .filter((candidate) => candidate.redrive?.deadLetterArn === queueArn)
          .map((candidate) => candidate.arn),
      receive: (queueArn, max, visibilitySeconds) =>
        queues.receive(queueArn, max, visibilitySeconds).map(({ message, receiptHandle }) => ({
          messageId: message.messageId,
          receiptHandle,
          body: message.body,
          attributes: message.attributes ?? {},
          receiveCount: message.receiveCount,
          sentTimestamp: message.sentTimestamp,
        })),
      delete: queues.delete,
      changeVisibility: queues.changeVisibility,
      startMoveTask: moveTasks.start,
      listMoveTasks: moveTasks.list,
    },
    accept: (queueUrl, message) => {
      const queue = wiring.queues.find((candidate) => queueUrl.endsWith(`/${candidate.name}`));
      if (queue === undefined) return false;
      const delay = message.delaySeconds > 0 ? `, delayed ${message.delaySeconds} s` : '';
      log('sqs', `${queue.name}: a message sent by a function${delay}`);
      queues.send(queue.arn, message.body, {
        delaySeconds: message.delaySeconds,
        attributes: message.attributes,
      });
      return true;
    },
  });
  const bus = startEventBus({
    rules: wiring.rules,
    region,
    accountId: settings.accountId,
    deliver: { lambda: lambda.invokeAsync, sqs: queues.send, sns: sns.publish },
    log,
  });
  const publish = (event: AwsEvent) => bus.publish(event);
  const eventBridge = await startLocalEventBridge({
    port: settings.ports.eventBridge,
    region,
    accountId: settings.accountId,
    publish,
    rules: bus,
    log,
  });
  const stackApi = await startLocalStackApi({
    port: settings.ports.stackApi,
    stackName: service.stackName,
    region,
    accountId: settings.accountId,
    outputs: wiring.outputs,
    functions: wiring.functions,
    invoke: (functionName, event) => lambda.invoke(functionName, event, 'Lambda Invoke'),
  });
  const control = await startControlEndpoint({
    port: settings.ports.control,
    bus,
    sendToQueue: (name, body) => {
      const queue = wiring.queues.find((candidate) =>
        [candidate.name, candidate.arn].includes(name),
      );
      if (queue !== undefined) queues.send(queue.arn, body);
      return queue !== undefined;
    },
    region,
    accountId: settings.accountId,
    stateDirectory: settings.stateDirectory,
    stackName: service.stackName,
    endpoints: { ...endpoints },
    log,
    adaptSample: async (sample) =>
      adaptSample(
        sample,
        await readLocalStack({
          wiring,
          stackName: service.stackName,
          accountId: settings.accountId,
          region,
          sageMakerUrl: endpoints.sageMaker,
          credentials: LOCAL_CREDENTIALS,
        }),
      ),
  });
  const s3 = await startLocalS3({
    port: settings.ports.s3,
    directory: state('s3'),
    buckets: wiring.buckets,
    region,
    accountId: settings.accountId,
    publish,
    log,
  });
  const s3Client = new S3Client({
    region,
    endpoint: endpoints.s3,
    forcePathStyle: true,
    credentials: LOCAL_CREDENTIALS,
  });
  const sageMaker = await startLocalSageMaker(
    wiring.pipelines.map((pipeline) => ({
      name: pipeline.name,
      parameterNames: (
        JSON.parse(pipeline.definition) as { Parameters: Array<{ Name: string }> }
      ).Parameters.map((parameter) => parameter.Name),
      definition: pipeline.definition,
    })),
    {
      region,
      accountId: settings.accountId,
      port: settings.ports.sageMaker,
      modelPackageGroups: wiring.modelPackageGroups,
      // Every change of a run or a model version is an event.
      emit: (event) => {
        logSageMakerEvent(event, log);
        publish(event);
        sageMakerState.changed();
      },
      ...(savedRuns === undefined ? {} : { saved: savedRuns }),
      runs: {
        scenario,
        invokeLambda: (functionArn, payload) =>
          lambda.invoke(functionArn, payload, 'pipeline Lambda step'),
        putObject: async (s3Uri, body) => {
          const [, bucket, key] = /^s3:\/\/([^/]+)\/(.+)$/.exec(s3Uri) ?? [];
          await s3Client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
        },
        onRunError: (execution, error) =>
          log('sagemaker', `${execution.displayName}: the local run broke: ${String(error)}`),
      },
    },
  );

  // Only now can the functions do their work: what the queues held at the last stop goes on.
  queues.restore(savedMessages);

  return {
    endpoints,
    wiring,
    scenario: settings.scenario,
    /**
     * Stops in the order that loses nothing: no new work from outside (schedules, the control
     * API, uploads), queues hold what they have, runs and invocations under way finish (with
     * what they start in turn), then queues, runs and model versions are saved for the next start.
     */
    async stop(): Promise<void> {
      bus.close();
      await sqs.close();
      await control.close();
      await eventBridge.close();
      await stackApi.close();
      await s3.close();
      await queues.close();
      while (sageMaker.busy() || lambda.busy()) {
        await sageMaker.idle();
        await lambda.idle();
      }
      queuesState.save();
      sageMakerState.save();
      const waiting = Object.entries(queues.saved());
      for (const [queueArn, messages] of waiting) {
        log(
          'sqs',
          `${queueArn.split(':').pop()}: ${messages.length} message(s) kept for the next start`,
        );
      }
      await sageMaker.close();
      await lambda.close();
      s3Client.destroy();
      await sns.close();
      email.close();
      await inbox.close();
      await dynamoDb.close();
    },
  };
}

export type LocalCloud = Awaited<ReturnType<typeof startLocalCloud>>;

/** One console line per SageMaker fact worth seeing: runs, steps that end, model versions. */
function logSageMakerEvent(event: AwsEvent, log: ActivityLog): void {
  const detail = event.detail as Record<string, string | number | undefined>;
  const pipeline = String(detail.pipelineArn ?? '')
    .split('/')
    .pop();
  switch (event['detail-type']) {
    case 'SageMaker Model Building Pipeline Execution Status Change':
      log(
        'sagemaker',
        `${pipeline} ${detail.pipelineExecutionDisplayName}: ${detail.currentPipelineExecutionStatus}`,
      );
      break;
    case 'SageMaker Model Building Pipeline Execution Step Status Change':
      if (detail.currentStepStatus === 'Succeeded' || detail.currentStepStatus === 'Failed') {
        const reason = detail.failureReason === undefined ? '' : `: ${detail.failureReason}`;
        log(
          'sagemaker',
          `  ${detail.stepName} (${detail.stepType}) ${detail.currentStepStatus}${reason}`,
        );
      }
      break;
    case 'SageMaker Model Package State Change':
      log(
        'sagemaker',
        `model package ${detail.ModelPackageGroupName}/${detail.ModelPackageVersion}: ${detail.ModelApprovalStatus}`,
      );
      break;
    default:
      break;
  }
}
