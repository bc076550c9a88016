import { createHash, randomUUID } from 'node:crypto';
import type { ActivityLog } from './activity-log';
import type { LocalQueue, QueueEventSource } from './stack-wiring';

/** A message waiting in a queue; also how a queue's messages are saved across restarts (JSON). */
export interface QueuedMessage {
  readonly messageId: string;
  readonly body: string;
  /** String message attributes, handed to the consumer in the record's `messageAttributes`. */
  readonly attributes?: Readonly<Record<string, string>>;
  readonly sentTimestamp: number;
  /** FIFO queues only. */
  readonly groupId?: string;
  /** The queue whose redrive policy moved the message here (what a move task puts it back on). */
  readonly deadLetterSourceArn?: string;
  receiveCount: number;
  firstReceiveTimestamp?: number;
  visibleAt: number;
  /** Tells the sender how the message left the queue: consumed, or dead-lettered. */
  readonly settle: (consumed: boolean) => void;
}

export interface SendOptions {
  /** Required by a FIFO queue (an EventBridge target's SqsParameters.MessageGroupId). */
  readonly messageGroupId?: string;
  /** SendMessage's DelaySeconds: the message is not received before then. */
  readonly delaySeconds?: number;
  /** String message attributes, handed to the consumer in the record's `messageAttributes`. */
  readonly attributes?: Readonly<Record<string, string>>;
  /** Set by a redrive: the queue the message was dead-lettered from. */
  readonly deadLetterSourceArn?: string;
}

/** SQS drops a FIFO message whose deduplication id it saw within this interval. */
const DEDUPLICATION_INTERVAL_MS = 5 * 60_000;

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
 * (shortened), and a message received `maxReceiveCount` times goes to the dead-letter queue. A FIFO
 * queue keeps each message group in order and hands out none of a group while one of its messages
 * is in flight or waiting to come back; with content-based deduplication, a body sent again within
 * five minutes is taken once. `send` resolves when the message has left the queue: true once its
 * consumer succeeded (at once for a queue no function consumes), false when it was dead-lettered
 * or refused.
 *
 * @example
 * const sqs = startQueues({ queues, eventSources, region, invoke, log, maxBatchingWindowSeconds: 2, maxVisibilityTimeoutSeconds: 5 });
 * await sqs.send(queueArn, JSON.stringify(event), { messageGroupId: 'training' });
 */
export function startQueues(options: QueueOptions) {
  const messages = new Map(options.queues.map((queue) => [queue.arn, [] as QueuedMessage[]]));
  const recentDeduplicationIds = new Map<string, number>();
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

  function send(queueArn: string, body: string, sendOptions: SendOptions = {}): Promise<boolean> {
    const queue = messages.get(queueArn);
    const definition = queueOf(queueArn);
    if (queue === undefined || definition === undefined) {
      options.log('sqs', `no queue ${queueArn}: message dropped`);
      return Promise.resolve(false);
    }
    if (definition.fifo && sendOptions.messageGroupId === undefined) {
      options.log(
        'sqs',
        `${nameOf(queueArn)}: a FIFO queue needs a MessageGroupId: message refused`,
      );
      return Promise.resolve(false);
    }
    const now = Date.now();
    if (definition.fifo && definition.contentBasedDeduplication) {
      const id = `${queueArn} ${createHash('sha256').update(body).digest('hex')}`;
      const seen = recentDeduplicationIds.get(id);
      if (seen !== undefined && now - seen < DEDUPLICATION_INTERVAL_MS) {
        options.log('sqs', `${nameOf(queueArn)}: the same body within 5 minutes, taken once`);
        return Promise.resolve(true);
      }
      recentDeduplicationIds.set(id, now);
    }
    options.onChange?.();
    const delaySeconds = Math.min(
      sendOptions.delaySeconds ?? 0,
      options.maxVisibilityTimeoutSeconds,
    );
    const source = sourceOf(queueArn);
    const left = new Promise<boolean>((resolve) => {
      queue.push({
        messageId: randomUUID(),
        body,
        attributes: sendOptions.attributes ?? {},
        sentTimestamp: now,
        ...(definition.fifo ? { groupId: sendOptions.messageGroupId } : {}),
        ...(sendOptions.deadLetterSourceArn === undefined
          ? {}
          : { deadLetterSourceArn: sendOptions.deadLetterSourceArn }),
        receiveCount: 0,
        visibleAt: now + delaySeconds * 1000,
        // A queue no function consumes keeps the message: it has arrived, and that is all.
        settle: source === undefined ? () => undefined : resolve,
      });
      if (source === undefined) resolve(true);
    });
    if (source === undefined) {
      options.log('sqs', `${nameOf(queueArn)}: ${queue.length} message(s) waiting (no consumer)`);
      return left;
    }
    const ready = deliverable(source, queue, now).length;
    const window = Math.min(source.batchingWindowSeconds, options.maxBatchingWindowSeconds);
    schedulePoll(source, ready >= source.batchSize ? 0 : window * 1000);
    return left;
  }

  /**
   * What the next batch may take, in queue order: visible messages, and in a FIFO queue none of a
   * group that has a message in flight or waiting to come back.
   */
  function deliverable(source: QueueEventSource, queue: QueuedMessage[], now: number) {
    const blocked = queueOf(source.queueArn)?.fifo
      ? new Set(queue.filter((message) => message.visibleAt > now).map((m) => m.groupId))
      : new Set<string | undefined>();
    return queue
      .filter((message) => message.visibleAt <= now && !blocked.has(message.groupId))
      .slice(0, source.batchSize);
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
      void send(redrive.deadLetterArn, message.body, {
        ...(message.groupId === undefined ? {} : { messageGroupId: message.groupId }),
        deadLetterSourceArn: queueArn,
      });
      message.settle(false);
    }
    return queue.filter((message) => !exhausted.includes(message));
  }

  async function poll(source: QueueEventSource): Promise<void> {
    if (busy.has(source.queueArn)) return;
    const now = Date.now();
    const queue = redriveExhausted(source.queueArn, messages.get(source.queueArn) ?? []);
    messages.set(source.queueArn, queue);
    const batch = deliverable(source, queue, now);
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
    const later = Date.now();
    if (deliverable(source, remaining, later).length > 0) {
      schedulePoll(source, 0);
      return;
    }
    const hidden = remaining.filter((message) => message.visibleAt > later);
    if (hidden.length > 0) {
      schedulePoll(source, Math.min(...hidden.map((message) => message.visibleAt)) - later);
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
    done.forEach((message) => message.settle(true));
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

  /** A queue no function consumes, for the SQS API's own receivers (the operator's CLI). */
  function unconsumed(queueArn: string): QueuedMessage[] {
    const queue = messages.get(queueArn);
    if (queue === undefined || sourceOf(queueArn) !== undefined) {
      throw new Error(`${nameOf(queueArn)} is not a queue an API caller receives from locally`);
    }
    return queue;
  }

  return {
    send,
    /** Messages waiting in a queue (a dead-letter queue, for instance). */
    depth: (queueArn: string): number => messages.get(queueArn)?.length ?? 0,
    /** GetQueueAttributes' approximate counts: visible, received and not back yet, delayed. */
    counts(queueArn: string) {
      const now = Date.now();
      const queue = messages.get(queueArn) ?? [];
      const hidden = queue.filter((message) => message.visibleAt > now);
      return {
        visible: queue.length - hidden.length,
        inFlight: hidden.filter((message) => message.receiveCount > 0).length,
        delayed: hidden.filter((message) => message.receiveCount === 0).length,
      };
    },
    /**
     * ReceiveMessage on a queue no function consumes: up to `max` visible messages, hidden for
     * `visibilitySeconds`; each receipt handle names one receive of one message.
     */
    receive(queueArn: string, max: number, visibilitySeconds: number) {
      const now = Date.now();
      const received = unconsumed(queueArn)
        .filter((message) => message.visibleAt <= now)
        .slice(0, max);
      for (const message of received) {
        message.receiveCount += 1;
        message.firstReceiveTimestamp ??= now;
        message.visibleAt = now + visibilitySeconds * 1000;
      }
      options.onChange?.();
      return received.map((message) => ({ message, receiptHandle: receiptOf(message) }));
    },
    /** DeleteMessage: false when the handle names no message of the queue (any more). */
    delete(queueArn: string, receiptHandle: string): boolean {
      const queue = unconsumed(queueArn);
      const index = queue.findIndex((message) => receiptOf(message) === receiptHandle);
      if (index < 0) return false;
      queue.splice(index, 1);
      options.onChange?.();
      return true;
    },
    /** ChangeMessageVisibility: false when the handle names no message of the queue (any more). */
    changeVisibility(queueArn: string, receiptHandle: string, seconds: number): boolean {
      const message = unconsumed(queueArn).find(
        (candidate) => receiptOf(candidate) === receiptHandle,
      );
      if (message === undefined) return false;
      message.visibleAt = Date.now() + seconds * 1000;
      return true;
    },
    /** Takes the oldest visible message off a queue (a move task's next one), if any. */
    takeOldest(queueArn: string): QueuedMessage | undefined {
      const queue = messages.get(queueArn) ?? [];
      const index = queue.findIndex((message) => message.visibleAt <= Date.now());
      if (index < 0) return undefined;
      const [taken] = queue.splice(index, 1);
      options.onChange?.();
      return taken;
    },
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
    // Nobody waits on a message of the last session any more: its settling is a no-op.
    queue.push(...kept.map((message) => ({ ...message, settle: () => undefined })));
    log('sqs', `${name}: ${kept.length} message(s) kept from the last session`);
    poll(queueArn);
  }
}

/** A receipt handle names one receive of one message: a later receive makes it stale. */
function receiptOf(message: QueuedMessage): string {
  return `${message.messageId}#${message.receiveCount}`;
}

function reportedFailures(source: QueueEventSource, result: unknown): Set<string> {
  if (!source.reportBatchItemFailures) return new Set();
  const failures = (result as { batchItemFailures?: Array<{ itemIdentifier?: string }> } | null)
    ?.batchItemFailures;
  return new Set((failures ?? []).map((failure) => String(failure.itemIdentifier)));
}

/** What a record of an SQS event needs to know of its message. */
export type ReceivedMessage = Pick<
  QueuedMessage,
  | 'messageId'
  | 'body'
  | 'attributes'
  | 'sentTimestamp'
  | 'receiveCount'
  | 'firstReceiveTimestamp'
  | 'groupId'
>;

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
      ...(message.groupId === undefined ? {} : { MessageGroupId: message.groupId }),
    },
    messageAttributes: Object.fromEntries(
      Object.entries(message.attributes ?? {}).map(([name, stringValue]) => [
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
