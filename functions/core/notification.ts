import { type EmailLayout, renderPlainTextEmail } from './email/plain-text-email';
import { toEmailSubject } from './email/subject';
import type { NotificationCategory } from './notification-category';

export type Severity = 'info' | 'warning' | 'critical';

/**
 * An e-mail ready to publish. Its attributes travel as SNS message attributes, so subscription
 * filter policies can route on them.
 */
export interface Notification {
  readonly category: NotificationCategory;
  readonly severity: Severity;
  /** What happened, machine-readable: `execution-failed`, `review-request`, `drift-warning`, ... */
  readonly kind: string;
  readonly pipeline?: string;
  readonly subject: string;
  readonly body: string;
}

// SNS counts message attributes against the same 256 KiB as the body; ours take well under 1 KiB.
const MESSAGE_ATTRIBUTES_RESERVE_BYTES = 1024;

export interface NotificationInput {
  /** Shown in every subject, so a dev e-mail never reads like a prod one. */
  readonly stage: string;
  readonly category: NotificationCategory;
  readonly severity: Severity;
  readonly kind: string;
  readonly pipeline?: string;
  readonly subject: string;
  readonly layout: EmailLayout;
}

/**
 * Renders a notification: the subject made safe for SNS, the body laid out for e-mail.
 *
 * @example
 * notification({ stage: 'prod', category: 'drift', severity: 'warning', kind: 'drift-warning', subject, layout });
 */
export function notification(input: NotificationInput): Notification {
  return {
    category: input.category,
    severity: input.severity,
    kind: input.kind,
    ...(input.pipeline === undefined ? {} : { pipeline: input.pipeline }),
    subject: toEmailSubject(`[${input.stage}] ${input.subject}`),
    body: renderPlainTextEmail(input.layout, MESSAGE_ATTRIBUTES_RESERVE_BYTES),
  };
}
