import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Notification } from '../core/notification';

export interface Publishing {
  readonly publish: (notification: Notification) => Promise<string | undefined>;
  readonly logger: Logger;
  readonly metrics: Metrics;
}

/**
 * Publishes an e-mail, logs it and counts it. A failure is not caught: it fails the invocation.
 *
 * @example
 * await publishNotificationLogged(deps, notification);
 */
export async function publishNotificationLogged(
  deps: Publishing,
  notification: Notification,
): Promise<void> {
  const messageId = await deps.publish(notification);
  deps.logger.info('Notification published', {
    kind: notification.kind,
    subject: notification.subject,
    messageId,
  });
  deps.metrics.addMetric('NotificationsPublished', MetricUnit.Count, 1);
}
