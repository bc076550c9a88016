import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emailDelivery, emailFilesSince } from '../../tooling/local/email-delivery';
import { freeLoopbackPort } from '../../tooling/local/loopback-port';
import { readInbox, startMailInbox } from '../../tooling/local/mail-inbox';
import type { PublishedMessage } from '../../tooling/local/sns-endpoint';

const longUrl = `https://eu-west-1.console.aws.amazon.com/sagemaker/home#/pipelines/${'x'.repeat(120)}`;
const published = (messageId: string, emailText: string): PublishedMessage => ({
  messageId,
  topic: {
    name: 'mlops-local-notifications',
    arn: 'arn:aws:sns:eu-west-1:000000000000:mlops-local-notifications',
    displayName: 'MLOps local',
  },
  subject: '[local] Data drift: 2 violations',
  emailText,
  message: emailText,
  attributes: {},
  timestamp: new Date().toISOString(),
});
const subscription = {
  topicArn: 'arn:aws:sns:eu-west-1:000000000000:mlops-local-notifications',
  protocol: 'email',
  endpoint: 'reviewer@mlops.local',
  filterPolicyScope: 'MessageAttributes' as const,
};

describe('e-mail delivery of the local SNS: SMTP to the inbox, and an .eml file', () => {
  const directory = mkdtempSync(join(tmpdir(), 'email-delivery-'));
  let inbox: Awaited<ReturnType<typeof startMailInbox>>;
  let email: ReturnType<typeof emailDelivery>;

  beforeAll(async () => {
    const smtpPort = await freeLoopbackPort();
    inbox = await startMailInbox({
      smtpPort,
      webPort: await freeLoopbackPort(),
      directory: join(directory, 'maildev'),
    });
    email = emailDelivery({
      smtpPort,
      directory: join(directory, 'mail'),
      snsUrl: 'http://127.0.0.1:4575',
      log: () => undefined,
    });
  });
  /** maildev stores a message a moment after SMTP accepted it. */
  async function inboxHolding(count: number) {
    for (let tries = 0; tries < 100; tries += 1) {
      const messages = await readInbox(inbox.url);
      if (messages.length >= count) return messages;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`the inbox never held ${count} message(s)`);
  }

  afterAll(async () => {
    email.close();
    await inbox.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('keeps the .eml as it reads: UTF-8 text, long links whole, not quoted-printable', async () => {
    const since = new Date(Date.now() - 1000);
    const text = `Données de score: 2 violations (_c2, _c5)\nOpen the run: ${longUrl}`;
    await email.deliver(subscription, published('1f2e3d4c-0000-4000-8000-000000000001', text));
    const [file] = emailFilesSince(join(directory, 'mail'), since);
    expect(file).toMatch(/-reviewer@mlops\.local-1f2e3d4c\.eml$/);
    const eml = readFileSync(file ?? '', 'utf8');
    expect(eml).toContain('Content-Transfer-Encoding: 8bit');
    expect(eml).toContain(text.replace(/\n/g, '\r\n'));
    const [received] = await inboxHolding(1);
    expect(received?.text).toContain(text);
  });

  it('falls back to quoted-printable for a line SMTP could not carry as it is', async () => {
    const since = new Date(Date.now() - 1000);
    await email.deliver(
      subscription,
      published('2a3b4c5d-0000-4000-8000-000000000002', 'y'.repeat(1200)),
    );
    const [file] = emailFilesSince(join(directory, 'mail'), since).filter((name) =>
      name.includes('2a3b4c5d'),
    );
    expect(readFileSync(file ?? '', 'utf8')).toContain(
      'Content-Transfer-Encoding: quoted-printable',
    );
    expect((await inboxHolding(2))[1]?.text).toContain('y'.repeat(1200));
  });
});
