/**
 * What an e-mail is about. Every notification carries its category as the SNS message attribute
 * `category`, and each recipient's subscription filters on it, so people receive only what they
 * chose (for example approvals and failures only).
 */
export const NOTIFICATION_CATEGORIES = [
  'model-approval',
  'pipeline-failure',
  'pipeline-status',
  'drift',
  'retraining',
  'schedule',
] as const;

export type NotificationCategory = (typeof NOTIFICATION_CATEGORIES)[number];

export const CATEGORY_MESSAGE_ATTRIBUTE = 'category';
