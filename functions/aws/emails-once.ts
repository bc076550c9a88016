import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type EmailIdentity, idempotencyKeyOf } from '../core/ledger/email-identity';
import { LEDGER_EXPIRY_ATTRIBUTE, LEDGER_KEY } from '../core/ledger/ledger-item';
import type { Notification } from '../core/notification';

/**
 * The ledger partition that holds the e-mails' idempotency records; IAM lets the functions touch
 * items of this partition only, never a decision record, with the idempotency actions.
 */
export const EMAIL_IDEMPOTENCY_PARTITION = 'email-idempotency';

/** An e-mail SNS accepted: now, or (`replayed`) on an earlier delivery of its trigger. */
export interface SentEmail {
  readonly messageId: string;
  readonly replayed: boolean;
}

export type PublishOnce = (
  identity: EmailIdentity,
  notification: Notification,
) => Promise<SentEmail>;

/**
 * Exactly-once e-mails with Powertools idempotency on the ledger table: before publishing, an
 * in-progress record is written under the e-mail's identity (conditional put); after SNS accepted
 * the message it is completed with the message id. Another delivery of the same trigger finds the
 * completed record and publishes nothing. A failed publish deletes the record, so the retry sends
 * it; a crash mid-publish leaves an in-progress record that lapses with the invocation's remaining
 * time (the function's timeout), after which a retry sends it.
 *
 * @example
 * const emails = emailsOnce({ client, tableName, expiresAfterSeconds: 90 * 86_400 });
 * const publishOnce = emails.wrap((notification) => publishNotification(sns, topicArn, notification));
 * handler.before((request) => emails.registerLambdaContext(request.context));
 */
export function emailsOnce(options: {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly expiresAfterSeconds: number;
}) {
  const persistenceStore = new DynamoDBPersistenceLayer({
    tableName: options.tableName,
    awsSdkV3Client: options.client,
    keyAttr: LEDGER_KEY.partition,
    sortKeyAttr: LEDGER_KEY.sort,
    staticPkValue: EMAIL_IDEMPOTENCY_PARTITION,
    expiryAttr: LEDGER_EXPIRY_ATTRIBUTE,
  });
  const config = new IdempotencyConfig({
    expiresAfterSeconds: options.expiresAfterSeconds,
    // Only a stored result passes through the hook: that is how a replay is told from a send.
    responseHook: (response) => ({ ...(response as object), replayed: true }),
  });
  return {
    /** The invocation's remaining time bounds how long an in-progress record blocks a retry. */
    registerLambdaContext: (context: { getRemainingTimeInMillis(): number }) =>
      config.registerLambdaContext(
        context as Parameters<IdempotencyConfig['registerLambdaContext']>[0],
      ),
    wrap(publish: (notification: Notification) => Promise<string | undefined>): PublishOnce {
      const once = makeIdempotent(
        async (_key: string, notification: Notification): Promise<SentEmail> => ({
          messageId: (await publish(notification)) ?? '',
          replayed: false,
        }),
        { persistenceStore, config, keyPrefix: 'email' },
      );
      return (identity, notification) => once(idempotencyKeyOf(identity), notification);
    },
  };
}
