import type * as z from 'zod/mini';
import type { LedgerSettings } from '../functions/config/ledger-config';
import type { DeploymentConfig } from './deployment-config';
import type { ReportKeys } from './report-locations';

/** What a declaration may read of the stack it is packaged into, all validated beforehand. */
export interface StackContext {
  readonly deployment: DeploymentConfig;
  readonly ledger: LedgerSettings;
  /** `<service>-<stage>`: the prefix of every name the stack gives. */
  readonly stackPrefix: string;
  readonly stage: string;
  readonly modelPackageGroup: string;
  /** The data bucket with the account id as a 12-digit stand-in (for documents). */
  readonly dataBucket: string;
  /** The data bucket as serverless.yml writes it, `${AWS::AccountId}` included (for Fn::Sub). */
  readonly rawDataBucket: string;
  readonly reports: ReportKeys;
}

/** An IAM statement of a function's role; every one is named, so a test can find it. */
export interface PolicyStatement {
  readonly Sid: string;
  readonly Action: string | readonly string[];
  readonly Resource: unknown;
  readonly Condition?: Readonly<Record<string, unknown>>;
}

/** What an EventBridge rule matches: an event pattern, or a schedule that may be switched off. */
export type RuleMatch =
  | { readonly kind: 'pattern'; readonly pattern: Readonly<Record<string, unknown>> }
  | { readonly kind: 'schedule'; readonly expression: string; readonly enabled: boolean };

/** An EventBridge rule that delivers to the function, or to the queue it consumes. */
export interface EventRule {
  /** The rule's logical id in the template. */
  readonly id: string;
  /** Its name after `<service>-<stage>-`. */
  readonly name: string;
  readonly description: string;
  readonly match: RuleMatch;
  /** The target's id within the rule. */
  readonly targetId: string;
  /** A FIFO queue's message group for the rule's events (fixed per target). */
  readonly messageGroupId?: string;
}

/**
 * How events reach the function, and where they go when they cannot:
 * - `rules`: EventBridge invokes it asynchronously; an event EventBridge cannot deliver, and an
 *   invocation that still fails after Lambda's retries, lands in the dead-letter queue.
 * - `queue`: the rules send to an SQS queue it consumes in batches; an event EventBridge cannot
 *   deliver lands in the dead-letter queue (a message the function keeps failing on is parked by
 *   the queue's own redrive policy, declared with the queue).
 * - `pipeline-step`: a SageMaker pipeline's Lambda step invokes it synchronously and sees its error.
 */
export type Trigger =
  | {
      readonly kind: 'rules';
      readonly rules: readonly EventRule[];
      readonly deadLetterQueue: string;
      readonly invocationRetries: number;
    }
  | {
      readonly kind: 'queue';
      /** The queue's logical id (a shared resource of serverless.yml). */
      readonly queue: string;
      /** The queue's own dead-letter queue: the rules may send there as well when it is theirs. */
      readonly queueDeadLetterQueue: string;
      /**
       * The logical id of the policy that lets only the rules send. Never renamed: CloudFormation
       * would delete the old policy after creating the new one, leaving the queues without any.
       */
      readonly queuePolicy: string;
      readonly batchSize: number;
      readonly batchWindowSeconds?: number;
      readonly rules: readonly EventRule[];
      readonly deadLetterQueue: string;
    }
  | { readonly kind: 'pipeline-step' };

/**
 * Every key of T present, optional ones included (possibly undefined): a configuration document
 * built without a field the function reads does not compile.
 */
export type Complete<T> = { [K in keyof Required<T>]: T[K] };

/** The JSON document a function parses at cold start from one environment variable. */
export interface FunctionConfiguration<S extends z.ZodMiniType> {
  readonly variable: string;
  /** The schema the function parses the document with; the plugin validates it with the same. */
  readonly schema: S;
  readonly build: (stack: StackContext) => Complete<z.output<S>>;
}

/**
 * One Lambda function of the control plane, declared once: the Serverless plugin derives from it
 * the function, its triggers' rules and permissions, its role, and its environment.
 */
export interface FunctionDeclaration<S extends z.ZodMiniType = z.ZodMiniType> {
  /** The entry point is `functions/<name>.ts`, exporting `handler`. */
  readonly name: string;
  readonly description: string;
  /** Seconds; the provider's default (60) when absent. */
  readonly timeout?: number;
  readonly trigger: (stack: StackContext) => Trigger;
  readonly configuration?: FunctionConfiguration<S>;
  /** Writes decisions to the ledger and announces them (LEDGER_CONFIG, the ledger's grants). */
  readonly recordsDecisions: boolean;
  /** Publishes e-mails to the notifications topic, each once (the topic, key and idempotency grants). */
  readonly sendsEmails: boolean;
  /** The AWS calls its code makes, on which resources, beyond what the above imply. */
  readonly permissions: (stack: StackContext) => readonly PolicyStatement[];
  /** Environment values CloudFormation resolves (queue URLs, say). */
  readonly environment?: Readonly<Record<string, unknown>>;
}

/**
 * Ties a declaration's configuration builder to its schema, so that the builder's result is
 * checked against what the function parses.
 *
 * @example
 * export const onSchedule = declareFunction({ name: 'onSchedule', configuration: { schema, ... }, ... });
 */
export function declareFunction<S extends z.ZodMiniType>(
  declaration: FunctionDeclaration<S>,
): FunctionDeclaration<S> {
  return declaration;
}

/**
 * The policy of the functions EventBridge invokes: two retries of a failed invocation, then the
 * event is parked, as is an event EventBridge could not deliver, in the notifications
 * dead-letter queue.
 *
 * @example
 * trigger: ({ deployment }) => invokedByRules(scheduleRules(deployment.schedules)),
 */
export function invokedByRules(rules: readonly EventRule[]): Trigger {
  return {
    kind: 'rules',
    rules,
    deadLetterQueue: 'NotificationsDeadLetterQueue',
    invocationRetries: 2,
  };
}
