import { setTimeout as sleep } from 'node:timers/promises';
import { deleteDeadLetter, receiveDeadLetters, releaseDeadLetter } from '../aws/dead-letters';
import { invokeAndWait } from '../aws/function-invocation';
import {
  type MessageMove,
  deadLetterSourceArns,
  latestMessageMove,
  startMessageMove,
} from '../aws/message-moves';
import { readQueueDepth } from '../aws/queue-depths';
import { assertNever } from '../core/assert-never';
import { type CommandOutput, renderTable } from './command-output';
import { redeliveryOf } from './dead-letter-redelivery';
import { OperatorError, UsageError } from './operator-errors';
import type { StackContext } from './stack-context';

export type ReplayQueue = 'uploads' | 'notifications';

/** What a replay may do, per queue: a move task is paced, letters are counted. */
export type ReplayOptions =
  | {
      readonly queue: 'uploads';
      readonly dryRun: boolean;
      /** Messages moved per second; SQS picks a rate when absent. */
      readonly ratePerSecond: number | undefined;
    }
  | {
      readonly queue: 'notifications';
      readonly dryRun: boolean;
      /** Letters replayed in this run. */
      readonly max: number;
    };

/** What became of one dead letter of the notifications queue. */
export interface LetterOutcome {
  readonly messageId: string;
  readonly outcome: 'replayed' | 'would-replay' | 'left';
  readonly functionName?: string;
  /** Where it came from, or why it was left. */
  readonly why: string;
}

// StartMessageMoveTask's MaxNumberOfMessagesPerSecond: 1-500.
const MAX_MOVE_RATE = 500;
const DEFAULT_NOTIFICATIONS_MAX = 100;
const MOVE_POLL = { intervalMs: 500, timeoutMs: 60_000 } as const;
// Hidden while this command deals with it, so one pass sees each letter once; what it leaves it
// makes visible again at the end.
const LETTER_VISIBILITY_SECONDS = 300;

/** The replay's options, validated: each error names its argument or option. */
export function parseReplayOptions(
  queue: string,
  raw: Readonly<Record<string, string | boolean | undefined>>,
): ReplayOptions {
  if (queue !== 'uploads' && queue !== 'notifications') {
    throw new UsageError(`<queue> ${queue} must be uploads or notifications.`);
  }
  const dryRun = raw.dryRun === true;
  if (queue === 'uploads') {
    if (raw.max !== undefined) {
      throw new UsageError(
        '--max counts notification letters; a move task moves the whole upload queue: pace it with --rate.',
      );
    }
    return { queue, dryRun, ratePerSecond: wholeNumberOption(raw, 'rate', MAX_MOVE_RATE) };
  }
  if (raw.rate !== undefined) {
    throw new UsageError('--rate paces the uploads move task; limit notifications with --max.');
  }
  return {
    queue,
    dryRun,
    max: wholeNumberOption(raw, 'max', Number.MAX_SAFE_INTEGER) ?? DEFAULT_NOTIFICATIONS_MAX,
  };
}

function wholeNumberOption(
  raw: Readonly<Record<string, string | boolean | undefined>>,
  option: 'max' | 'rate',
  limit: number,
): number | undefined {
  if (raw[option] === undefined) return undefined;
  const value = Number(raw[option]);
  if (!Number.isInteger(value) || value < 1 || value > limit) {
    throw new UsageError(
      `--${option} ${String(raw[option])} must be a whole number from 1${limit === Number.MAX_SAFE_INTEGER ? '' : ` to ${limit}`}.`,
    );
  }
  return value;
}

/**
 * `mlops replay uploads|notifications`: dead letters back to where they were going. Neither
 * starts a run or sends an e-mail twice: a replayed upload is the same S3 event, whose run's
 * ClientRequestToken is derived from it, and a replayed notification is the same event, whose
 * e-mail the ledger records once.
 */
export function replayCommand(stack: StackContext, options: ReplayOptions): Promise<CommandOutput> {
  switch (options.queue) {
    case 'uploads':
      return replayUploads(stack, options);
    case 'notifications':
      return replayNotifications(stack, options);
    default:
      return assertNever(options);
  }
}

/**
 * The upload dead-letter queue back into the upload buffer (StartMessageMoveTask), then waits for
 * the task to end. The buffer is the queue the stack dead-letters from (ListDeadLetterSourceQueues);
 * it is named as the destination because this queue also holds what EventBridge and onDataUpload
 * put there directly, which has no source queue of its own (tooling/resources/queues.yml).
 */
async function replayUploads(
  stack: StackContext,
  options: Extract<ReplayOptions, { queue: 'uploads' }>,
): Promise<CommandOutput> {
  const queueUrl = stack.output('DataUploadDeadLetterQueueUrl');
  const before = await readQueueDepth(stack.clients.sqs, queueUrl);
  const sources = await deadLetterSourceArns(stack.clients.sqs, queueUrl);
  const [buffer] = sources;
  if (buffer === undefined || sources.length > 1) {
    throw new OperatorError(
      `The upload dead-letter queue should be the dead-letter queue of the upload buffer alone; its sources are ${sources.join(', ') || 'none'}: check the stack.`,
    );
  }
  const running = await latestMessageMove(stack.clients.sqs, before.queueArn);
  if (running?.status === 'RUNNING') {
    throw new OperatorError(
      `A move of this queue is already running (${running.moved} of ${running.toMove} moved): wait for it, then run replay again.`,
    );
  }
  const destination = buffer.split(':').pop() ?? buffer;
  if (options.dryRun || before.waiting === 0) {
    return {
      data: {
        queue: 'uploads',
        dryRun: options.dryRun,
        destination: buffer,
        moved: 0,
        waiting: before.waiting,
        left: before.waiting,
      },
      text:
        before.waiting === 0
          ? `uploads: the dead-letter queue is empty (${before.inFlight} message(s) being received): nothing to move.`
          : `uploads: ${before.waiting} message(s) would move to ${destination} (dry run: nothing moved).`,
    };
  }
  await startMessageMove(stack.clients.sqs, before.queueArn, buffer, options.ratePerSecond);
  const move = await moveEnded(stack, before.queueArn);
  const after = await readQueueDepth(stack.clients.sqs, queueUrl);
  const why =
    move.status === 'RUNNING'
      ? `the move is still running (${MOVE_POLL.timeoutMs / 1000} s passed); run mlops status to follow it`
      : (move.failureReason ?? (after.waiting > 0 ? 'they arrived after the move started' : ''));
  return {
    data: {
      queue: 'uploads',
      dryRun: false,
      destination: buffer,
      status: move.status,
      moved: move.moved,
      left: after.waiting,
      ...(why === '' ? {} : { why }),
    },
    text: [
      `uploads: ${move.moved} of ${move.toMove} message(s) moved to ${destination} (${move.status}).`,
      ...(after.waiting > 0 || why !== ''
        ? [`left: ${after.waiting} message(s)${why === '' ? '' : `: ${why}`}`]
        : []),
      'Each moved upload starts its run once: its ClientRequestToken comes from the S3 event.',
    ].join('\n'),
  };
}

async function moveEnded(stack: StackContext, queueArn: string): Promise<MessageMove> {
  const deadline = Date.now() + MOVE_POLL.timeoutMs;
  for (;;) {
    const move = await latestMessageMove(stack.clients.sqs, queueArn);
    if (move === undefined)
      throw new OperatorError(`SQS lists no move task of ${queueArn} after starting one.`);
    if (move.status !== 'RUNNING' || Date.now() > deadline) return move;
    await sleep(MOVE_POLL.intervalMs);
  }
}

/**
 * Each dead letter of the notifications queue (up to --max) back to the function it was meant
 * for, synchronously: deleted once the function succeeded, left in the queue (visible again at
 * once) when it failed again or cannot be replayed, with the reason.
 */
async function replayNotifications(
  stack: StackContext,
  options: Extract<ReplayOptions, { queue: 'notifications' }>,
): Promise<CommandOutput> {
  const queueUrl = stack.output('NotificationsDeadLetterQueueUrl');
  const letters = await receiveDeadLetters(
    stack.clients.sqs,
    queueUrl,
    options.max,
    LETTER_VISIBILITY_SECONDS,
  );
  const outcomes: LetterOutcome[] = [];
  for (const letter of letters) {
    const redelivery = redeliveryOf(letter, stack.stackName);
    if (redelivery.kind === 'leave') {
      outcomes.push({ messageId: letter.messageId, outcome: 'left', why: redelivery.reason });
      continue;
    }
    if (options.dryRun) {
      outcomes.push({
        messageId: letter.messageId,
        outcome: 'would-replay',
        functionName: redelivery.functionName,
        why: redelivery.origin,
      });
      continue;
    }
    const result = await invokeAndWait(
      stack.clients.lambda,
      redelivery.functionName,
      redelivery.event,
    );
    if (result.ok) await deleteDeadLetter(stack.clients.sqs, queueUrl, letter.receiptHandle);
    outcomes.push({
      messageId: letter.messageId,
      outcome: result.ok ? 'replayed' : 'left',
      functionName: redelivery.functionName,
      why: result.ok ? redelivery.origin : `failed again: ${result.error}`,
    });
  }
  // Left or only looked at: back in the queue now, for the next replay.
  for (const [index, letter] of letters.entries()) {
    if (outcomes[index]?.outcome !== 'replayed') {
      await releaseDeadLetter(stack.clients.sqs, queueUrl, letter.receiptHandle);
    }
  }
  const count = (outcome: LetterOutcome['outcome']) =>
    outcomes.filter((o) => o.outcome === outcome).length;
  return {
    data: { queue: 'notifications', dryRun: options.dryRun, letters: outcomes },
    text: [
      ...(outcomes.length === 0
        ? []
        : [
            renderTable(
              ['message', 'outcome', 'function', 'why'],
              outcomes.map((o) => [o.messageId, o.outcome, o.functionName ?? '-', o.why]),
            ),
          ]),
      `notifications: ${outcomes.length} dead letter(s): ${count('replayed')} replayed, ${count('would-replay')} would replay, ${count('left')} left in the queue.`,
    ].join('\n'),
  };
}
