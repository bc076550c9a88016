import * as z from 'zod/mini';
import '../schemas/zod-english-messages';
import { NOTIFICATION_CATEGORIES } from '../core/notification-category';

const recipientSchema = z.strictObject({
  /** An empty address leaves the recipient out, so a stage can run without one. */
  email: z.union([z.literal(''), z.email()]),
  /** The categories this recipient receives, or `all`. */
  categories: z.union([
    z.literal('all'),
    z.array(z.enum(NOTIFICATION_CATEGORIES)).check(z.minLength(1)),
  ]),
  /** Also receive the CloudWatch alarms (function errors, dead letters). */
  ops: z._default(z.boolean(), false),
});

export type Recipient = z.infer<typeof recipientSchema>;

export const notificationsConfigSchema = z.strictObject({
  recipients: z._default(z.array(recipientSchema), []),
});

export type NotificationsConfig = z.infer<typeof notificationsConfigSchema>;
