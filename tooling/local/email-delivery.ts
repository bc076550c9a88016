import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import nodemailer from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { ActivityLog } from './activity-log';
import type { PublishedMessage } from './sns-endpoint';
import type { LocalSubscription } from './stack-wiring';

export interface EmailDeliveryOptions {
  readonly smtpPort: number;
  /** Every delivered e-mail is also kept here as an .eml file. */
  readonly directory: string;
  /** Where unsubscribe links in the footer point (the local SNS endpoint). */
  readonly snsUrl: string;
  readonly log: ActivityLog;
}

/** What SNS sends when a Publish has no subject. */
const DEFAULT_SUBJECT = 'AWS Notification Message';

/** SMTP allows lines of at most 998 octets without a transfer encoding (RFC 5322, 2.1.1). */
const MAX_LINE_OCTETS = 998;

/**
 * The message with its text as it reads (UTF-8, `Content-Transfer-Encoding: 8bit`) instead of
 * the quoted-printable nodemailer writes, so that an .eml file opens in any editor; unless a line
 * is too long for SMTP. The message is one text part: its headers hold the transfer encoding.
 */
function withReadableText(raw: Buffer, text: string): Buffer {
  const fits = text.split('\n').every((line) => Buffer.byteLength(line) <= MAX_LINE_OCTETS);
  if (!fits) return raw;
  const message = raw.toString('utf8');
  const headers = message
    .slice(0, message.indexOf('\r\n\r\n'))
    .replace(/^Content-Transfer-Encoding: .*$/m, 'Content-Transfer-Encoding: 8bit');
  return Buffer.from(`${headers}\r\n\r\n${text.replace(/\r?\n/g, '\r\n')}`, 'utf8');
}

/**
 * Delivers SNS messages to e-mail subscriptions as SNS does: a real e-mail over SMTP (to the local
 * inbox), from the topic's display name, the subject of the Publish, and for `email` the message
 * text with SNS's unsubscribe footer, for `email-json` the JSON notification. Each e-mail is also
 * written as an .eml file and announced in one console line.
 *
 * @example
 * const email = emailDelivery({ smtpPort: 1025, directory: '.local/mail', snsUrl, log });
 * await email.deliver(subscription, published);
 */
export function emailDelivery(options: EmailDeliveryOptions) {
  mkdirSync(options.directory, { recursive: true });
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: options.smtpPort,
    secure: false,
    ignoreTLS: true,
  });

  function body(subscription: LocalSubscription, message: PublishedMessage): string {
    const unsubscribe = `${options.snsUrl}/?Action=Unsubscribe&SubscriptionArn=${message.topic.arn}:local`;
    if (subscription.protocol === 'email-json') {
      return JSON.stringify({
        Type: 'Notification',
        MessageId: message.messageId,
        TopicArn: message.topic.arn,
        ...(message.subject === undefined ? {} : { Subject: message.subject }),
        Message: message.message,
        Timestamp: message.timestamp,
        SignatureVersion: '1',
        Signature: 'local',
        SigningCertURL: `${options.snsUrl}/local.pem`,
        UnsubscribeURL: unsubscribe,
      });
    }
    return `${message.emailText}\n\n--\nIf you wish to stop receiving notifications from this topic, please click or visit the link below to unsubscribe:\n${unsubscribe}\n\nPlease do not reply directly to this email. (Delivered by the local SNS of npm start.)\n`;
  }

  return {
    async deliver(subscription: LocalSubscription, message: PublishedMessage): Promise<void> {
      if (!subscription.protocol.startsWith('email')) {
        options.log(
          'sns',
          `${subscription.protocol} subscription ${subscription.endpoint} is not emulated locally`,
        );
        return;
      }
      const subject = message.subject ?? DEFAULT_SUBJECT;
      const text = body(subscription, message);
      const mail = {
        from: `"${message.topic.displayName || 'AWS Notifications'}" <no-reply@sns.amazonaws.com>`,
        to: subscription.endpoint,
        subject,
        text,
        messageId: `<${message.messageId}@sns.local>`,
        date: new Date(message.timestamp),
      };
      const raw = withReadableText(await new MailComposer(mail).compile().build(), text);
      const file = join(
        options.directory,
        `${message.timestamp.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${subscription.endpoint}-${message.messageId.slice(0, 8)}.eml`,
      );
      writeFileSync(file, raw);
      await transport.sendMail({
        envelope: { from: 'no-reply@sns.amazonaws.com', to: [subscription.endpoint] },
        raw,
      });
      options.log(
        'mail',
        `→ ${subscription.endpoint}  "${subject}"  (${relative(process.cwd(), file)})`,
      );
    },
    close: () => transport.close(),
  };
}

/**
 * The .eml files delivered since a time, oldest first, as paths from the working directory.
 *
 * @example
 * emailFilesSince('.local/mail', started); // ['.local/mail/20261121T170050Z-ops@mlops.local-1f2e3d4c.eml', ...]
 */
export function emailFilesSince(directory: string, since: Date): string[] {
  return readdirSync(directory)
    .filter((file) => file.endsWith('.eml'))
    .map((file) => join(directory, file))
    .filter((file) => statSync(file).mtime >= since)
    .sort()
    .map((file) => relative(process.cwd(), file));
}
