import { randomUUID } from 'node:crypto';
import type { ActivityLog } from './activity-log';
import type { QueuedMessage, SendOptions } from './sqs-queues';
import type { LocalQueue } from './stack-wiring';

/** What a move task needs of the queues. */
export interface MovableQueues {
  readonly definitions: readonly LocalQueue[];
  readonly depth: (queueArn: string) => number;
  readonly takeOldest: (queueArn: string) => QueuedMessage | undefined;
  readonly send: (queueArn: string, body: string, options: SendOptions) => unknown;
}

/** A task as ListMessageMoveTasks reports it. */
export interface MessageMoveTask {
  readonly TaskHandle?: string;
  Status: 'RUNNING' | 'COMPLETED' | 'CANCELLED' | 'FAILED';
  readonly SourceArn: string;
  readonly DestinationArn?: string;
  readonly MaxNumberOfMessagesPerSecond?: number;
  ApproximateNumberOfMessagesMoved: number;
  readonly ApproximateNumberOfMessagesToMove: number;
  FailureReason?: string;
  readonly StartedTimestamp: number;
}

/** A request the service refuses, with its error code. */
export class MoveTaskError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

// StartMessageMoveTask (SQS API reference): at most 500 messages per second; without a rate the
// service picks one, locally fast enough for a test and slow enough to be seen running.
const MAX_MESSAGES_PER_SECOND = 500;
const LOCAL_DEFAULT_MESSAGES_PER_SECOND = 50;
// ListMessageMoveTasks: MaxResults 1-10, default 1.
const LIST_LIMIT = { default: 1, max: 10 } as const;

/**
 * SQS message move tasks as the service runs them: only from a queue that is the dead-letter queue
 * of another queue of the stack, one running task per source queue, to DestinationArn or, without
 * one, each message back to the queue that dead-lettered it, at MaxNumberOfMessagesPerSecond. A
 * message no redrive put there has no source to go back to: the task fails at it and leaves it.
 *
 * @example
 * const tasks = messageMoveTasks(queues, log);
 * const handle = tasks.start({ SourceArn: dlqArn });
 */
export function messageMoveTasks(queues: MovableQueues, log: ActivityLog) {
  const tasks: MessageMoveTask[] = [];
  const nameOf = (arn: string) => arn.split(':').pop() ?? arn;

  function checkedRate(rate: unknown): number | undefined {
    if (rate === undefined) return undefined;
    if (
      typeof rate !== 'number' ||
      !Number.isInteger(rate) ||
      rate < 1 ||
      rate > MAX_MESSAGES_PER_SECOND
    ) {
      throw new MoveTaskError(
        'InvalidParameterValue',
        `MaxNumberOfMessagesPerSecond must be a whole number from 1 to ${MAX_MESSAGES_PER_SECOND}`,
      );
    }
    return rate;
  }

  function checkedQueue(arn: unknown, member: string): string {
    if (typeof arn !== 'string' || !queues.definitions.some((queue) => queue.arn === arn)) {
      throw new MoveTaskError(
        'ResourceNotFoundException',
        `${member} ${String(arn)} names no queue`,
      );
    }
    return arn;
  }

  function moveOne(task: MessageMoveTask): void {
    const message = queues.takeOldest(task.SourceArn);
    if (message === undefined) {
      task.Status = 'COMPLETED';
      log(
        'sqs',
        `${nameOf(task.SourceArn)}: move task done, ${task.ApproximateNumberOfMessagesMoved} moved`,
      );
      return;
    }
    const destination = task.DestinationArn ?? message.deadLetterSourceArn;
    if (destination === undefined) {
      queues.send(task.SourceArn, message.body, optionsOf(message));
      task.Status = 'FAILED';
      task.FailureReason = `Message ${message.messageId} was not moved here by a redrive policy: it has no source queue to go back to`;
      return;
    }
    queues.send(destination, message.body, optionsOf(message));
    task.ApproximateNumberOfMessagesMoved += 1;
  }

  function run(task: MessageMoveTask, rate: number): void {
    const timer = setInterval(() => {
      if (task.Status !== 'RUNNING') {
        clearInterval(timer);
        return;
      }
      moveOne(task);
    }, 1000 / rate);
    timer.unref();
  }

  return {
    /** StartMessageMoveTask: the new task's handle. */
    start(request: Record<string, unknown>): string {
      const source = checkedQueue(request.SourceArn, 'SourceArn');
      if (!queues.definitions.some((queue) => queue.redrive?.deadLetterArn === source)) {
        throw new MoveTaskError(
          'InvalidParameterValue',
          `Source queue ${nameOf(source)} is not the dead-letter queue of any queue`,
        );
      }
      const destination =
        request.DestinationArn === undefined
          ? undefined
          : checkedQueue(request.DestinationArn, 'DestinationArn');
      const rate = checkedRate(request.MaxNumberOfMessagesPerSecond);
      if (tasks.some((task) => task.SourceArn === source && task.Status === 'RUNNING')) {
        throw new MoveTaskError(
          'UnsupportedOperation',
          `A message move task is already running on ${nameOf(source)}`,
        );
      }
      const task: MessageMoveTask = {
        TaskHandle: Buffer.from(JSON.stringify({ id: randomUUID(), source })).toString('base64'),
        Status: 'RUNNING',
        SourceArn: source,
        ...(destination === undefined ? {} : { DestinationArn: destination }),
        ...(rate === undefined ? {} : { MaxNumberOfMessagesPerSecond: rate }),
        ApproximateNumberOfMessagesMoved: 0,
        ApproximateNumberOfMessagesToMove: queues.depth(source),
        StartedTimestamp: Date.now(),
      };
      tasks.push(task);
      log(
        'sqs',
        `${nameOf(source)}: moving ${task.ApproximateNumberOfMessagesToMove} message(s) to ${destination === undefined ? 'their source queues' : nameOf(destination)}`,
      );
      run(task, rate ?? LOCAL_DEFAULT_MESSAGES_PER_SECOND);
      return String(task.TaskHandle);
    },

    /** ListMessageMoveTasks: a source queue's newest tasks first; a handle only while running. */
    list(request: Record<string, unknown>): MessageMoveTask[] {
      const source = checkedQueue(request.SourceArn, 'SourceArn');
      const max = request.MaxResults ?? LIST_LIMIT.default;
      if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > LIST_LIMIT.max) {
        throw new MoveTaskError(
          'InvalidParameterValue',
          `MaxResults must be from 1 to ${LIST_LIMIT.max}`,
        );
      }
      return tasks
        .filter((task) => task.SourceArn === source)
        .reverse()
        .slice(0, max)
        .map(({ TaskHandle, ...task }) => ({
          ...task,
          ...(task.Status === 'RUNNING' ? { TaskHandle } : {}),
        }));
    },
  };
}

function optionsOf(message: QueuedMessage): SendOptions {
  return {
    attributes: message.attributes ?? {},
    ...(message.groupId === undefined ? {} : { messageGroupId: message.groupId }),
  };
}
