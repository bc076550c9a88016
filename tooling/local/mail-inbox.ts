import MailDev from 'maildev';

export interface MailInboxOptions {
  readonly smtpPort: number;
  readonly webPort: number;
  /** maildev keeps every received message here as `<id>.eml`, and shows them again after a restart. */
  readonly directory: string;
}

/**
 * A local inbox (maildev) on 127.0.0.1: an SMTP server that keeps every message and a web page
 * to read them, plus its REST API (`GET /email`) that the demo and the tests read.
 *
 * @example
 * const inbox = await startMailInbox({ smtpPort: 1025, webPort: 1080, directory: '.local/maildev' });
 * console.log(`Open ${inbox.url}`);
 */
export async function startMailInbox(options: MailInboxOptions) {
  const signalListeners = new Map(
    (['SIGINT', 'SIGTERM'] as const).map((signal) => [signal, process.listeners(signal)]),
  );
  const maildev = new MailDev({
    smtp: options.smtpPort,
    web: options.webPort,
    ip: '127.0.0.1',
    mailDirectory: options.directory,
    silent: true,
  });
  // maildev exits the whole process on SIGINT/SIGTERM; the local cloud shuts down in order itself.
  for (const [signal, before] of signalListeners) {
    for (const listener of process.listeners(signal)) {
      if (!before.includes(listener)) process.off(signal, listener);
    }
  }
  maildev.loadMailsFromDirectory();
  await maildev.listen();
  return {
    url: `http://127.0.0.1:${options.webPort}`,
    close: () => new Promise<void>((resolve) => maildev.close(() => resolve())),
  };
}

/** A message as maildev's REST API lists it (`GET /email`). */
export interface InboxMessage {
  readonly id: string;
  /** `<SNS message id>@sns.local`, as the local SNS sends it, without the angle brackets. */
  readonly messageId: string;
  readonly subject: string;
  readonly text: string;
  readonly to: ReadonlyArray<{ readonly address: string }>;
  readonly date: string;
}

/**
 * The messages in the local inbox, oldest first.
 *
 * @example
 * const messages = await readInbox('http://127.0.0.1:1080');
 */
export async function readInbox(inboxUrl: string): Promise<InboxMessage[]> {
  const response = await fetch(`${inboxUrl}/email`);
  if (!response.ok) throw new Error(`${inboxUrl}/email answered ${response.status}`);
  return (await response.json()) as InboxMessage[];
}
