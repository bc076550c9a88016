import type { Notification } from '../notification';
import type { NotificationSent } from './decision';
import { scheduleSubject } from './run-decisions';

/**
 * Which e-mail this is, from the identity of the event that triggered it and the e-mail's kind:
 * every delivery of the event names the same e-mail, so it is sent once. `subject` and `key` are
 * also where the ledger records that it was sent.
 */
export interface EmailIdentity {
  readonly subject: string;
  readonly key: string;
  /** When the triggering fact happened. */
  readonly at: string;
}

/** A run's status e-mail: the execution and the status (in the kind). */
export function executionEmail(executionArn: string, kind: string, at: string): EmailIdentity {
  return { subject: executionArn, key: `email#${kind}`, at };
}

/**
 * An e-mail about one step status of a run; `ordinal` tells the templates that match the same
 * step apart (their order in the configuration).
 */
export function stepEmail(
  step: { readonly executionArn: string; readonly name: string; readonly status: string },
  kind: string,
  ordinal: number,
  at: string,
): EmailIdentity {
  return {
    subject: step.executionArn,
    key: `email#${step.name}#${step.status}#${kind}#${ordinal}`,
    at,
  };
}

/** A review request or an approval's confirmation: the version (its ARN) and the kind. */
export function modelPackageEmail(
  modelPackageArn: string,
  kind: string,
  at: string,
): EmailIdentity {
  return { subject: modelPackageArn, key: `email#${kind}`, at };
}

/**
 * A data-quality warning: the data, the model version whose baseline it was checked against, and
 * the check. Runs that score the same data with the same model (a scoring run, then the quality
 * runs its ground truth starts) find the same drift: it is said once, not once per run.
 *
 * @example
 * driftEmail({ input: 's3://b/data/inference/2026-11-21/', modelVersion: 'v3', check: 'CheckInputDataQuality' }, 'drift-warning', at);
 */
export function driftEmail(
  checked: { readonly input: string; readonly modelVersion: string; readonly check: string },
  kind: string,
  at: string,
): EmailIdentity {
  return {
    subject: checked.input,
    key: `email#${kind}#${checked.check}#${checked.modelVersion}`,
    at,
  };
}

/** An e-mail and the identity that makes it go out once. */
export type IdentifiedEmail = readonly [Notification, EmailIdentity];

/**
 * The identity of each e-mail a step status decided, in the order decided (the templates in the
 * configuration's order, the drift warning last: a stable ordinal). A drift warning is the
 * data's, when the data and the model are known (see `driftEmail`); any other is the step's.
 */
export function stepEmails(
  notifications: readonly Notification[],
  step: { readonly executionArn: string; readonly name: string; readonly status: string },
  scored: { readonly input?: string; readonly modelVersion?: string },
  at: string,
): IdentifiedEmail[] {
  const { input, modelVersion } = scored;
  return notifications.map((notification, ordinal) => [
    notification,
    notification.kind === 'drift-warning' && input !== undefined && modelVersion !== undefined
      ? driftEmail({ input, modelVersion, check: step.name }, notification.kind, at)
      : stepEmail(step, notification.kind, ordinal, at),
  ]);
}

/** A skipped tick's e-mail: the schedule and its scheduled time. */
export function scheduleEmail(scheduleName: string, tick: string, kind: string): EmailIdentity {
  return { subject: scheduleSubject(scheduleName), key: `${tick}#email#${kind}`, at: tick };
}

/** A retrain's e-mail (started, held back): the trigger's subject and the kind. */
export function triggerEmail(triggerSubject: string, kind: string, at: string): EmailIdentity {
  return { subject: triggerSubject, key: `email#${kind}`, at };
}

/** A Model Monitor job's drift warning: the processing job. */
export function monitoringJobEmail(jobName: string, kind: string, at: string): EmailIdentity {
  return { subject: `processing-job#${jobName}`, key: `email#${kind}`, at };
}

/**
 * The text an e-mail's idempotency record is keyed by (Powertools hashes it).
 *
 * @example
 * idempotencyKeyOf(scheduleEmail('daily-scoring', '2026-11-21T06:00:00Z', 'schedule-skipped'));
 */
export function idempotencyKeyOf(identity: EmailIdentity): string {
  return `${identity.subject}\n${identity.key}`;
}

/** The record that an e-mail went out (SNS accepted it, now or on an earlier delivery). */
export function notificationSent(
  identity: EmailIdentity,
  notification: Notification,
  messageId: string,
): NotificationSent {
  return {
    kind: 'notification-sent',
    subject: identity.subject,
    key: identity.key,
    at: identity.at,
    summary: `E-mail "${notification.subject}" sent (${notification.kind})`,
    resources: [],
    facts: {
      notificationKind: notification.kind,
      category: notification.category,
      emailSubject: notification.subject,
      messageId,
    },
  };
}
