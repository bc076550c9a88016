import { setMaxListeners } from 'node:events';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSRecord } from 'aws-lambda';
import type { DataUploadConfig } from '../config/data-upload-config';
import { assertNever } from '../core/assert-never';
import { invocationBudget } from '../core/invocation-budget';
import { type PlannedStart, planUploadStarts } from '../core/plan-upload-starts';
import type { PipelineStartRequest } from '../core/pipeline-start-request';
import { classifyStartFailure } from '../core/start-failure';
import type { IgnoredNotice } from '../core/uploaded-object';
import {
  DEFERRALS_ATTRIBUTE,
  type MessageDelivery,
  type Disposition,
  type NotificationOutcome,
  type QueueMessage,
  WAITING_SINCE_ATTRIBUTE,
  combineOutcomes,
  decideDisposition,
  handBackMessage,
  redeliveredFirst,
} from '../core/upload-redelivery';
import { runRequested, uploadsIgnored } from '../core/ledger/upload-decisions';
import { quoteInput } from '../core/text-safety';
import {
  InvalidEventError,
  PipelineStartError,
  StartDeferredError,
  describeIssues,
} from '../errors';
import { reportRejected } from '../observability/event-reports';
import type { Observability } from '../observability/powertools';
import type { DecisionSink } from '../runtime/decision-ledger';
import { type TaskOutcome, mapWithConcurrency } from '../runtime/map-with-concurrency';
import { sqsBatchSchema } from '../schemas/s3-notification';
import { isSqsEvent, parseMessageBody } from '../schemas/sqs-event';
import { type UploadNotice, readUploadNotification } from '../schemas/upload-notification';

/** Sends copies of notifications to a queue; resolves to why, by message id, some were not taken. */
export type SendToQueue = (
  messages: readonly QueueMessage[],
  abortSignal: AbortSignal,
) => Promise<Map<string, string>>;

export interface OnDataUploadDependencies extends Observability {
  readonly config: DataUploadConfig;
  /** Records each start and each ignored object at the invocation's end; reads nothing. */
  readonly decisions: DecisionSink;
  readonly startPipeline: (
    request: PipelineStartRequest,
    abortSignal: AbortSignal,
  ) => Promise<string>;
  readonly sendToBuffer: SendToQueue;
  readonly sendToDeadLetterQueue: SendToQueue;
  readonly now: () => Date;
}

/** What a direct (non-SQS) invocation returns: handy with `serverless invoke local`. */
export interface DataUploadSummary {
  readonly started: ReadonlyArray<{ route: string; input: string; executionArn: string }>;
  readonly ignored: number;
}

interface NoticesOutcome {
  readonly started: Array<{ route: string; input: string; executionArn: string }>;
  /** Every start's outcome, by the notification that asked for it. */
  readonly outcomes: Map<string, NotificationOutcome[]>;
}

/**
 * The imperative shell of onDataUpload: parse every notification, plan the starts for the whole
 * batch at once (that is where coalescing happens), start them while the invocation's time lasts,
 * then settle each notification: acknowledged, redelivered by SQS, requeued to the buffer with a
 * delay, or sent to the dead-letter queue with its reason.
 */
export function createOnDataUploadHandler(deps: OnDataUploadDependencies) {
  const processor = new BatchProcessor(EventType.SQS);
  const { sageMaker } = deps.config;
  const budget = invocationBudget({
    finishReserveMs: deps.config.finishReserveMs,
    attemptTimeoutMs: sageMaker.connectionTimeoutMs + sageMaker.requestTimeoutMs,
  });
  const redeliveryPolicy = { maxQuotaWaitHours: deps.config.maxQuotaWaitHours };

  return async function handleDataUpload(
    event: unknown,
    context: Context,
  ): Promise<SQSBatchResponse | DataUploadSummary> {
    if (isSqsEvent(event)) {
      return handleSqsBatch(event, context);
    }
    return handleDirectNotification(event, context);
  };

  async function handleSqsBatch(event: unknown, context: Context): Promise<SQSBatchResponse> {
    const parsed = sqsBatchSchema.safeParse(event);
    if (!parsed.success) {
      throw reportRejected(
        deps,
        new InvalidEventError(`Invalid SQS event: ${describeIssues(parsed.error)}`),
      );
    }
    const records = (event as { Records: SQSRecord[] }).Records;
    const deliveries = new Map(records.map((record) => [record.messageId, readDelivery(record)]));
    const invalid = new Map<string, NotificationOutcome[]>();
    const notices: UploadNotice[] = [];
    for (const record of parsed.data.Records) {
      try {
        notices.push(readUploadNotification(parseMessageBody(record), record.messageId));
      } catch (error) {
        const reason = reportRejected(deps, error as Error).message;
        invalid.set(record.messageId, [{ kind: 'failed', failure: 'permanent', reason }]);
      }
    }
    const { outcomes } = await processNotices(
      notices,
      context,
      (id) => deliveries.get(id)?.receiveCount ?? 1,
    );
    invalid.forEach((outcome, id) => outcomes.set(id, outcome));
    const now = deps.now();
    const settled = records.map((record) => {
      const outcome = combineOutcomes(outcomes.get(record.messageId) ?? []);
      const delivery = deliveries.get(record.messageId) as MessageDelivery;
      const disposition = decideDisposition(outcome, delivery, redeliveryPolicy, now);
      return { record, outcome, disposition };
    });
    const failures = await settle(settled, context);
    return processPartialResponse(
      event as { Records: SQSRecord[] },
      async (record: SQSRecord) => {
        const failure = failures.get(record.messageId);
        if (failure !== undefined) throw failure;
      },
      processor,
    );
  }

  async function handleDirectNotification(
    event: unknown,
    context: Context,
  ): Promise<DataUploadSummary> {
    let notice: UploadNotice;
    try {
      notice = readUploadNotification(event, notificationIdOf(event));
    } catch (error) {
      throw reportRejected(deps, error as Error);
    }
    const { started, outcomes } = await processNotices([notice], context, () => 1);
    const outcome = combineOutcomes([...outcomes.values()].flat());
    if (outcome.kind !== 'done') throw errorOf(outcome);
    return { started, ignored: notice.ignored.length };
  }

  async function processNotices(
    notices: readonly UploadNotice[],
    context: Context,
    receiveCountOf: (notificationId: string) => number,
  ): Promise<NoticesOutcome> {
    const plan = planUploadStarts(
      notices.flatMap((notice) => notice.objects),
      deps.config.routes,
    );
    reportIgnored([...notices.flatMap((notice) => notice.ignored), ...plan.ignored]);
    const outcomes = new Map<string, NotificationOutcome[]>();
    const record = (ids: readonly string[], outcome: NotificationOutcome) =>
      ids.forEach((id) => outcomes.set(id, [...(outcomes.get(id) ?? []), outcome]));
    for (const rejected of plan.rejected) {
      const reason = reportRejected(deps, new InvalidEventError(rejected.message)).message;
      record(rejected.notificationIds, { kind: 'failed', failure: 'permanent', reason });
    }
    const starts = redeliveredFirst(plan.starts, receiveCountOf);
    const results = await startWithinBudget(starts, context);
    const started: NoticesOutcome['started'] = [];
    const startOutcomes = results.map((result, index) => {
      const start = starts[index] as PlannedStart;
      if (result.status === 'fulfilled') {
        started.push({ route: start.route, input: start.input, executionArn: result.value });
        deps.decisions.add(runRequested(start, result.value));
      }
      const outcome = outcomeOf(start, result);
      record(start.notificationIds, outcome);
      return outcome;
    });
    reportStartOutcomes(startOutcomes);
    return { started, outcomes };
  }

  /**
   * Launches starts only while one attempt still fits before the finish reserve, and aborts those
   * still running when the reserve begins, so that the invocation ends before Lambda's timeout.
   */
  async function startWithinBudget(
    starts: readonly PlannedStart[],
    context: Context,
  ): Promise<TaskOutcome<string>[]> {
    const abortSignal = abortWhenRemaining(context, budget.abortStartsAtRemainingMs);
    return mapWithConcurrency(
      starts,
      deps.config.maxConcurrentStarts,
      (start) => startOne(start, abortSignal),
      () => context.getRemainingTimeInMillis() > budget.launchWhileRemainingAboveMs,
    );
  }

  async function startOne(start: PlannedStart, abortSignal: AbortSignal): Promise<string> {
    const executionArn = await deps.startPipeline(start.request, abortSignal);
    deps.logger.info('Pipeline run started', {
      route: start.route,
      mode: start.mode,
      pipeline: start.request.pipelineName,
      input: start.input,
      token: start.request.clientRequestToken,
      executionArn,
      objectCount: start.objectCount,
      notificationIds: start.notificationIds,
    });
    deps.metrics.addMetric('PipelineRunsStarted', MetricUnit.Count, 1);
    return executionArn;
  }

  function outcomeOf(start: PlannedStart, result: TaskOutcome<string>): NotificationOutcome {
    switch (result.status) {
      case 'fulfilled':
        return { kind: 'done' };
      case 'not-started':
        return { kind: 'not-started' };
      case 'rejected':
        return outcomeOfFailure(start, result.reason);
      default:
        return assertNever(result);
    }
  }

  function outcomeOfFailure(start: PlannedStart, reason: unknown): NotificationOutcome {
    const failure = classifyStartFailure(reason);
    if (failure === 'interrupted') return { kind: 'not-started' };
    const error = reason instanceof Error ? reason : new PipelineStartError(String(reason));
    deps.logger.error('Pipeline start failed', {
      route: start.route,
      token: start.request.clientRequestToken,
      notificationIds: start.notificationIds,
      failure,
      error,
    });
    return { kind: 'failed', failure, reason: error.message };
  }

  /** One metric per kind of outcome and invocation, however many starts it had. */
  function reportStartOutcomes(outcomes: readonly NotificationOutcome[]): void {
    const count = (matches: (outcome: NotificationOutcome) => boolean) =>
      outcomes.filter(matches).length;
    const deferred = {
      deadline: count((outcome) => outcome.kind === 'not-started'),
      quota: count((outcome) => outcome.kind === 'failed' && outcome.failure === 'back-pressure'),
    };
    Object.entries(deferred).forEach(([reason, starts]) => {
      if (starts === 0) return;
      deps.metrics
        .singleMetric()
        .addDimension('Reason', reason)
        .addMetric('PipelineStartsDeferred', MetricUnit.Count, starts);
    });
    const failed = count((outcome) => outcome.kind === 'failed') - deferred.quota;
    if (failed > 0) deps.metrics.addMetric('PipelineStartsFailed', MetricUnit.Count, failed);
  }

  /**
   * Carries out the dispositions: copies go to the buffer or the DLQ (within the time left), and
   * every message that must come back through SQS, or whose copy could not be sent, is returned
   * with the error to report in `batchItemFailures`.
   */
  async function settle(
    settled: ReadonlyArray<{
      record: SQSRecord;
      outcome: NotificationOutcome;
      disposition: Disposition;
    }>,
    context: Context,
  ): Promise<Map<string, Error>> {
    const failures = new Map<string, Error>();
    const toBuffer: QueueMessage[] = [];
    const toDeadLetterQueue: QueueMessage[] = [];
    for (const { record, outcome, disposition } of settled) {
      switch (disposition.action) {
        case 'acknowledge':
          break;
        case 'redeliver':
          failures.set(record.messageId, errorOf(outcome));
          break;
        case 'requeue':
          toBuffer.push(handBackMessage(record.messageId, record.body, disposition));
          break;
        case 'dead-letter':
          toDeadLetterQueue.push(handBackMessage(record.messageId, record.body, disposition));
          break;
        default:
          assertNever(disposition);
      }
    }
    const abortSignal = abortWhenRemaining(context, budget.abortHandBackAtRemainingMs);
    const [notRequeued, notDeadLettered] = await Promise.all([
      toBuffer.length === 0 ? new Map<string, string>() : deps.sendToBuffer(toBuffer, abortSignal),
      toDeadLetterQueue.length === 0
        ? new Map<string, string>()
        : deps.sendToDeadLetterQueue(toDeadLetterQueue, abortSignal),
    ]);
    for (const [destination, unsent] of [
      ['buffer', notRequeued],
      ['dead-letter queue', notDeadLettered],
    ] as const) {
      if (unsent.size === 0) continue;
      deps.logger.error(`Copies not sent to the ${destination}; SQS redelivers their originals`, {
        unsent: Object.fromEntries(unsent),
      });
      unsent.forEach((why, messageId) =>
        failures.set(messageId, new Error(`Not sent to the ${destination}: ${why}`)),
      );
    }
    reportSettled({
      acknowledged: settled.filter(({ disposition }) => disposition.action === 'acknowledge')
        .length,
      redelivered: failures.size,
      requeued: toBuffer.length - notRequeued.size,
      deadLettered: toDeadLetterQueue.length - notDeadLettered.size,
    });
    return failures;
  }

  /** Where the batch's notifications went (a copy SQS did not take counts as redelivered). */
  function reportSettled(counts: {
    acknowledged: number;
    redelivered: number;
    requeued: number;
    deadLettered: number;
  }): void {
    deps.logger.info('Batch settled', { notifications: counts });
    deps.metrics.addMetric('NotificationsRequeued', MetricUnit.Count, counts.requeued);
    deps.metrics.addMetric('NotificationsDeadLettered', MetricUnit.Count, counts.deadLettered);
  }

  function reportIgnored(ignored: readonly IgnoredNotice[]): void {
    const counts = new Map<string, number>();
    for (const notice of ignored) {
      deps.logger.info('Object ignored', { ...notice });
      counts.set(notice.reason, (counts.get(notice.reason) ?? 0) + 1);
    }
    counts.forEach((count, reason) => {
      deps.metrics
        .singleMetric()
        .addDimension('Reason', reason)
        .addMetric('ObjectsIgnored', MetricUnit.Count, count);
    });
    deps.decisions.add(...uploadsIgnored(ignored, deps.config.routes));
  }
}

/** A signal that aborts when only `remainingMs` of the invocation are left. */
function abortWhenRemaining(context: Context, remainingMs: number): AbortSignal {
  // AbortSignal.timeout takes whole milliseconds only.
  const signal = AbortSignal.timeout(
    Math.max(0, Math.floor(context.getRemainingTimeInMillis() - remainingMs)),
  );
  // Every call in flight listens to it (the SDK's retry and HTTP layers), and maxConcurrentStarts
  // bounds how many are: Node's "possible leak" warning past 10 listeners would be a false alarm.
  setMaxListeners(0, signal);
  return signal;
}

/** The error that stands for an outcome other than done, in a batch response or a direct call. */
function errorOf(outcome: NotificationOutcome): Error {
  if (outcome.kind === 'failed') return new PipelineStartError(outcome.reason);
  return new StartDeferredError('Not started before the invocation’s deadline; it is tried again');
}

function readDelivery(record: SQSRecord): MessageDelivery {
  const receiveCount = Number(record.attributes?.ApproximateReceiveCount);
  const deferrals = Number(record.messageAttributes?.[DEFERRALS_ATTRIBUTE]?.stringValue ?? 0);
  const waitingSince = record.messageAttributes?.[WAITING_SINCE_ATTRIBUTE]?.stringValue;
  return {
    receiveCount: Number.isInteger(receiveCount) && receiveCount > 0 ? receiveCount : 1,
    deferrals: Number.isInteger(deferrals) && deferrals > 0 ? deferrals : 0,
    ...(waitingSince !== undefined && !Number.isNaN(Date.parse(waitingSince))
      ? { waitingSince }
      : {}),
  };
}

function notificationIdOf(event: unknown): string {
  const id = (event as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? quoteInput(id) : 'direct-invocation';
}
