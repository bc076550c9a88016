import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Notification } from '../core/notification';
import { CATEGORY_MESSAGE_ATTRIBUTE } from '../core/notification-category';

/**
 * Publishes an e-mail to the notifications topic, its category, severity, kind and pipeline as
 * message attributes for subscription filter policies. A failure is thrown: the invocation fails,
 * Lambda retries it, and then the event lands in the function's dead-letter queue.
 *
 * @example
 * const messageId = await publishNotification(sns, topicArn, notification);
 */
export async function publishNotification(
  client: SNSClient,
  topicArn: string,
  notification: Notification,
): Promise<string | undefined> {
  const attributes: Record<string, string | undefined> = {
    [CATEGORY_MESSAGE_ATTRIBUTE]: notification.category,
    severity: notification.severity,
    kind: notification.kind,
    pipeline: notification.pipeline,
  };
  const output = await client.send(
    new PublishCommand({
      TopicArn: topicArn,
      Subject: notification.subject,
      Message: notification.body,
      MessageAttributes: Object.fromEntries(
        Object.entries(attributes)
          .filter((entry): entry is [string, string] => entry[1] !== undefined)
          .map(([name, value]) => [name, { DataType: 'String', StringValue: value }]),
      ),
    }),
  );
  return output.MessageId;
}
