import { posix } from 'node:path';
import type { TableProperties } from './dynamodb-tables';
import {
  type CloudFormationTemplate,
  type StackLocation,
  cloudFormationStack,
} from './cloudformation-intrinsics';

export interface LocalFunction {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  /** `path/file.export`, as Lambda reads it. */
  readonly handler: string;
  /** The artifact's file name in the package folder (`onDataUpload.zip`). */
  readonly artifact: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  readonly environment: Readonly<Record<string, string>>;
}

export interface RuleTarget {
  readonly id: string;
  readonly arn: string;
  /** A constant JSON text sent instead of the event. */
  readonly input?: string;
  /** A JSONPath (`$.detail`) selecting the part of the event to send. */
  readonly inputPath?: string;
  readonly deadLetterArn?: string;
  /** The message group of an SQS FIFO target (SqsParameters.MessageGroupId). */
  readonly messageGroupId?: string;
}

export interface LocalRule {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  readonly enabled: boolean;
  readonly eventPattern?: Record<string, unknown>;
  readonly scheduleExpression?: string;
  readonly targets: readonly RuleTarget[];
}

export interface LocalQueue {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  readonly visibilityTimeoutSeconds: number;
  readonly redrive?: { readonly deadLetterArn: string; readonly maxReceiveCount: number };
  /** FIFO: in order per message group, one group's messages one batch at a time. */
  readonly fifo: boolean;
  /** FIFO: a body sent again within five minutes is taken once. */
  readonly contentBasedDeduplication: boolean;
}

export interface QueueEventSource {
  readonly queueArn: string;
  /** The function's name or ARN, as the mapping names it. */
  readonly functionName: string;
  readonly batchSize: number;
  readonly batchingWindowSeconds: number;
  readonly reportBatchItemFailures: boolean;
}

/** How Lambda handles a function's asynchronous invocations (an EventBridge target's, say). */
export interface AsyncInvokeConfig {
  /** The function's name or ARN, as the configuration names it. */
  readonly functionName: string;
  readonly maximumRetryAttempts: number;
  /** Where an invocation goes once its retries are exhausted (an SQS queue ARN). */
  readonly onFailureArn?: string;
}

export interface LocalTopic {
  readonly name: string;
  readonly arn: string;
  readonly displayName: string;
}

export interface LocalSubscription {
  readonly topicArn: string;
  readonly protocol: string;
  readonly endpoint: string;
  readonly filterPolicy?: Record<string, unknown>;
  readonly filterPolicyScope: 'MessageAttributes' | 'MessageBody';
}

export interface LocalBucket {
  readonly name: string;
  /** Whether S3 sends this bucket's events to EventBridge. */
  readonly eventBridgeEnabled: boolean;
}

export interface LocalPipelineResource {
  readonly name: string;
  /** The PipelineDefinitionBody as CloudFormation would pass it to SageMaker. */
  readonly definition: string;
}

/** Everything local mode wires, read from the packaged template. */
export interface StackWiring {
  readonly functions: readonly LocalFunction[];
  readonly rules: readonly LocalRule[];
  readonly queues: readonly LocalQueue[];
  readonly queueEventSources: readonly QueueEventSource[];
  readonly asyncInvokeConfigs: readonly AsyncInvokeConfig[];
  readonly topics: readonly LocalTopic[];
  readonly subscriptions: readonly LocalSubscription[];
  readonly buckets: readonly LocalBucket[];
  readonly pipelines: readonly LocalPipelineResource[];
  readonly modelPackageGroups: readonly string[];
  /** DynamoDB tables (the ledger), as CloudFormation would create them. */
  readonly tables: readonly TableProperties[];
  /** The stack's Outputs by key, resolved as DescribeStacks returns them. */
  readonly outputs: Readonly<Record<string, string>>;
}

type Properties = Record<string, unknown>;

interface NotificationConfiguration {
  readonly EventBridgeConfiguration?: { readonly EventBridgeEnabled?: boolean };
}

/**
 * Reads the wiring of a packaged stack: its functions (handler, environment), EventBridge rules
 * (pattern or schedule, targets), SQS queues and the event source mappings that feed functions
 * from them, SNS topics and subscriptions, buckets, pipelines and model package groups, with every
 * intrinsic function resolved. A function, rule or subscription added to serverless.yml appears
 * here without any change to local mode.
 *
 * @example
 * const wiring = readStackWiring(template, { stackName: 'mlops-control-plane-local', region: 'eu-west-1', accountId: '000000000000' });
 */
export function readStackWiring(
  template: CloudFormationTemplate,
  location: StackLocation,
): StackWiring {
  const stack = cloudFormationStack(template, location);
  const each = <T>(type: string, read: (properties: Properties, logicalId: string) => T): T[] =>
    stack.resourcesOfType(type).map((logicalId) => read(stack.propertiesOf(logicalId), logicalId));

  return {
    functions: each('AWS::Lambda::Function', (properties, logicalId) => {
      const code = properties.Code as { S3Key?: string } | undefined;
      const variables = (properties.Environment as { Variables?: Properties } | undefined)
        ?.Variables;
      return {
        logicalId,
        name: stack.physicalName(logicalId),
        arn: stack.getAtt(logicalId, 'Arn'),
        handler: String(properties.Handler),
        artifact: posix.basename(String(code?.S3Key ?? `${logicalId}.zip`)),
        timeoutSeconds: Number(properties.Timeout ?? 3),
        memoryMb: Number(properties.MemorySize ?? 128),
        environment: Object.fromEntries(
          Object.entries(variables ?? {}).map(([name, value]) => [name, String(value)]),
        ),
      };
    }),
    rules: each('AWS::Events::Rule', (properties, logicalId) => ({
      logicalId,
      name: stack.physicalName(logicalId),
      arn: stack.getAtt(logicalId, 'Arn'),
      enabled: (properties.State ?? 'ENABLED') === 'ENABLED',
      ...optional('eventPattern', jsonObjectOf(properties.EventPattern)),
      ...optional('scheduleExpression', properties.ScheduleExpression as string | undefined),
      targets: ((properties.Targets ?? []) as Properties[]).map((target) => ({
        id: String(target.Id),
        arn: String(target.Arn),
        ...optional('input', target.Input as string | undefined),
        ...optional('inputPath', target.InputPath as string | undefined),
        ...optional(
          'deadLetterArn',
          (target.DeadLetterConfig as { Arn?: string } | undefined)?.Arn,
        ),
        ...optional(
          'messageGroupId',
          (target.SqsParameters as { MessageGroupId?: string } | undefined)?.MessageGroupId,
        ),
      })),
    })),
    queues: each('AWS::SQS::Queue', (properties, logicalId) => {
      const redrive = properties.RedrivePolicy as
        { deadLetterTargetArn: string; maxReceiveCount: number | string } | undefined;
      return {
        logicalId,
        name: stack.physicalName(logicalId),
        arn: stack.getAtt(logicalId, 'Arn'),
        visibilityTimeoutSeconds: Number(properties.VisibilityTimeout ?? 30),
        fifo: String(properties.FifoQueue) === 'true',
        contentBasedDeduplication: String(properties.ContentBasedDeduplication) === 'true',
        ...optional(
          'redrive',
          redrive && {
            deadLetterArn: redrive.deadLetterTargetArn,
            maxReceiveCount: Number(redrive.maxReceiveCount),
          },
        ),
      };
    }),
    queueEventSources: each('AWS::Lambda::EventSourceMapping', (properties) => ({
      queueArn: String(properties.EventSourceArn),
      functionName: String(properties.FunctionName),
      batchSize: Number(properties.BatchSize ?? 10),
      batchingWindowSeconds: Number(properties.MaximumBatchingWindowInSeconds ?? 0),
      reportBatchItemFailures: ((properties.FunctionResponseTypes ?? []) as string[]).includes(
        'ReportBatchItemFailures',
      ),
    })).filter((source) => source.queueArn.startsWith('arn:aws:sqs:')),
    asyncInvokeConfigs: each('AWS::Lambda::EventInvokeConfig', (properties) => {
      const destination = properties.DestinationConfig as
        { OnFailure?: { Destination?: string } } | undefined;
      return {
        functionName: String(properties.FunctionName),
        maximumRetryAttempts: Number(properties.MaximumRetryAttempts ?? 2),
        ...optional('onFailureArn', destination?.OnFailure?.Destination),
      };
    }),
    topics: each('AWS::SNS::Topic', (properties, logicalId) => ({
      name: stack.physicalName(logicalId),
      arn: stack.getAtt(logicalId, 'Arn'),
      displayName: String(properties.DisplayName ?? ''),
    })),
    subscriptions: each('AWS::SNS::Subscription', (properties) => ({
      topicArn: String(properties.TopicArn),
      protocol: String(properties.Protocol),
      endpoint: String(properties.Endpoint),
      ...optional('filterPolicy', jsonObjectOf(properties.FilterPolicy)),
      filterPolicyScope:
        properties.FilterPolicyScope === 'MessageBody' ? 'MessageBody' : 'MessageAttributes',
    })),
    buckets: each('AWS::S3::Bucket', (properties, logicalId) => ({
      name: stack.physicalName(logicalId),
      eventBridgeEnabled:
        (properties.NotificationConfiguration as NotificationConfiguration | undefined)
          ?.EventBridgeConfiguration?.EventBridgeEnabled === true,
    })),
    pipelines: each('AWS::SageMaker::Pipeline', (properties, logicalId) => ({
      name: stack.physicalName(logicalId),
      definition: String(
        (properties.PipelineDefinition as { PipelineDefinitionBody?: unknown } | undefined)
          ?.PipelineDefinitionBody ?? '',
      ),
    })),
    modelPackageGroups: stack
      .resourcesOfType('AWS::SageMaker::ModelPackageGroup')
      .map(stack.physicalName),
    tables: each('AWS::DynamoDB::Table', (properties, logicalId) => ({
      ...(properties as unknown as TableProperties),
      TableName: stack.physicalName(logicalId),
    })),
    outputs: Object.fromEntries(
      Object.entries(template.Outputs ?? {}).map(([key, output]) => [
        key,
        String(stack.resolve((output as { Value: unknown }).Value)),
      ]),
    ),
  };
}

/** Templates may hold a JSON document as an object or as its text. */
function jsonObjectOf(value: unknown): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  return (typeof value === 'string' ? JSON.parse(value) : value) as Record<string, unknown>;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
