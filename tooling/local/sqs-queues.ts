import { createHash, randomUUID } from 'node:crypto';
import type { ActivityLog } from './activity-log';
import type { LocalQueue, QueueEventSource } from './stack-wiring';

/** A message waiting in a queue; also how a queue's messages are saved across restarts (JSON). */
export interface QueuedMessage {
  readonly messageId: string;
  readonly body: string;
  readonly sentTimestamp: number;
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
  /** Longest wait before a failed message is received again (the queue's visibility timeout on AWS). */
  readonly maxVisibilityTimeoutSeconds: number;
  /** Called when a queue's messages changed (sent, deleted, back after a failure). */
  readonly onChange?: () => void;
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
  const deliveries = new Set<Promise<void>>();
  let closed = false;
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

  function send(queueArn: string, body: string): void {
    const queue = messages.get(queueArn);
    if (queue === undefined) {
      options.log('sqs', `no queue ${queueArn}: message dropped`);
      return;
    }
    const now = Date.now();
    options.onChange?.();
    queue.push({
      messageId: randomUUID(),
      body,
      sentTimestamp: now,
      receiveCount: 0,
      visibleAt: now,
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
    if (closed || timers.has(source.queueArn)) return;
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
      const delivery = deliver(source, batch, queue);
      deliveries.add(delivery);
      try {
        await delivery;
      } finally {
        busy.delete(source.queueArn);
        deliveries.delete(delivery);
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
    options.onChange?.();
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
    /**
     * Puts back the messages an earlier session left (as `saved()` returned them), once the
     * functions can do their work, and hands them to their functions.
     */
    restore(saved: Readonly<Record<string, readonly QueuedMessage[]>>): void {
      restoreSaved(saved, messages, options.log, (queueArn) => {
        const source = sourceOf(queueArn);
        if (source !== undefined) schedulePoll(source, 0);
      });
    },
    /** Every queue's messages, to be given back to `restore` after a restart (JSON). */
    saved: (): Record<string, QueuedMessage[]> =>
      Object.fromEntries([...messages].filter(([, queued]) => queued.length > 0)),
    /**
     * Stops handing messages to functions; resolves once the batches under way are done (their
     * messages deleted, or back in their queue). Messages sent afterwards stay in their queue.
     */
    async close(): Promise<void> {
      closed = true;
      timers.forEach(clearTimeout);
      timers.clear();
      await Promise.allSettled([...deliveries]);
    },
  };
}

/** Puts back what an earlier session left, says so, and has consumers poll at once. */
function restoreSaved(
  saved: Readonly<Record<string, readonly QueuedMessage[]>>,
  messages: Map<string, QueuedMessage[]>,
  log: ActivityLog,
  poll: (queueArn: string) => void,
): void {
  for (const [queueArn, kept] of Object.entries(saved)) {
    const name = queueArn.split(':').pop();
    const queue = messages.get(queueArn);
    if (queue === undefined) {
      log(
        'sqs',
        `${name}: ${kept.length} message(s) of the last session dropped (the stack has no such queue now)`,
      );
      continue;
    }
    queue.push(...kept);
    log('sqs', `${name}: ${kept.length} message(s) kept from the last session`);
    poll(queueArn);
  }
}

function reportedFailures(source: QueueEventSource, result: unknown): Set<string> {
  if (!source.reportBatchItemFailures) return new Set();
  const failures = (result as { batchItemFailures?: Array<{ itemIdentifier?: string }> } | null)
    ?.batchItemFailures;
  return new Set((failures ?? []).map((failure) => String(failure.itemIdentifier)));
}

function sqsRecord(message: QueuedMessage, queueArn: string, region: string) {
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
    messageAttributes: {},
    md5OfBody: createHash('md5').update(message.body).digest('hex'),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}
