import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';
import type { DataUploadConfig } from '../config/data-upload-config';
import { runRequested, uploadsIgnored } from '../core/ledger/upload-decisions';
import { type PlannedStart, planUploadStarts } from '../core/plan-upload-starts';
import type { PipelineStartRequest } from '../core/pipeline-start-request';
import type { IgnoredNotice } from '../core/uploaded-object';
import { quoteInput } from '../core/text-safety';
import { InvalidEventError, PipelineStartError, describeIssues } from '../errors';
import type { DecisionSink } from '../runtime/decision-ledger';
import { sqsBatchSchema } from '../schemas/s3-notification';
import { type UploadNotice, readUploadNotification } from '../schemas/upload-notification';
import { mapWithConcurrency } from './map-with-concurrency';

export interface DataUploadDependencies {
  readonly config: DataUploadConfig;
  readonly startPipeline: (request: PipelineStartRequest) => Promise<string>;
  /** Records each start and each ignored object at the invocation's end; reads nothing. */
  readonly decisions: DecisionSink;
  readonly logger: Logger;
  readonly metrics: Metrics;
}

/** What a direct (non-SQS) invocation returns: handy with `serverless invoke local`. */
export interface DataUploadSummary {
  readonly started: ReadonlyArray<{ route: string; input: string; executionArn: string }>;
  readonly ignored: number;
}

/**
 * The imperative shell of onDataUpload: parse every notification, plan the starts for the whole
 * batch at once (that is where coalescing happens), start them, and fail exactly the notifications
 * whose start failed or that were invalid.
 */
export function createDataUploadHandler(deps: DataUploadDependencies) {
  const processor = new BatchProcessor(EventType.SQS);

  return async function handleDataUpload(
    event: unknown,
  ): Promise<SQSBatchResponse | DataUploadSummary> {
    if (isSqsEvent(event)) {
      return handleSqsBatch(event);
    }
    return handleDirectNotification(event);
  };

  async function handleSqsBatch(event: unknown): Promise<SQSBatchResponse> {
    const parsed = sqsBatchSchema.safeParse(event);
    if (!parsed.success) {
      throw reject(new InvalidEventError(`Invalid SQS event: ${describeIssues(parsed.error)}`));
    }
    const failures = new Map<string, Error>();
    const notices: UploadNotice[] = [];
    for (const record of parsed.data.Records) {
      try {
        notices.push(
          readUploadNotification(parseBody(record.body, record.messageId), record.messageId),
        );
      } catch (error) {
        failures.set(record.messageId, reject(error as Error));
      }
    }
    const outcome = await processNotices(notices);
    outcome.failures.forEach((error, id) => failures.set(id, error));
    return processPartialResponse(
      event as { Records: SQSRecord[] },
      async (record: SQSRecord) => {
        const failure = failures.get(record.messageId);
        if (failure !== undefined) throw failure;
      },
      processor,
    );
  }

  async function handleDirectNotification(event: unknown): Promise<DataUploadSummary> {
    let notice: UploadNotice;
    try {
      notice = readUploadNotification(event, notificationIdOf(event));
    } catch (error) {
      throw reject(error as Error);
    }
    const outcome = await processNotices([notice]);
    const [firstFailure] = outcome.failures.values();
    if (firstFailure !== undefined) throw firstFailure;
    return { started: outcome.started, ignored: notice.ignored.length };
  }

  async function processNotices(notices: readonly UploadNotice[]) {
    const plan = planUploadStarts(
      notices.flatMap((notice) => notice.objects),
      deps.config.routes,
    );
    reportIgnored([...notices.flatMap((notice) => notice.ignored), ...plan.ignored]);
    const failures = new Map<string, Error>();
    for (const rejected of plan.rejected) {
      const error = reject(new InvalidEventError(rejected.message));
      rejected.notificationIds.forEach((id) => failures.set(id, error));
    }
    const outcomes = await mapWithConcurrency(
      plan.starts,
      deps.config.maxConcurrentStarts,
      startOne,
    );
    const started: Array<{ route: string; input: string; executionArn: string }> = [];
    outcomes.forEach((outcome, index) => {
      const start = plan.starts[index] as PlannedStart;
      if (outcome.status === 'fulfilled') {
        deps.decisions.add(runRequested(start, outcome.value));
        started.push({ route: start.route, input: start.input, executionArn: outcome.value });
        return;
      }
      const error =
        outcome.reason instanceof Error
          ? outcome.reason
          : new PipelineStartError(String(outcome.reason));
      deps.logger.error('Pipeline start failed; its notifications will be redelivered', {
        route: start.route,
        token: start.request.clientRequestToken,
        notificationIds: start.notificationIds,
        error,
      });
      deps.metrics.addMetric('PipelineStartsFailed', MetricUnit.Count, 1);
      start.notificationIds.forEach((id) => failures.set(id, error));
    });
    return { started, failures };
  }

  async function startOne(start: PlannedStart): Promise<string> {
    const executionArn = await deps.startPipeline(start.request);
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

  function reportIgnored(ignored: readonly IgnoredNotice[]): void {
    deps.decisions.add(...uploadsIgnored(ignored, deps.config.routes));
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
  }

  function reject(error: Error): Error {
    deps.logger.error('Event rejected; nothing was started for it', { error });
    deps.metrics.addMetric('EventsRejected', MetricUnit.Count, 1);
    return error;
  }
}

function isSqsEvent(event: unknown): boolean {
  const records = (event as { Records?: unknown } | null)?.Records;
  return (
    Array.isArray(records) &&
    (records[0] as { eventSource?: unknown } | undefined)?.eventSource === 'aws:sqs'
  );
}

function parseBody(body: string, messageId: string): unknown {
  try {
    return JSON.parse(body);
  } catch (error) {
    throw new InvalidEventError(`Notification ${messageId}: body is not JSON`, { cause: error });
  }
}

function notificationIdOf(event: unknown): string {
  const id = (event as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? quoteInput(id) : 'direct-invocation';
}
