import { type LocalQueue, type QueueEventSource } from '../../tooling/local/stack-wiring';
import { startQueues } from '../../tooling/local/sqs-queues';

const buffer: LocalQueue = {
  logicalId: 'Buffer',
  name: 'buffer',
  arn: 'arn:aws:sqs:eu-west-1:000000000000:buffer',
  visibilityTimeoutSeconds: 360,
  redrive: { deadLetterArn: 'arn:aws:sqs:eu-west-1:000000000000:dlq', maxReceiveCount: 2 },
  fifo: false,
  contentBasedDeduplication: false,
};
const deadLetters: LocalQueue = {
  logicalId: 'Dlq',
  name: 'dlq',
  arn: 'arn:aws:sqs:eu-west-1:000000000000:dlq',
  visibilityTimeoutSeconds: 30,
  fifo: false,
  contentBasedDeduplication: false,
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
  const logged: string[] = [];
  afterEach(() => queues.close());

  function start(invoke: (event: SqsEvent) => unknown, maxVisibilityTimeoutSeconds = 0.05) {
    batches.length = 0;
    logged.length = 0;
    queues = startQueues({
      queues: [buffer, deadLetters],
      eventSources: [source],
      region: 'eu-west-1',
      invoke: async (_name, event) => {
        batches.push(event as SqsEvent);
        return invoke(event as SqsEvent);
      },
      log: (source, message) => logged.push(`${source} ${message}`),
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

  it('stopped, keeps what it holds; restored, hands it to the function (a drop just before Ctrl-C)', async () => {
    start(() => ({ batchItemFailures: [] }));
    queues.send(buffer.arn, 'dropped just before Ctrl-C');
    await queues.close();
    const saved = JSON.parse(JSON.stringify(queues.saved())) as ReturnType<typeof queues.saved>;
    expect(batches).toEqual([]);
    expect(Object.keys(saved)).toEqual([buffer.arn]);

    start(() => ({ batchItemFailures: [] }));
    queues.restore({
      ...saved,
      'arn:aws:sqs:eu-west-1:000000000000:gone': saved[buffer.arn] ?? [],
    });
    await waitUntil(() => batches.length > 0);
    expect(batches[0]?.Records.map((record) => record.body)).toEqual([
      'dropped just before Ctrl-C',
    ]);
    expect(logged.filter((line) => line.includes('last session'))).toEqual([
      'sqs buffer: 1 message(s) kept from the last session',
      'sqs gone: 1 message(s) of the last session dropped (the stack has no such queue now)',
    ]);
  });

  it('stopping waits for the batch under way: its messages end deleted, not lost', async () => {
    let finish = () => undefined as void;
    start(() => new Promise((resolve) => (finish = () => resolve({ batchItemFailures: [] }))));
    queues.send(buffer.arn, 'in flight');
    await waitUntil(() => batches.length > 0);
    let stopped = false;
    const stopping = queues.close().then(() => (stopped = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    finish();
    await stopping;
    expect(queues.saved()).toEqual({});
  });
});

describe('local SQS FIFO queue: per-group order, one batch of a group at a time, deduplication', () => {
  const fifo: LocalQueue = {
    logicalId: 'Decisions',
    name: 'decisions.fifo',
    arn: 'arn:aws:sqs:eu-west-1:000000000000:decisions.fifo',
    visibilityTimeoutSeconds: 180,
    redrive: {
      deadLetterArn: 'arn:aws:sqs:eu-west-1:000000000000:decisions-dlq.fifo',
      maxReceiveCount: 2,
    },
    fifo: true,
    contentBasedDeduplication: true,
  };
  const fifoDeadLetters: LocalQueue = {
    logicalId: 'DecisionsDlq',
    name: 'decisions-dlq.fifo',
    arn: 'arn:aws:sqs:eu-west-1:000000000000:decisions-dlq.fifo',
    visibilityTimeoutSeconds: 30,
    fifo: true,
    contentBasedDeduplication: false,
  };
  const consumer: QueueEventSource = {
    queueArn: fifo.arn,
    functionName: 'decide',
    batchSize: 1,
    batchingWindowSeconds: 0,
    reportBatchItemFailures: true,
  };
  let queues: ReturnType<typeof startQueues>;
  afterEach(() => queues.close());

  /** Runs `decide` per message; records when each started and ended, to see overlaps. */
  function start(decide: (body: string) => Promise<void>) {
    const timeline: string[] = [];
    queues = startQueues({
      queues: [fifo, fifoDeadLetters],
      eventSources: [consumer],
      region: 'eu-west-1',
      invoke: async (_name, event) => {
        const [record] = (event as SqsEvent).Records;
        const body = record?.body ?? '';
        timeline.push(`start ${body}`);
        try {
          await decide(body);
        } finally {
          timeline.push(`end ${body}`);
        }
        return { batchItemFailures: [] };
      },
      log: () => undefined,
      maxBatchingWindowSeconds: 0.05,
      maxVisibilityTimeoutSeconds: 0.05,
    });
    return timeline;
  }
  const pause = () => new Promise<void>((resolve) => setTimeout(resolve, 20));

  it('takes a group in order, one message at a time, and resolves each send once consumed', async () => {
    const timeline = start(pause);
    const sent = ['a1', 'a2', 'a3'].map((body) =>
      queues.send(fifo.arn, body, { messageGroupId: 'training' }),
    );
    await expect(Promise.all(sent)).resolves.toEqual([true, true, true]);
    expect(timeline).toEqual(['start a1', 'end a1', 'start a2', 'end a2', 'start a3', 'end a3']);
  });

  it('holds a group back while its failed message waits to come back, then dead-letters it in its group', async () => {
    const timeline = start(async (body) => {
      if (body === 'bad') throw new Error('throttled');
    });
    const bad = queues.send(fifo.arn, 'bad', { messageGroupId: 'training' });
    const after = queues.send(fifo.arn, 'after', { messageGroupId: 'training' });
    await expect(bad).resolves.toBe(false);
    await expect(after).resolves.toBe(true);
    expect(timeline.filter((entry) => entry.startsWith('start'))).toEqual([
      'start bad',
      'start bad',
      'start after',
    ]);
    expect(queues.depth(fifoDeadLetters.arn)).toBe(1);
  });

  it('takes the same body once within five minutes (content-based deduplication)', async () => {
    const timeline = start(pause);
    await queues.send(fifo.arn, 'same', { messageGroupId: 'training' });
    await expect(queues.send(fifo.arn, 'same', { messageGroupId: 'training' })).resolves.toBe(true);
    expect(timeline).toEqual(['start same', 'end same']);
  });

  it('refuses a message without a group, as SQS does', async () => {
    start(pause);
    await expect(queues.send(fifo.arn, 'x')).resolves.toBe(false);
    expect(queues.depth(fifo.arn)).toBe(0);
  });
});
