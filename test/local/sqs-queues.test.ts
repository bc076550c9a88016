import { type LocalQueue, type QueueEventSource } from '../../tooling/local/stack-wiring';
import { startQueues } from '../../tooling/local/sqs-queues';

const buffer: LocalQueue = {
  logicalId: 'Buffer',
  name: 'buffer',
  arn: 'arn:aws:sqs:eu-west-1:000000000000:buffer',
  visibilityTimeoutSeconds: 360,
  redrive: { deadLetterArn: 'arn:aws:sqs:eu-west-1:000000000000:dlq', maxReceiveCount: 2 },
};
const deadLetters: LocalQueue = {
  logicalId: 'Dlq',
  name: 'dlq',
  arn: 'arn:aws:sqs:eu-west-1:000000000000:dlq',
  visibilityTimeoutSeconds: 30,
};
const source: QueueEventSource = {
  queueArn: buffer.arn,
  functionName: 'consumer',
  batchSize: 10,
  batchingWindowSeconds: 60,
  reportBatchItemFailures: true,
};

interface SqsEvent {
  Records: Array<{
    messageId: string;
    body: string;
    eventSource: string;
    attributes: { ApproximateReceiveCount: string };
    messageAttributes: Record<string, { stringValue: string; dataType: string }>;
  }>;
}

describe('local SQS queues with an event source mapping', () => {
  const batches: SqsEvent[] = [];
  let queues: ReturnType<typeof startQueues>;
  afterEach(() => queues.close());

  function start(invoke: (event: SqsEvent) => unknown, maxVisibilityTimeoutSeconds = 0.05) {
    batches.length = 0;
    queues = startQueues({
      queues: [buffer, deadLetters],
      eventSources: [source],
      region: 'eu-west-1',
      invoke: async (_name, event) => {
        batches.push(event as SqsEvent);
        return invoke(event as SqsEvent);
      },
      log: () => undefined,
      maxBatchingWindowSeconds: 0.05,
      maxVisibilityTimeoutSeconds,
    });
  }

  const waitUntil = async (condition: () => boolean) => {
    for (let tries = 0; tries < 200 && !condition(); tries += 1)
      await new Promise((resolve) => setTimeout(resolve, 10));
  };

  it('gathers a burst in one batch, in the SQS event shape', async () => {
    start(() => ({ batchItemFailures: [] }));
    ['a', 'b', 'c'].forEach((body) => queues.send(buffer.arn, body));
    await waitUntil(() => batches.length > 0);
    expect(batches).toHaveLength(1);
    expect(batches[0]?.Records.map((record) => [record.body, record.eventSource])).toEqual([
      ['a', 'aws:sqs'],
      ['b', 'aws:sqs'],
      ['c', 'aws:sqs'],
    ]);
    expect(queues.depth(buffer.arn)).toBe(0);
  });

  it('receives again only the reported failures, then parks them in the dead-letter queue', async () => {
    start((event) => ({
      batchItemFailures: event.Records.filter((record) => record.body === 'bad').map((record) => ({
        itemIdentifier: record.messageId,
      })),
    }));
    queues.send(buffer.arn, 'good');
    queues.send(buffer.arn, 'bad');
    await waitUntil(() => queues.depth(deadLetters.arn) === 1);
    expect(
      batches.map((batch) =>
        batch.Records.map((record) => [record.body, record.attributes.ApproximateReceiveCount]),
      ),
    ).toEqual([
      [
        ['good', '1'],
        ['bad', '1'],
      ],
      [['bad', '2']],
    ]);
    expect(queues.depth(buffer.arn)).toBe(0);
    expect(queues.depth(deadLetters.arn)).toBe(1);
  });

  it('a message sent with a delay and attributes arrives after the others, attributes in its record', async () => {
    // Delays are shortened like visibility timeouts: to 0.3 s here, after the 0.05 s window.
    start(() => ({ batchItemFailures: [] }), 0.3);
    queues.send(buffer.arn, 'later', { delaySeconds: 60, attributes: { 'mlops.deferrals': '1' } });
    queues.send(buffer.arn, 'now');
    await waitUntil(() => batches.length === 2);
    expect(batches.map((batch) => batch.Records.map((record) => record.body))).toEqual([
      ['now'],
      ['later'],
    ]);
    expect(batches[1]?.Records[0]?.messageAttributes).toMatchObject({
      'mlops.deferrals': { stringValue: '1', dataType: 'String' },
    });
  });

  it('a failed invocation returns the whole batch', async () => {
    let calls = 0;
    start(() => {
      calls += 1;
      if (calls === 1) throw new Error('boom');
      return { batchItemFailures: [] };
    });
    queues.send(buffer.arn, 'x');
    await waitUntil(() => batches.length === 2);
    expect(batches.map((batch) => batch.Records[0]?.attributes.ApproximateReceiveCount)).toEqual([
      '1',
      '2',
    ]);
    await waitUntil(() => queues.depth(buffer.arn) === 0);
    expect(queues.depth(deadLetters.arn)).toBe(0);
  });
});
