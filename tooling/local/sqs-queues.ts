import { createHash, randomUUID } from 'node:crypto';
import type { ActivityLog } from './activity-log';
import type { LocalQueue, QueueEventSource } from './stack-wiring';

interface QueuedMessage extends ReceivedMessage {
  receiveCount: number;
  firstReceiveTimestamp?: number;
  visibleAt: number;
}

export interface QueueOptions {
  readonly queues: readonly LocalQueue[];
  readonly eventSources: readonly QueueEventSource[];
  readonly region: string;
  readonly invoke: (functionName: string, event: unknown, trigger: string) => Promise<unknown>;
  readonly log: ActivityLog;
  /**
   * Longest batching window locally: a template's 60 s window would make every upload wait a
   * minute. Bursts within this window still arrive in one batch.
   */
  readonly maxBatchingWindowSeconds: number;
  /**
   * Longest wait before a failed message is received again (the queue's visibility timeout on
   * AWS), and before a delayed message is received at all (its DelaySeconds).
   */
  readonly maxVisibilityTimeoutSeconds: number;
}

/** What a producer may set on a message besides its body (SendMessage's DelaySeconds, attributes). */
export interface SendOptions {
  readonly delaySeconds?: number;
  /** String message attributes, handed to the consumer in the record's `messageAttributes`. */
  readonly attributes?: Readonly<Record<string, string>>;
}

/**
 * The stack's SQS queues with Lambda's event source mappings: messages wait for the batching
 * window (shortened) or a full batch, the function gets them as an SQS event, messages it reports
 * in `batchItemFailures` (or all, when it fails) come back after the visibility timeout
 * (shortened), and a message received `maxReceiveCount` times goes to the dead-letter queue.
 *
 * @example
 * const sqs = startQueues({ queues, eventSources, region, invoke, log, maxBatchingWindowSeconds: 2, maxVisibilityTimeoutSeconds: 5 });
 * sqs.send(queueArn, JSON.stringify(event));
 */
export function startQueues(options: QueueOptions) {
  const messages = new Map(options.queues.map((queue) => [queue.arn, [] as QueuedMessage[]]));
  const timers = new Map<string, NodeJS.Timeout>();
  const busy = new Set<string>();
  const sourceOf = (queueArn: string) =>
    options.eventSources.find((source) => source.queueArn === queueArn);
  const queueOf = (queueArn: string) => options.queues.find((queue) => queue.arn === queueArn);
  const nameOf = (queueArn: string) => queueArn.split(':').pop() ?? queueArn;

  for (const source of options.eventSources) {
    if (source.batchingWindowSeconds > options.maxBatchingWindowSeconds) {
      options.log(
        'sqs',
        `${nameOf(source.queueArn)}: batching window ${source.batchingWindowSeconds} s shortened to ${options.maxBatchingWindowSeconds} s locally`,
      );
    }
  }

  function send(queueArn: string, body: string, sendOptions: SendOptions = {}): void {
    const queue = messages.get(queueArn);
    if (queue === undefined) {
      options.log('sqs', `no queue ${queueArn}: message dropped`);
      return;
    }
    const now = Date.now();
    const delaySeconds = Math.min(
      sendOptions.delaySeconds ?? 0,
      options.maxVisibilityTimeoutSeconds,
    );
    queue.push({
      messageId: randomUUID(),
      body,
      attributes: sendOptions.attributes ?? {},
      sentTimestamp: now,
      receiveCount: 0,
      visibleAt: now + delaySeconds * 1000,
    });
    const source = sourceOf(queueArn);
    if (source === undefined) {
      options.log('sqs', `${nameOf(queueArn)}: ${queue.length} message(s) waiting (no consumer)`);
      return;
    }
    const visible = queue.filter((message) => message.visibleAt <= now).length;
    const window = Math.min(source.batchingWindowSeconds, options.maxBatchingWindowSeconds);
    schedulePoll(source, visible >= source.batchSize ? 0 : window * 1000);
  }

  function schedulePoll(source: QueueEventSource, delayMs: number): void {
    if (timers.has(source.queueArn)) return;
    timers.set(
      source.queueArn,
      setTimeout(() => {
        timers.delete(source.queueArn);
        void poll(source);
      }, delayMs),
    );
  }

  /** Messages received too often go to the dead-letter queue instead of to the function again. */
  function redriveExhausted(queueArn: string, queue: QueuedMessage[]): QueuedMessage[] {
    const redrive = queueOf(queueArn)?.redrive;
    if (redrive === undefined) return queue;
    const exhausted = queue.filter((message) => message.receiveCount >= redrive.maxReceiveCount);
    for (const message of exhausted) {
      options.log(
        'sqs',
        `${nameOf(queueArn)}: message ${message.messageId} received ${message.receiveCount} times → ${nameOf(redrive.deadLetterArn)}`,
      );
      send(redrive.deadLetterArn, message.body);
    }
    return queue.filter((message) => !exhausted.includes(message));
  }

  async function poll(source: QueueEventSource): Promise<void> {
    if (busy.has(source.queueArn)) return;
    const now = Date.now();
    const queue = redriveExhausted(source.queueArn, messages.get(source.queueArn) ?? []);
    messages.set(source.queueArn, queue);
    const batch = queue.filter((message) => message.visibleAt <= now).slice(0, source.batchSize);
    if (batch.length > 0) {
      busy.add(source.queueArn);
      try {
        await deliver(source, batch, queue);
      } finally {
        busy.delete(source.queueArn);
      }
    }
    const remaining = messages.get(source.queueArn) ?? [];
    if (remaining.length > 0) {
      const nextVisible = Math.min(...remaining.map((message) => message.visibleAt));
      schedulePoll(source, Math.max(0, nextVisible - Date.now()));
    }
  }

  async function deliver(source: QueueEventSource, batch: QueuedMessage[], queue: QueuedMessage[]) {
    const visibilityMs =
      Math.min(
        queueOf(source.queueArn)?.visibilityTimeoutSeconds ?? 30,
        options.maxVisibilityTimeoutSeconds,
      ) * 1000;
    const now = Date.now();
    for (const message of batch) {
      message.receiveCount += 1;
      message.firstReceiveTimestamp ??= now;
      message.visibleAt = now + visibilityMs;
    }
    let failed: Set<string>;
    try {
      const result = await options.invoke(
        source.functionName,
        { Records: batch.map((message) => sqsRecord(message, source.queueArn, options.region)) },
        `${nameOf(source.queueArn)} (${batch.length} message${batch.length === 1 ? '' : 's'})`,
      );
      failed = reportedFailures(source, result);
    } catch {
      failed = new Set(batch.map((message) => message.messageId));
    }
    const done = new Set(batch.filter((message) => !failed.has(message.messageId)));
    messages.set(
      source.queueArn,
      (messages.get(source.queueArn) ?? queue).filter((message) => !done.has(message)),
    );
    if (failed.size > 0) {
      options.log(
        'sqs',
        `${nameOf(source.queueArn)}: ${failed.size} message(s) back after ${visibilityMs / 1000} s`,
      );
    }
  }

  return {
    send,
    /** Messages waiting in a queue (a dead-letter queue, for instance). */
    depth: (queueArn: string): number => messages.get(queueArn)?.length ?? 0,
    close(): void {
      timers.forEach(clearTimeout);
      timers.clear();
    },
  };
}

function reportedFailures(source: QueueEventSource, result: unknown): Set<string> {
  if (!source.reportBatchItemFailures) return new Set();
  const failures = (result as { batchItemFailures?: Array<{ itemIdentifier?: string }> } | null)
    ?.batchItemFailures;
  return new Set((failures ?? []).map((failure) => String(failure.itemIdentifier)));
}

/** What a record of an SQS event needs to know of its message. */
export interface ReceivedMessage {
  readonly messageId: string;
  readonly body: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly sentTimestamp: number;
  readonly receiveCount: number;
  readonly firstReceiveTimestamp?: number;
}

/**
 * A message as Lambda's event source mapping hands it to the function: one record of an SQS
 * event, string message attributes included.
 *
 * @example
 * const event = { Records: batch.map((message) => sqsRecord(message, queue.arn, 'eu-west-1')) };
 */
export function sqsRecord(message: ReceivedMessage, queueArn: string, region: string) {
  return {
    messageId: message.messageId,
    receiptHandle: `local-${message.messageId}-${message.receiveCount}`,
    body: message.body,
    attributes: {
      ApproximateReceiveCount: String(message.receiveCount),
      SentTimestamp: String(message.sentTimestamp),
      SenderId: 'AIDAIENQZJOLO23YVJ4VO',
      ApproximateFirstReceiveTimestamp: String(
        message.firstReceiveTimestamp ?? message.sentTimestamp,
      ),
    },
    messageAttributes: Object.fromEntries(
      Object.entries(message.attributes).map(([name, stringValue]) => [
        name,
        { stringValue, stringListValues: [], binaryListValues: [], dataType: 'String' },
      ]),
    ),
    md5OfBody: createHash('md5').update(message.body).digest('hex'),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}
