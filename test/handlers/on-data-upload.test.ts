import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { DataUploadConfig } from '../../functions/config/data-upload-config';
import type { PipelineStartRequest } from '../../functions/core/pipeline-start-request';
import { InvalidEventError, PipelineStartError, StartDeferredError } from '../../functions/errors';
import {
  type SendToQueue,
  createOnDataUploadHandler,
} from '../../functions/handlers/on-data-upload';
import { lambdaContext } from '../support/lambda-context';
import {
  BUCKET,
  eventBridgeObjectCreated,
  acceptingQueues,
  sampleEvent,
  sqsBatch,
  testConfig,
} from '../support/upload-fixtures';
import { keptDecisions } from '../support/ledger-fixtures';

const NOW = new Date('2026-11-21T06:00:00.000Z');

interface SetUpOptions {
  readonly startPipeline?: (request: PipelineStartRequest, signal: AbortSignal) => Promise<string>;
  readonly config?: Partial<DataUploadConfig>;
  /** What `context.getRemainingTimeInMillis()` answers; a full minute unless said otherwise. */
  readonly remainingMs?: () => number;
  readonly sendToBuffer?: SendToQueue;
}

function setUp(options: SetUpOptions = {}) {
  const logger = new Logger();
  const metrics = new Metrics();
  const start = jest.fn(options.startPipeline ?? started);
  const addMetric = jest.spyOn(metrics, 'addMetric');
  const info = jest.spyOn(logger, 'info');
  const queues = acceptingQueues();
  const { sent } = queues;
  const handle = createOnDataUploadHandler({
    config: { ...testConfig, ...options.config },
    startPipeline: start,
    decisions: keptDecisions(),
    sendToBuffer: options.sendToBuffer ?? queues.sendToBuffer,
    sendToDeadLetterQueue: queues.sendToDeadLetterQueue,
    now: () => NOW,
    logger,
    metrics,
  });
  const context = lambdaContext(options.remainingMs ?? (() => 60_000));
  return { handle: (event: unknown) => handle(event, context), start, sent, addMetric, info };
}

/** Starts run one at a time, each taking `msPerStart` of the invocation's fake minute. */
function setUpOneAtATime(msPerStart: number) {
  let remaining = 60_000;
  return setUp({
    config: { maxConcurrentStarts: 1 },
    remainingMs: () => remaining,
    startPipeline: async (request) => {
      remaining -= msPerStart;
      return started(request);
    },
  });
}

async function started(request: PipelineStartRequest): Promise<string> {
  return `arn:aws:sagemaker:eu-west-1:123456789012:pipeline/${request.pipelineName}/execution/${request.clientRequestToken.slice(-12)}`;
}

/** What startPipelineExecution throws when the SDK gives up with this error. */
function sdkFailure(name: string, message = 'from the service'): PipelineStartError {
  return new PipelineStartError(`StartPipelineExecution failed: ${name}: ${message}`, {
    cause: Object.assign(new Error(message), { name }),
  });
}

const partFile = (index: number) =>
  eventBridgeObjectCreated(`data/training/2026-11-01/part-${String(index).padStart(5, '0')}.csv`, {
    id: `evt-${index}`,
    sequencer: `00${index.toString(16).padStart(16, '0')}`,
    reason: 'CompleteMultipartUpload',
  });

const inferenceFile = (index: number) =>
  eventBridgeObjectCreated(`data/inference/file-${index}.csv`, {
    id: `evt-${index}`,
    sequencer: `00${index.toString(16).padStart(16, '0')}`,
  });

const inputOf = (request: PipelineStartRequest) => request.parameters[0]?.value ?? '';

/** Marks a record as received `count` times, with the attributes a requeued copy carries. */
function redelivered(
  batch: ReturnType<typeof sqsBatch>,
  index: number,
  count: number,
  messageAttributes: Record<string, string> = {},
) {
  const record = batch.Records[index] as {
    attributes: Record<string, string>;
    messageAttributes: Record<string, unknown>;
  };
  record.attributes.ApproximateReceiveCount = String(count);
  record.messageAttributes = Object.fromEntries(
    Object.entries(messageAttributes).map(([name, stringValue]) => [
      name,
      { stringValue, stringListValues: [], binaryListValues: [], dataType: 'String' },
    ]),
  );
  return batch;
}

describe('onDataUpload: the shipped ground-truth route', () => {
  it("the ground-truth sample starts the quality run of its day's input", async () => {
    const { handle, start } = setUp();
    // A direct invocation: no SQS record, so no hand-back either.
    await expect(
      handle(sampleEvent('ground-truth-upload.eventbridge.json')),
    ).resolves.toMatchObject({
      started: [{ route: 'ground-truth' }],
    });
    expect(start.mock.calls[0]?.[0].parameters).toEqual([
      { name: 'GroundTruthUrl', value: `s3://${BUCKET}/data/ground-truth/2026-11-21/labels.csv` },
      { name: 'InputDataUrl', value: `s3://${BUCKET}/data/inference/2026-11-21/` },
      { name: 'ModelPackageGroupName', value: 'mlops-dev-models' },
    ]);
  });
});

describe('onDataUpload shell: SQS batches (EventBridge -> SQS buffer -> Lambda)', () => {
  it('500 part files of one folder in one batch: one StartPipelineExecution, no failures', async () => {
    const { handle, start, addMetric } = setUp();
    const response = await handle(
      sqsBatch(Array.from({ length: 500 }, (_, index) => partFile(index))),
    );
    expect(response).toEqual({ batchItemFailures: [] });
    expect(start).toHaveBeenCalledTimes(1);
    expect(start.mock.calls[0]?.[0].parameters[0]).toEqual({
      name: 'InputDataUrl',
      value: `s3://${BUCKET}/data/training/2026-11-01/`,
    });
    expect(addMetric).toHaveBeenCalledWith('PipelineRunsStarted', 'Count', 1);
  });

  it('the sample batch (a duplicate delivery and an encoded key) starts two runs with decoded URIs', async () => {
    const { handle, start } = setUp();
    await expect(handle(sampleEvent('inference-uploads.sqs.json'))).resolves.toEqual({
      batchItemFailures: [],
    });
    expect(start.mock.calls.map(([request]) => inputOf(request))).toEqual([
      `s3://${BUCKET}/data/inference/incoming/2026-11-21/store 42 (eu).csv`,
      `s3://${BUCKET}/data/inference/incoming/2026-11-21/café + bar.csv`,
    ]);
  });

  it('a malformed message goes to the DLQ at once with its reason; the rest starts its run', async () => {
    const { handle, start, addMetric, sent } = setUp();
    const response = await handle(
      sqsBatch(['not json', eventBridgeObjectCreated('data/inference/a.csv')]),
    );
    expect(response).toEqual({ batchItemFailures: [] });
    expect(sent.deadLetterQueue).toEqual([
      {
        id: 'msg-0',
        body: 'not json',
        delaySeconds: 0,
        attributes: { 'mlops.reason': 'Message msg-0: body is not JSON' },
      },
    ]);
    expect(start).toHaveBeenCalledTimes(1);
    expect(addMetric).toHaveBeenCalledWith('EventsRejected', 'Count', 1);
    expect(addMetric).toHaveBeenCalledWith('NotificationsDeadLettered', 'Count', 1);
  });

  it('a start that failed transiently fails exactly the messages that asked for it, for redelivery', async () => {
    const { handle, sent, addMetric } = setUp({
      startPipeline: async (request) => {
        if (inputOf(request).endsWith('b.csv')) throw sdkFailure('ThrottlingException');
        return started(request);
      },
    });
    const response = await handle(
      sqsBatch([
        eventBridgeObjectCreated('data/inference/a.csv', { sequencer: '01' }),
        eventBridgeObjectCreated('data/inference/b.csv', { sequencer: '02' }),
        eventBridgeObjectCreated('data/inference/b.csv', { sequencer: '02' }),
      ]),
    );
    expect(response).toEqual({
      batchItemFailures: [{ itemIdentifier: 'msg-1' }, { itemIdentifier: 'msg-2' }],
    });
    expect(sent).toEqual({ buffer: [], deadLetterQueue: [] });
    expect(addMetric).toHaveBeenCalledWith('PipelineStartsFailed', 'Count', 1);
  });

  it('a start that can never succeed sends its messages to the DLQ at once, with the reason', async () => {
    const { handle, sent, info } = setUp({
      startPipeline: async (request) => {
        if (inputOf(request).endsWith('b.csv'))
          throw sdkFailure(
            'ResourceNotFound',
            "Pipeline 'mlops-dev-batch-inference' does not exist.",
          );
        return started(request);
      },
    });
    const response = await handle(
      sqsBatch([
        eventBridgeObjectCreated('data/inference/a.csv', { sequencer: '01' }),
        eventBridgeObjectCreated('data/inference/b.csv', { sequencer: '02' }),
      ]),
    );
    expect(response).toEqual({ batchItemFailures: [] });
    expect(sent.deadLetterQueue.map((message) => [message.id, message.attributes])).toEqual([
      [
        'msg-1',
        {
          'mlops.reason':
            "StartPipelineExecution failed: ResourceNotFound: Pipeline 'mlops-dev-batch-inference' does not exist.",
        },
      ],
    ]);
    expect(sent.buffer).toEqual([]);
    expect(info).toHaveBeenCalledWith('Batch settled', {
      notifications: { acknowledged: 1, redelivered: 0, requeued: 0, deadLettered: 1 },
    });
  });

  it('a quota refusal is back-pressure: the message waits in the buffer, it is not a failure', async () => {
    const { handle, start, sent } = setUp({
      startPipeline: async () => {
        throw sdkFailure('ResourceLimitExceeded', 'The account-level service limit was exceeded.');
      },
    });
    const batch = sqsBatch([eventBridgeObjectCreated('data/inference/a.csv')]);
    const response = await handle(batch);
    expect(response).toEqual({ batchItemFailures: [] });
    expect(sent.buffer).toEqual([
      {
        id: 'msg-0',
        body: batch.Records[0]?.body,
        delaySeconds: 60,
        attributes: { 'mlops.deferrals': '1', 'mlops.waitingSince': NOW.toISOString() },
      },
    ]);
    expect(sent.deadLetterQueue).toEqual([]);

    // The copy comes back with its attributes: the next wait is longer, from the same start.
    await handle(
      redelivered(sqsBatch([eventBridgeObjectCreated('data/inference/a.csv')]), 0, 1, {
        'mlops.deferrals': '1',
        'mlops.waitingSince': '2026-11-21T05:59:00.000Z',
      }),
    );
    expect(sent.buffer[1]).toMatchObject({
      delaySeconds: 120,
      attributes: { 'mlops.deferrals': '2', 'mlops.waitingSince': '2026-11-21T05:59:00.000Z' },
    });
    expect(start).toHaveBeenCalledTimes(2);
  });

  it('a quota refused for longer than maxQuotaWaitHours: to the DLQ with the reason', async () => {
    const { handle, sent } = setUp({
      config: { maxQuotaWaitHours: 2 },
      startPipeline: async () => {
        throw sdkFailure('ResourceLimitExceeded', 'limit exceeded');
      },
    });
    await handle(
      redelivered(sqsBatch([eventBridgeObjectCreated('data/inference/a.csv')]), 0, 1, {
        'mlops.deferrals': '9',
        'mlops.waitingSince': '2026-11-21T04:00:00.000Z',
      }),
    );
    expect(sent.buffer).toEqual([]);
    expect(sent.deadLetterQueue[0]?.attributes['mlops.reason']).toBe(
      'Still refused for a quota after waiting since 2026-11-21T04:00:00.000Z (at most 2 h): StartPipelineExecution failed: ResourceLimitExceeded: limit exceeded',
    );
  });

  it('a copy SQS does not take leaves its original to SQS: reported as a failure', async () => {
    const attempted: string[] = [];
    const { handle } = setUp({
      startPipeline: async (request) => {
        if (inputOf(request).endsWith('b.csv')) throw sdkFailure('ResourceLimitExceeded');
        return started(request);
      },
      sendToBuffer: async (messages) => {
        attempted.push(...messages.map((message) => message.id));
        return new Map(messages.map((message) => [message.id, 'TimeoutError: no answer']));
      },
    });
    const response = await handle(
      sqsBatch([
        eventBridgeObjectCreated('data/inference/a.csv', { sequencer: '01' }),
        eventBridgeObjectCreated('data/inference/b.csv', { sequencer: '02' }),
      ]),
    );
    expect(attempted).toEqual(['msg-1']);
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'msg-1' }] });
  });

  it('when every message fails the whole batch fails (Lambda retries it as a whole)', async () => {
    const { handle } = setUp({
      startPipeline: async () => {
        throw sdkFailure('InternalFailure');
      },
    });
    await expect(
      handle(sqsBatch([eventBridgeObjectCreated('data/inference/a.csv')])),
    ).rejects.toThrow('All records failed processing');
  });

  it('ignored objects are logged with their reason and counted, and their messages succeed', async () => {
    const { handle, start, info } = setUp();
    const response = await handle(
      sqsBatch([
        eventBridgeObjectCreated('data/training/2026-11-01/'),
        eventBridgeObjectCreated('somewhere/else.csv'),
        sampleEvent('s3-test-event.json'),
      ]),
    );
    expect(response).toEqual({ batchItemFailures: [] });
    expect(start).not.toHaveBeenCalled();
    expect(
      info.mock.calls
        .filter(([message]) => message === 'Object ignored')
        .map(([, extra]) => (extra as { reason: string }).reason),
    ).toEqual(['test-event', 'folder-marker', 'no-route']);
  });

  it('a body that is a classic Records[] notification (S3 -> SQS) is accepted too', async () => {
    const { handle, start } = setUp();
    await handle(sqsBatch([sampleEvent('inference-upload.s3-notification.json')]));
    expect(start.mock.calls[0]?.[0].parameters[0]?.value).toBe(
      `s3://${BUCKET}/data/inference/incoming/2026-11-21/region=eu/scores input.csv`,
    );
  });

  it('a batch whose envelope is broken is rejected whole, starting nothing', async () => {
    const { handle, start } = setUp();
    await expect(handle({ Records: [{ eventSource: 'aws:sqs', body: '{}' }] })).rejects.toThrow(
      'Invalid SQS event: Records[0].messageId',
    );
    expect(start).not.toHaveBeenCalled();
  });
});

describe('onDataUpload shell: the invocation ends before Lambda’s timeout', () => {
  // With the test configuration (5 s reserve, 2 s + 5 s attempt) starts are launched while more
  // than 12 s remain.
  it('stops launching when one attempt no longer fits; exactly the unstarted messages go back', async () => {
    const { handle, start, sent } = setUpOneAtATime(10_000);
    const batch = sqsBatch(Array.from({ length: 8 }, (_, index) => inferenceFile(index)));
    const response = await handle(batch);
    expect(start).toHaveBeenCalledTimes(5);
    // Fresh copies, at once: the deadline is not a failure and must not use up receives.
    expect(sent.buffer).toEqual(
      [5, 6, 7].map((index) => ({
        id: `msg-${index}`,
        body: batch.Records[index]?.body,
        delaySeconds: 0,
        attributes: { 'mlops.deferrals': '0' },
      })),
    );
    expect(response).toEqual({ batchItemFailures: [] });
  });

  it('a hung start is aborted when the reserve begins: its message goes back, the started one does not', async () => {
    const signals: AbortSignal[] = [];
    const { handle, sent } = setUp({
      // Launch while more than 2.6 s remain, abort at 2 s: with 2.7 s left, 0.7 s from now (a
      // clock may well answer in fractions of a millisecond).
      config: {
        finishReserveMs: 2_000,
        sageMaker: { ...testConfig.sageMaker, connectionTimeoutMs: 100, requestTimeoutMs: 500 },
      },
      remainingMs: () => 2_700.25,
      startPipeline: (request, signal) => {
        if (inputOf(request).endsWith('a.csv')) return started(request);
        signals.push(signal);
        return new Promise((_resolve, reject) =>
          signal.addEventListener('abort', () =>
            reject(sdkFailure('AbortError', 'Request aborted')),
          ),
        );
      },
    });
    const response = await handle(
      sqsBatch([
        eventBridgeObjectCreated('data/inference/a.csv', { sequencer: '01' }),
        eventBridgeObjectCreated('data/inference/b.csv', { sequencer: '02' }),
      ]),
    );
    expect(signals.map((signal) => signal.aborted)).toEqual([true]);
    expect(sent.buffer.map((message) => message.id)).toEqual(['msg-1']);
    expect(response).toEqual({ batchItemFailures: [] });
  });

  it('messages that failed before start first, so the deadline does not put off those closest to the DLQ', async () => {
    const { handle, start, sent } = setUpOneAtATime(50_000);
    const batch = sqsBatch([inferenceFile(0), inferenceFile(1), inferenceFile(2)]);
    redelivered(batch, 1, 3);
    redelivered(batch, 2, 2);
    const response = await handle(batch);
    expect(start.mock.calls.map(([request]) => inputOf(request))).toEqual([
      `s3://${BUCKET}/data/inference/file-1.csv`,
    ]);
    expect(sent.buffer.map((message) => message.id)).toEqual(['msg-0', 'msg-2']);
    expect(response).toEqual({ batchItemFailures: [] });
  });

  it('when a copy cannot be sent, its unstarted original comes back through SQS instead', async () => {
    const { handle } = setUp({
      remainingMs: () => 10_000,
      sendToBuffer: async (messages) =>
        new Map(messages.slice(1).map((message) => [message.id, 'TimeoutError: no answer'])),
    });
    const response = await handle(sqsBatch([inferenceFile(0), inferenceFile(1)]));
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'msg-1' }] });
  });
});

describe('onDataUpload shell: direct invocations', () => {
  it('an EventBridge event starts its run and returns a summary', async () => {
    const { handle, start } = setUp();
    const summary = await handle(sampleEvent('training-folder-upload.eventbridge.json'));
    expect(start).toHaveBeenCalledTimes(1);
    expect(summary).toEqual({
      started: [
        {
          route: 'training-data',
          input: `s3://${BUCKET}/data/training/2026-11-01/`,
          executionArn: expect.stringContaining(':pipeline/mlops-dev-training/execution/'),
        },
      ],
      ignored: 0,
    });
  });

  it('a classic Records[] notification with several objects starts a run per object', async () => {
    const { handle, start } = setUp();
    const notification = sampleEvent('inference-upload.s3-notification.json') as {
      Records: unknown[];
    };
    const second = JSON.parse(JSON.stringify(notification.Records[0])) as {
      s3: { object: { key: string; sequencer: string } };
    };
    second.s3.object.key = 'data/inference/other.csv';
    second.s3.object.sequencer = '00655C3F6512A0B1FF';
    await handle({ Records: [...notification.Records, second] });
    expect(start).toHaveBeenCalledTimes(2);
  });

  it('a failed start fails the invocation (so Lambda retries it, then its DLQ keeps it)', async () => {
    const { handle } = setUp({
      startPipeline: async () => {
        throw sdkFailure('AccessDeniedException');
      },
    });
    await expect(handle(sampleEvent('training-folder-upload.eventbridge.json'))).rejects.toThrow(
      'AccessDeniedException',
    );
  });

  it('no time left to start: the invocation fails, to be retried', async () => {
    const { handle, start } = setUp({ remainingMs: () => 3_000 });
    await expect(handle(sampleEvent('training-folder-upload.eventbridge.json'))).rejects.toThrow(
      StartDeferredError,
    );
    expect(start).not.toHaveBeenCalled();
  });

  it('an invalid event is rejected naming the field and starts nothing', async () => {
    const { handle, start, addMetric } = setUp();
    const event = sampleEvent('training-folder-upload.eventbridge.json') as {
      detail: { bucket: unknown };
    };
    event.detail.bucket = {};
    const attempt = handle(event);
    await expect(attempt).rejects.toThrow(InvalidEventError);
    await expect(attempt).rejects.toThrow('detail.bucket.name');
    expect(start).not.toHaveBeenCalled();
    expect(addMetric).toHaveBeenCalledWith('EventsRejected', 'Count', 1);
  });
});
