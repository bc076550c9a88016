import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { PublishOnce } from '../aws/emails-once';
import { type EmailIdentity, notificationSent } from '../core/ledger/email-identity';
import type { Notification } from '../core/notification';
import type { Observability } from '../observability/powertools';
import type { DecisionSink } from './decision-ledger';

export interface Publishing extends Observability {
  /** Publishes an e-mail once per identity, however often its trigger is delivered. */
  readonly publish: PublishOnce;
  readonly decisions: DecisionSink;
}

/**
 * Publishes an e-mail once per identity, records that it went out, logs it and counts it. A
 * failure is not caught: it fails the invocation, and the retry sends the e-mail.
 *
 * @example
 * await publishNotificationLogged(deps, notification, scheduleEmail(schedule.name, event.time, notification.kind));
 */
export async function publishNotificationLogged(
  deps: Publishing,
  notification: Notification,
  identity: EmailIdentity,
): Promise<void> {
  const { messageId, replayed } = await deps.publish(identity, notification);
  deps.decisions.add(notificationSent(identity, notification, messageId));
  const facts = { kind: notification.kind, subject: notification.subject, messageId };
  if (replayed) {
    deps.logger.info('Notification already sent for this trigger; not sent again', facts);
    deps.metrics.addMetric('NotificationsDeduplicated', MetricUnit.Count, 1);
    return;
  }
  deps.logger.info('Notification published', facts);
  deps.metrics.addMetric('NotificationsPublished', MetricUnit.Count, 1);
}
