// A burst of uploads through the packaged onDataUpload while SageMaker throttles, fails and stalls
// at random (seeded), with what AWS does around the function simulated: SQS receives, visibility
// timeouts, the redrive to the DLQ after maxReceiveCount, the batching window, Lambda's timeout.
// Time spent in the function is real; the waits between receives are simulated, not slept.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DataUploadConfig } from '../../functions/config/data-upload-config';
import {
  INTERNAL_FAILURE_FAULT,
  type LocalSageMaker,
  THROTTLING_FAULT,
  startLocalSageMaker,
} from '../../tooling/local/sagemaker-endpoint';
import { type SentMessage, startLocalSqs } from '../../tooling/local/sqs-endpoint';
import { type ReceivedMessage, sqsRecord } from '../../tooling/local/sqs-queues';

export interface BurstScenario {
  readonly uploads: number;
  readonly throttledShare: number;
  readonly serverErrorShare: number;
  /** Calls whose run starts but whose reply comes only after `stallMs` (a hung connection). */
  readonly stalledShare: number;
  readonly stallMs: number;
  readonly seed: number;
  /** SageMaker's own rate limit on starts, if the scenario has one. */
  readonly rateLimit?: { readonly perSecond: number; readonly burst: number };
}

/** The buffer and the function as the packaged template configures them. */
export interface BufferSettings {
  readonly bufferArn: string;
  readonly bufferUrl: string;
  readonly deadLetterQueueUrl: string;
  readonly visibilityTimeoutSeconds: number;
  readonly maxReceiveCount: number;
  readonly batchSize: number;
  readonly batchingWindowSeconds: number;
  readonly functionTimeoutSeconds: number;
}

export interface BurstResult {
  readonly uploads: number;
  /** Executions SageMaker holds, and how many distinct uploads they are for. */
  readonly runsStarted: number;
  readonly uploadsStarted: number;
  readonly duplicateRuns: number;
  readonly invocations: number;
  readonly invocationTimeouts: number;
  readonly deadLetters: number;
  /** Messages reported in batchItemFailures, over all invocations. */
  readonly redelivered: number;
  /** Copies the function sent back to the buffer (quota refusals, a deadline on the last receive). */
  readonly requeued: number;
  readonly startRequests: number;
  readonly simulatedSeconds: number;
  readonly wallSeconds: number;
  readonly perInvocation: ReadonlyArray<{ records: number; seconds: number; failed: number }>;
}

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

interface QueuedMessage extends ReceivedMessage {
  receiveCount: number;
  visibleAtMs: number;
}

/**
 * Runs the burst until every upload's message is gone from the buffer (started, or parked in the
 * DLQ). `loadHandler` gets the local endpoints and returns the function's handler, loaded with
 * AWS_ENDPOINT_URL_SAGEMAKER and AWS_ENDPOINT_URL_SQS pointing at them.
 *
 * @example
 * const result = await runThrottledBurst(config, buffer, scenario, (endpoints) => load(bundle, endpoints));
 */
export async function runThrottledBurst(
  config: DataUploadConfig,
  buffer: BufferSettings,
  scenario: BurstScenario,
  loadHandler: (endpoints: { sageMaker: string; sqs: string }) => Handler,
): Promise<BurstResult> {
  const sageMaker = await startLocalSageMaker(pipelinesOf(config));
  injectStartFaults(sageMaker, scenario);
  const queue: QueuedMessage[] = [];
  const deadLetters: string[] = [];
  let simulatedMs = 0;
  let invocationStartedAt = 0;
  const simulatedNow = () => simulatedMs + (performance.now() - invocationStartedAt);
  let requeued = 0;
  const sqs = await startLocalSqs({
    accept: (queueUrl, message) => {
      if (queueUrl === buffer.deadLetterQueueUrl) deadLetters.push(message.body);
      else if (queueUrl === buffer.bufferUrl) {
        requeued += 1;
        queue.push(enqueued(message, simulatedNow()));
      } else return false;
      return true;
    },
  });
  const handler = loadHandler({ sageMaker: sageMaker.url, sqs: sqs.url });
  const route = config.routes.find((candidate) => candidate.mode === 'object');
  if (route === undefined) throw new Error('The configuration has no object route to upload to');
  for (let index = 0; index < scenario.uploads; index += 1) {
    queue.push(
      enqueued({ body: JSON.stringify(upload(route, index)), delaySeconds: 0, attributes: {} }, 0),
    );
  }

  const wallStartedAt = performance.now();
  const perInvocation: Array<{ records: number; seconds: number; failed: number }> = [];
  let invocationTimeouts = 0;
  let redelivered = 0;
  while (queue.length > 0) {
    // SQS moves a message to the DLQ when a receive would exceed maxReceiveCount.
    for (const message of queue.filter(
      (candidate) => candidate.receiveCount >= buffer.maxReceiveCount,
    )) {
      if (message.visibleAtMs > simulatedMs) continue;
      deadLetters.push(message.body);
      queue.splice(queue.indexOf(message), 1);
    }
    if (queue.length === 0) break;
    const batch = nextBatch(queue, buffer, simulatedMs);
    if (batch.messages.length === 0) {
      simulatedMs = Math.min(...queue.map((message) => message.visibleAtMs));
      continue;
    }
    simulatedMs = batch.atMs;
    for (const message of batch.messages) {
      message.receiveCount += 1;
      message.visibleAtMs = simulatedMs + buffer.visibilityTimeoutSeconds * 1000;
    }
    invocationStartedAt = performance.now();
    const outcome = await invokeWithTimeout(handler, batch.messages, buffer);
    const seconds = (performance.now() - invocationStartedAt) / 1000;
    simulatedMs += seconds * 1000;
    if (outcome === 'timed-out') invocationTimeouts += 1;
    // A timed-out or failed invocation leaves the whole batch to come back after the timeout.
    const failed =
      outcome === 'timed-out' || outcome === 'failed'
        ? new Set(batch.messages.map((message) => message.messageId))
        : outcome;
    redelivered += failed.size;
    perInvocation.push({ records: batch.messages.length, seconds, failed: failed.size });
    for (const message of batch.messages) {
      if (!failed.has(message.messageId)) queue.splice(queue.indexOf(message), 1);
    }
  }
  const wallSeconds = (performance.now() - wallStartedAt) / 1000;
  await sageMaker.close();
  await sqs.close();

  const inputs = sageMaker.executions.map((execution) =>
    JSON.stringify((execution.request as { PipelineParameters?: unknown }).PipelineParameters),
  );
  return {
    uploads: scenario.uploads,
    runsStarted: sageMaker.executions.length,
    uploadsStarted: new Set(inputs).size,
    duplicateRuns: inputs.length - new Set(inputs).size,
    invocations: perInvocation.length,
    invocationTimeouts,
    deadLetters: deadLetters.length,
    redelivered,
    requeued,
    startRequests: sageMaker.requests.length,
    simulatedSeconds: simulatedMs / 1000,
    wallSeconds,
    perInvocation,
  };
}

/**
 * Makes the local SageMaker fail StartPipelineExecution calls as the scenario says: seeded random
 * throttling, 500s and stalls, and its own rate limit if it has one.
 *
 * @example
 * injectStartFaults(sageMaker, { seed: 1, throttledShare: 0.3, serverErrorShare: 0.05, stalledShare: 0, stallMs: 0 });
 */
export function injectStartFaults(
  sageMaker: LocalSageMaker,
  scenario: Omit<BurstScenario, 'uploads'>,
): void {
  sageMaker.injectRandomFaults({
    operation: 'StartPipelineExecution',
    seed: scenario.seed,
    faults: [
      { probability: scenario.throttledShare, fault: THROTTLING_FAULT },
      { probability: scenario.serverErrorShare, fault: INTERNAL_FAILURE_FAULT },
      { probability: scenario.stalledShare, fault: { stallMs: scenario.stallMs } },
    ],
  });
  if (scenario.rateLimit !== undefined) {
    sageMaker.limitRate({ operation: 'StartPipelineExecution', ...scenario.rateLimit });
  }
}

/** Visible messages up to the batch size, after the batching window when the batch is not full. */
function nextBatch(queue: readonly QueuedMessage[], buffer: BufferSettings, nowMs: number) {
  const visibleAt = (atMs: number) =>
    queue.filter((message) => message.visibleAtMs <= atMs).slice(0, buffer.batchSize);
  const now = visibleAt(nowMs);
  if (now.length === 0 || now.length === buffer.batchSize) return { messages: now, atMs: nowMs };
  const firstVisibleMs = Math.min(...now.map((message) => message.visibleAtMs));
  const atMs = Math.max(nowMs, firstVisibleMs + buffer.batchingWindowSeconds * 1000);
  return { messages: visibleAt(atMs), atMs };
}

/** The batch response's failures, `failed` when the function threw, `timed-out` past its timeout. */
async function invokeWithTimeout(
  handler: Handler,
  messages: readonly QueuedMessage[],
  buffer: BufferSettings,
): Promise<Set<string> | 'failed' | 'timed-out'> {
  const timeoutMs = buffer.functionTimeoutSeconds * 1000;
  const deadline = performance.now() + timeoutMs;
  const stopWaiting = new AbortController();
  const invocation = handler(
    {
      Records: messages.map((message) =>
        sqsRecord(message, buffer.bufferArn, buffer.bufferArn.split(':')[3] ?? ''),
      ),
    },
    lambdaContext(() => Math.max(0, deadline - performance.now())),
  ).then(
    (response) =>
      new Set(
        (
          (response as { batchItemFailures?: Array<{ itemIdentifier: string }> })
            .batchItemFailures ?? []
        ).map((failure) => failure.itemIdentifier),
      ),
    (error: unknown) => (isMiddyTimeout(error) ? ('timed-out' as const) : ('failed' as const)),
  );
  const timeout = sleep(timeoutMs, 'timed-out' as const, { signal: stopWaiting.signal }).catch(
    () => 'failed' as const,
  );
  const outcome = await Promise.race([invocation, timeout]);
  stopWaiting.abort();
  return outcome;
}

/**
 * middy ends a handler still running 5 ms before Lambda's deadline with this error (its
 * `timeoutEarlyInMillis`): for the batch it is the same as Lambda's timeout.
 */
function isMiddyTimeout(error: unknown): boolean {
  return (
    error instanceof Error &&
    error.name === 'TimeoutError' &&
    (error.cause as { package?: string } | undefined)?.package === '@middy/core'
  );
}

function enqueued(message: SentMessage, nowMs: number): QueuedMessage {
  return {
    messageId: randomUUID(),
    body: message.body,
    attributes: message.attributes,
    sentTimestamp: Date.now(),
    receiveCount: 0,
    visibleAtMs: nowMs + message.delaySeconds * 1000,
  };
}

function lambdaContext(remainingMs: () => number) {
  return {
    functionName: 'mlops-control-plane-dev-onDataUpload',
    functionVersion: '$LATEST',
    invokedFunctionArn:
      'arn:aws:lambda:eu-west-1:000000000000:function:mlops-control-plane-dev-onDataUpload',
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: '/aws/lambda/mlops-control-plane-dev-onDataUpload',
    logStreamName: 'bench',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: remainingMs,
  };
}

/** The pipelines the routes start, each declaring the parameters its routes pass. */
function pipelinesOf(config: DataUploadConfig) {
  const parameters = new Map<string, Set<string>>();
  for (const route of config.routes) {
    const names = parameters.get(route.pipeline) ?? new Set<string>();
    [route.inputParameter, ...Object.keys(route.parameters)].forEach((name) => names.add(name));
    parameters.set(route.pipeline, names);
  }
  return [...parameters].map(([name, names]) => ({ name, parameterNames: [...names] }));
}

/** One distinct file landing under an object route: its own run each. */
function upload(route: DataUploadConfig['routes'][number], index: number) {
  const time = new Date(Date.UTC(2026, 10, 21, 5, 0, 0) + index * 10).toISOString();
  return {
    version: '0',
    id: `bench-${index}`,
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account: '000000000000',
    time: time.replace(/\.\d+Z$/, 'Z'),
    region: 'eu-west-1',
    resources: [`arn:aws:s3:::${route.bucket}`],
    detail: {
      bucket: { name: route.bucket },
      object: {
        key: `${route.prefix}2026-11-21/file-${String(index).padStart(5, '0')}${route.suffix ?? '.csv'}`,
        size: 1024,
        sequencer: index.toString(16).padStart(18, '0'),
      },
      reason: 'PutObject',
    },
  };
}
