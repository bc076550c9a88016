import { assertNever } from './assert-never';
import type { StartFailureKind } from './start-failure';

/** How SQS delivered a notification this time, read from its record. */
export interface MessageDelivery {
  /** `ApproximateReceiveCount`: 1 on the first receive, counting failed receives (and crashes). */
  readonly receiveCount: number;
  /** How often a quota refusal has sent it back to the buffer already. */
  readonly deferrals: number;
  /** When the first quota refusal happened (ISO 8601), if one did. */
  readonly waitingSince?: string;
}

/** What became of one notification in this invocation. */
export type NotificationOutcome =
  | { readonly kind: 'done' }
  /** The deadline came before its start was tried, or cut the call short. */
  | { readonly kind: 'not-started' }
  | {
      readonly kind: 'failed';
      readonly failure: Exclude<StartFailureKind, 'interrupted'>;
      readonly reason: string;
    };

/** What the shell does with the notification's SQS message. */
export type Disposition =
  /** Reported as processed: Lambda deletes the message. */
  | { readonly action: 'acknowledge' }
  /** Reported in `batchItemFailures`: back after the visibility timeout, one receive counted. */
  | { readonly action: 'redeliver' }
  /** A fresh copy to the buffer (no receive counted against it), the original acknowledged. */
  | {
      readonly action: 'requeue';
      readonly delaySeconds: number;
      readonly deferrals: number;
      readonly waitingSince?: string;
    }
  /** A copy with the reason to the dead-letter queue now, the original acknowledged. */
  | { readonly action: 'dead-letter'; readonly reason: string };

export interface RedeliveryPolicy {
  /** How long a quota refusal may go on before the notification is parked with the reason. */
  readonly maxQuotaWaitHours: number;
}

// SQS delays a message by at most 15 minutes.
const MAX_DELAY_SECONDS = 900;
const FIRST_QUOTA_DELAY_SECONDS = 60;
const HOUR_MS = 3_600_000;

/**
 * Decides what happens to a notification's message, so that the dead-letter queue receives only
 * what cannot succeed: an error that no retry changes goes there at once, with its reason; a
 * quota refusal waits in the buffer with a growing delay; a notification the deadline left
 * unstarted goes back to the buffer at once. Neither of those two is a failure, and a fresh copy
 * keeps them from using up receives: SQS counts every receive, and its redrive policy cannot tell
 * "not tried yet" from "failed" (measured: with the batch reported back instead, notifications
 * put off by the deadline on four receives were parked after one throttled fifth). What remains
 * are transient failures: redelivered by SQS, and parked after `maxReceiveCount` failed receives.
 *
 * @example
 * decideDisposition({ kind: 'not-started' }, { receiveCount: 1, deferrals: 0 }, policy, now);
 * // { action: 'requeue', delaySeconds: 0, deferrals: 0 }
 */
export function decideDisposition(
  outcome: NotificationOutcome,
  delivery: MessageDelivery,
  policy: RedeliveryPolicy,
  now: Date,
): Disposition {
  switch (outcome.kind) {
    case 'done':
      return { action: 'acknowledge' };
    case 'not-started':
      return requeue(0, delivery.deferrals, delivery.waitingSince);
    case 'failed':
      return afterFailure(outcome, delivery, policy, now);
    default:
      return assertNever(outcome);
  }
}

function afterFailure(
  outcome: Extract<NotificationOutcome, { kind: 'failed' }>,
  delivery: MessageDelivery,
  policy: RedeliveryPolicy,
  now: Date,
): Disposition {
  switch (outcome.failure) {
    case 'permanent':
      return { action: 'dead-letter', reason: outcome.reason };
    case 'transient':
      return { action: 'redeliver' };
    case 'back-pressure':
      return afterQuotaRefusal(outcome.reason, delivery, policy, now);
    default:
      return assertNever(outcome.failure);
  }
}

function afterQuotaRefusal(
  reason: string,
  delivery: MessageDelivery,
  policy: RedeliveryPolicy,
  now: Date,
): Disposition {
  const waitingSince = delivery.waitingSince ?? now.toISOString();
  if (now.getTime() - Date.parse(waitingSince) >= policy.maxQuotaWaitHours * HOUR_MS) {
    return {
      action: 'dead-letter',
      reason: `Still refused for a quota after waiting since ${waitingSince} (at most ${policy.maxQuotaWaitHours} h): ${reason}`,
    };
  }
  const deferrals = delivery.deferrals + 1;
  return requeue(quotaDelaySeconds(deferrals), deferrals, waitingSince);
}

/** 1, 2, 4, 8 minutes, then every 15: runs that hold the quota take minutes to hours to end. */
function quotaDelaySeconds(deferrals: number): number {
  return Math.min(MAX_DELAY_SECONDS, FIRST_QUOTA_DELAY_SECONDS * 2 ** (deferrals - 1));
}

function requeue(delaySeconds: number, deferrals: number, waitingSince?: string): Disposition {
  return {
    action: 'requeue',
    delaySeconds,
    deferrals,
    ...(waitingSince === undefined ? {} : { waitingSince }),
  };
}

// When one notification asked for several starts, the outcome that keeps it closest to a retry wins.
const OUTCOME_RANK = ['done', 'permanent', 'back-pressure', 'not-started', 'transient'] as const;

/**
 * The outcome of a notification from the outcomes of the starts it asked for (a bucket
 * notification may list several objects): it is done only when all are.
 *
 * @example
 * combineOutcomes([{ kind: 'done' }, { kind: 'not-started' }]); // { kind: 'not-started' }
 */
export function combineOutcomes(outcomes: readonly NotificationOutcome[]): NotificationOutcome {
  const rank = (outcome: NotificationOutcome) =>
    OUTCOME_RANK.indexOf(outcome.kind === 'failed' ? outcome.failure : outcome.kind);
  return outcomes.reduce<NotificationOutcome>(
    (worst, outcome) => (rank(outcome) > rank(worst) ? outcome : worst),
    { kind: 'done' },
  );
}

/**
 * Orders starts so that those of notifications received most often (failed before) go first:
 * when the deadline leaves some unstarted, it is not the ones closest to the DLQ.
 *
 * @example
 * const ordered = redeliveredFirst(plan.starts, (id) => deliveries.get(id)?.receiveCount ?? 1);
 */
export function redeliveredFirst<T extends { readonly notificationIds: readonly string[] }>(
  starts: readonly T[],
  receiveCountOf: (notificationId: string) => number,
): T[] {
  const mostReceives = (start: T) => Math.max(...start.notificationIds.map(receiveCountOf));
  return [...starts].sort((a, b) => mostReceives(b) - mostReceives(a));
}

/** Message attributes this function writes on a requeued copy and reads back when it returns. */
export const DEFERRALS_ATTRIBUTE = 'mlops.deferrals';
export const WAITING_SINCE_ATTRIBUTE = 'mlops.waitingSince';
/** Why the dead-letter queue holds the message, for the person who looks at it. */
export const REASON_ATTRIBUTE = 'mlops.reason';
// Attributes count towards the message's size; a reason is a sentence, not a report.
const REASON_MAX_LENGTH = 1024;

/** A notification's unchanged body on its way to a queue, and what travels with it. */
export interface QueueMessage {
  /** The original message's id, by which the sender reports what it could not send. */
  readonly id: string;
  readonly body: string;
  readonly delaySeconds: number;
  readonly attributes: Readonly<Record<string, string>>;
}

/**
 * The copy a requeue or dead-letter disposition sends. A dead-lettered copy carries only its
 * reason, so that after a redrive the notification starts its wait afresh.
 *
 * @example
 * handBackMessage(record.messageId, record.body, { action: 'dead-letter', reason: 'ValidationException: ...' });
 */
export function handBackMessage(
  id: string,
  body: string,
  disposition: Extract<Disposition, { action: 'requeue' | 'dead-letter' }>,
): QueueMessage {
  if (disposition.action === 'dead-letter') {
    return {
      id,
      body,
      delaySeconds: 0,
      attributes: { [REASON_ATTRIBUTE]: disposition.reason.slice(0, REASON_MAX_LENGTH) },
    };
  }
  return {
    id,
    body,
    delaySeconds: disposition.delaySeconds,
    attributes: {
      [DEFERRALS_ATTRIBUTE]: String(disposition.deferrals),
      ...(disposition.waitingSince === undefined
        ? {}
        : { [WAITING_SINCE_ATTRIBUTE]: disposition.waitingSince }),
    },
  };
}
