import { setTimeout as sleep } from 'node:timers/promises';
import { MoveTaskError, messageMoveTasks } from '../../tooling/local/message-move-tasks';
import type { QueuedMessage, SendOptions } from '../../tooling/local/sqs-queues';
import type { LocalQueue } from '../../tooling/local/stack-wiring';

const arn = (name: string) => `arn:aws:sqs:eu-west-1:000000000000:${name}`;
const queue = (name: string, deadLetter?: string): LocalQueue => ({
  logicalId: name,
  name,
  arn: arn(name),
  visibilityTimeoutSeconds: 30,
  fifo: false,
  contentBasedDeduplication: false,
  ...(deadLetter === undefined
    ? {}
    : { redrive: { deadLetterArn: arn(deadLetter), maxReceiveCount: 3 } }),
});

/** Queues as plain arrays: what a move task takes and where it sends. */
function fakeQueues(dead: Array<Partial<QueuedMessage> & { body: string }>) {
  const held = new Map<string, Array<Partial<QueuedMessage> & { body: string }>>([
    [arn('buffer'), []],
    [arn('other'), []],
    [arn('dlq'), dead],
  ]);
  const sent: Array<{ queueArn: string; body: string; options: SendOptions }> = [];
  return {
    held,
    sent,
    queues: {
      definitions: [queue('buffer', 'dlq'), queue('other'), queue('dlq')],
      depth: (queueArn: string) => held.get(queueArn)?.length ?? 0,
      takeOldest: (queueArn: string) => held.get(queueArn)?.shift() as QueuedMessage | undefined,
      send: (queueArn: string, body: string, options: SendOptions) => {
        sent.push({ queueArn, body, options });
        held.get(queueArn)?.push({ body });
      },
    },
  };
}

const quiet = () => undefined;

async function ended(list: () => Array<{ Status: string }>) {
  for (let i = 0; i < 100 && list()[0]?.Status === 'RUNNING'; i += 1) await sleep(20);
  return list()[0];
}

describe('local SQS message move tasks', () => {
  it('moves each message back to the queue that dead-lettered it, keeping its attributes', async () => {
    const { queues, sent } = fakeQueues([
      { messageId: 'm1', body: 'one', deadLetterSourceArn: arn('buffer'), attributes: { a: 'b' } },
      { messageId: 'm2', body: 'two', deadLetterSourceArn: arn('buffer') },
    ]);
    const tasks = messageMoveTasks(queues, quiet);
    const handle = tasks.start({ SourceArn: arn('dlq'), MaxNumberOfMessagesPerSecond: 100 });
    expect(tasks.list({ SourceArn: arn('dlq') })).toEqual([
      expect.objectContaining({
        TaskHandle: handle,
        Status: 'RUNNING',
        ApproximateNumberOfMessagesToMove: 2,
      }),
    ]);
    const task = await ended(() => tasks.list({ SourceArn: arn('dlq') }));
    expect(task).toMatchObject({ Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 2 });
    expect(task).not.toHaveProperty('TaskHandle');
    expect(sent.map((s) => [s.queueArn, s.body, s.options.attributes])).toEqual([
      [arn('buffer'), 'one', { a: 'b' }],
      [arn('buffer'), 'two', {}],
    ]);
  });

  it('moves to DestinationArn when given, whatever put the message there', async () => {
    const { queues, held } = fakeQueues([{ messageId: 'm1', body: 'sent directly' }]);
    const tasks = messageMoveTasks(queues, quiet);
    tasks.start({ SourceArn: arn('dlq'), DestinationArn: arn('other') });
    expect(await ended(() => tasks.list({ SourceArn: arn('dlq') }))).toMatchObject({
      Status: 'COMPLETED',
    });
    expect(held.get(arn('other'))).toEqual([{ body: 'sent directly' }]);
  });

  it('fails at a message no redrive put there, and leaves it', async () => {
    const { queues, held } = fakeQueues([{ messageId: 'm1', body: 'sent directly' }]);
    const tasks = messageMoveTasks(queues, quiet);
    tasks.start({ SourceArn: arn('dlq') });
    expect(await ended(() => tasks.list({ SourceArn: arn('dlq') }))).toMatchObject({
      Status: 'FAILED',
      FailureReason: expect.stringMatching(/no source queue to go back to/),
    });
    expect(held.get(arn('dlq'))).toEqual([{ body: 'sent directly' }]);
  });

  it.each([
    [
      { SourceArn: arn('buffer') },
      'InvalidParameterValue',
      /not the dead-letter queue of any queue/,
    ],
    [{ SourceArn: arn('nowhere') }, 'ResourceNotFoundException', /names no queue/],
    [
      { SourceArn: arn('dlq'), MaxNumberOfMessagesPerSecond: 501 },
      'InvalidParameterValue',
      /1 to 500/,
    ],
    [
      { SourceArn: arn('dlq'), MaxNumberOfMessagesPerSecond: 0 },
      'InvalidParameterValue',
      /1 to 500/,
    ],
  ])('refuses %p', (request, code, message) => {
    const tasks = messageMoveTasks(fakeQueues([]).queues, quiet);
    expect(() => tasks.start(request)).toThrow(
      expect.objectContaining({ code, message: expect.stringMatching(message) }),
    );
  });

  it('runs one task per source queue at a time', () => {
    const { queues } = fakeQueues([{ body: 'x', deadLetterSourceArn: arn('buffer') }]);
    const tasks = messageMoveTasks(queues, quiet);
    tasks.start({ SourceArn: arn('dlq'), MaxNumberOfMessagesPerSecond: 1 });
    expect(() => tasks.start({ SourceArn: arn('dlq') })).toThrow(MoveTaskError);
  });
});
