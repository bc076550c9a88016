import { sendMessages } from '../../functions/aws/queue-messages';
import { createSqsClient } from '../../functions/aws/sqs-client';
import type { QueueMessage } from '../../functions/core/upload-redelivery';
import { type LocalSqs, startLocalSqs } from '../../tooling/local/sqs-endpoint';

// Queue URLs keep AWS's form; AWS_ENDPOINT_URL_SQS sends the calls to the local SQS.
const BUFFER = 'https://sqs.eu-west-1.amazonaws.com/000000000000/mlops-dev-data-upload-buffer';

describe('sendMessages over HTTP with the real SDK', () => {
  const saved = process.env.AWS_ENDPOINT_URL_SQS;
  let sqs: LocalSqs;
  beforeEach(async () => {
    sqs = await startLocalSqs({ accept: (url) => url === BUFFER });
    process.env.AWS_ENDPOINT_URL_SQS = sqs.url;
  });
  afterEach(async () => {
    process.env.AWS_ENDPOINT_URL_SQS = saved;
    await sqs.close();
  });

  const client = () => createSqsClient({ maxAttempts: 2, retryMode: 'standard' });
  const message = (index: number, delaySeconds = 60): QueueMessage => ({
    id: `msg-${index}`,
    body: JSON.stringify({ id: `evt-${index}`, key: 'café + bar.csv' }),
    delaySeconds,
    attributes: { 'mlops.deferrals': '1', 'mlops.waitingSince': '2026-11-21T06:00:00.000Z' },
  });

  it('23 messages arrive (SQS takes ten a batch), bodies, delays and attributes unchanged', async () => {
    const messages = Array.from({ length: 23 }, (_, index) => message(index));
    const unsent = await sendMessages(client(), BUFFER, messages, new AbortController().signal);
    expect(unsent).toEqual(new Map());
    // Batches go out at once, so they may arrive in any order.
    const byBody = (a: { body: string }, b: { body: string }) => a.body.localeCompare(b.body);
    expect(sqs.received.map((entry) => entry.message).sort(byBody)).toEqual(
      messages
        .map(({ body, delaySeconds, attributes }) => ({ body, delaySeconds, attributes }))
        .sort(byBody),
    );
    expect(new Set(sqs.received.map((entry) => entry.queueUrl))).toEqual(new Set([BUFFER]));
  });

  it('an entry SQS refuses is reported by its message id; the others are sent', async () => {
    const unsent = await sendMessages(
      client(),
      BUFFER,
      [message(0), message(1, 901), message(2)],
      new AbortController().signal,
    );
    expect(unsent).toEqual(
      new Map([['msg-1', 'InvalidParameterValue: DelaySeconds must be between 0 and 900']]),
    );
    expect(sqs.received).toHaveLength(2);
  });

  it('a queue that does not exist: every message is reported, nothing is thrown', async () => {
    const unsent = await sendMessages(
      client(),
      `${BUFFER}-typo`,
      [message(0), message(1)],
      new AbortController().signal,
    );
    expect([...unsent.keys()]).toEqual(['msg-0', 'msg-1']);
    expect(unsent.get('msg-0')).toMatch(/^QueueDoesNotExist: /);
  });

  it('an aborted hand-back reports every message it had not sent', async () => {
    const controller = new AbortController();
    controller.abort();
    const unsent = await sendMessages(client(), BUFFER, [message(0)], controller.signal);
    expect(unsent.get('msg-0')).toMatch(/^AbortError: /);
    expect(sqs.received).toEqual([]);
  });
});
