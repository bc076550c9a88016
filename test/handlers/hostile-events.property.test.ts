import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import fc from 'fast-check';
import { s3LocationOf } from '../../functions/aws/s3-uri';
import { MESSAGE_MAX_BYTES, SUBJECT_MAX_LENGTH } from '../../functions/core/email/sns-limits';
import type { Notification } from '../../functions/core/notification';
import {
  PIPELINE_EXECUTION_DESCRIPTION_MAX_LENGTH,
  type PipelineStartRequest,
} from '../../functions/core/pipeline-start-request';
import { PIPELINE_PARAMETER_VALUE_MAX_LENGTH } from '../../functions/core/pipeline-start-request';
import { InvalidEventError } from '../../functions/errors';
import { createGetApprovedModelHandler } from '../../functions/handlers/get-approved-model';
import { createOnDataUploadHandler } from '../../functions/handlers/on-data-upload';
import { createOnModelPackageStateChangeHandler } from '../../functions/handlers/on-model-package-state-change';
import { createOnMonitoringViolationHandler } from '../../functions/handlers/on-monitoring-violation';
import { createOnPipelineStatusChangeHandler } from '../../functions/handlers/on-pipeline-status-change';
import { createOnScheduleHandler } from '../../functions/handlers/on-schedule';
import { registeredModelVersion } from '../support/model-versions';
import { monitoringConfig } from '../support/monitoring-fixtures';
import { notifyConfig } from '../support/notification-fixtures';
import { scheduleConfig } from '../support/schedule-fixtures';
import { lambdaContext } from '../support/lambda-context';
import { acceptingQueues, sampleEvent, sqsBatch, testConfig } from '../support/upload-fixtures';
import { keptDecisions, publishingEveryTime } from '../support/ledger-fixtures';

// Every function against events whose fields were swapped for what a hostile or broken sender
// can put in valid JSON: a lone surrogate, control characters, 300 KB, the wrong type. Whatever
// arrives, a function either acts within every limit AWS enforces, or rejects the event with an
// InvalidEventError and acts not at all.

const LONE_SURROGATES = ['\ud800', 'a\udc00b', 'model\udbff', '\udfff\ud800'];
const hostileValue = fc.oneof(
  fc.constantFrom(...LONE_SURROGATES),
  fc
    .array(fc.integer({ min: 0, max: 0x9f }), { minLength: 1, maxLength: 8 })
    .map((codes) => `data/${String.fromCharCode(...codes)}/x.csv`),
  fc.constant('x'.repeat(300_000)),
  fc.constant(`${'\u00e9'.repeat(150_000)}\ud800`),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.oneof(fc.integer(), fc.constant(null), fc.constant({}), fc.constant([]), fc.boolean()),
);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Paths to every value of a sample, leaves and containers alike. */
function pathsOf(
  value: Json,
  prefix: ReadonlyArray<string | number> = [],
): Array<Array<string | number>> {
  const here = prefix.length === 0 ? [] : [[...prefix]];
  if (Array.isArray(value)) {
    return [...here, ...value.flatMap((item, index) => pathsOf(item, [...prefix, index]))];
  }
  if (value !== null && typeof value === 'object') {
    return [
      ...here,
      ...Object.entries(value).flatMap(([key, item]) => pathsOf(item, [...prefix, key])),
    ];
  }
  return here;
}

function withValueAt(sample: Json, path: ReadonlyArray<string | number>, value: unknown): Json {
  const copy = structuredClone(sample) as Record<string | number, unknown>;
  let parent: unknown = copy;
  for (const part of path.slice(0, -1)) {
    // An earlier change may have replaced an ancestor with a scalar: that change wins.
    if (parent === null || typeof parent !== 'object') return copy as Json;
    parent = (parent as Record<string | number, unknown>)[part];
  }
  if (parent === null || typeof parent !== 'object') return copy as Json;
  (parent as Record<string | number, unknown>)[path[path.length - 1] as string | number] = value;
  return copy as Json;
}

/** A sample with one to three of its values replaced by hostile ones. */
function hostileVariants(sampleName: string) {
  const sample = sampleEvent(sampleName) as Json;
  const paths = pathsOf(sample);
  return fc
    .array(fc.tuple(fc.constantFrom(...paths), hostileValue), { minLength: 1, maxLength: 3 })
    .map((changes) =>
      changes.reduce<Json>((event, [path, value]) => withValueAt(event, path, value), sample),
    );
}

/** What AWS would refuse, or what the SDK could not encode (its query and path encoding throws). */
function sendable(text: string, what: string): void {
  if (!text.isWellFormed())
    throw new Error(`${what} is not well-formed: ${JSON.stringify(text.slice(0, 80))}`);
  encodeURIComponent(text);
}

function checkStart(request: PipelineStartRequest): void {
  expect(request.clientRequestToken.length).toBeGreaterThanOrEqual(32);
  expect(request.clientRequestToken.length).toBeLessThanOrEqual(128);
  expect(request.displayName).toMatch(/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,81}$/);
  expect(request.description.length).toBeLessThanOrEqual(PIPELINE_EXECUTION_DESCRIPTION_MAX_LENGTH);
  expect(request.description).not.toMatch(/\p{Cc}/u);
  sendable(request.description, 'description');
  for (const parameter of request.parameters) {
    expect(parameter.value.length).toBeLessThanOrEqual(PIPELINE_PARAMETER_VALUE_MAX_LENGTH);
    expect(parameter.value).not.toMatch(/\p{Cc}/u);
    sendable(parameter.value, `parameter ${parameter.name}`);
  }
}

function checkNotification(notification: Notification): void {
  expect(notification.subject.length).toBeGreaterThanOrEqual(1);
  expect(notification.subject.length).toBeLessThanOrEqual(SUBJECT_MAX_LENGTH);
  expect(notification.subject).toMatch(/^[\x20-\x7e]+$/);
  expect(Buffer.byteLength(notification.body, 'utf8')).toBeLessThanOrEqual(MESSAGE_MAX_BYTES);
  sendable(notification.body, 'body');
}

/** Side effects, each checked against the limits as it happens. */
function recorder() {
  const effects: string[] = [];
  return {
    effects,
    start: async (request: PipelineStartRequest) => {
      checkStart(request);
      effects.push(`start ${request.pipelineName}`);
      return `arn:aws:sagemaker:eu-west-1:123456789012:pipeline/${request.pipelineName}/execution/abc123def456`;
    },
    publish: async (notification: Notification) => {
      checkNotification(notification);
      effects.push(`publish ${notification.kind}`);
      return 'message-id';
    },
    /** A read sends its identifiers to AWS: they must be sendable too. */
    read:
      <T>(value: T) =>
      async (...identifiers: string[]): Promise<T> => {
        identifiers.forEach((identifier, index) => sendable(identifier, `read argument ${index}`));
        return value;
      },
    readS3: async (uri: string): Promise<unknown> => {
      const { key } = s3LocationOf(uri);
      sendable(key, 'S3 key');
      return {
        violations: [{ feature_name: '\ud800', constraint_check_type: 'x', description: '\u0000' }],
      };
    },
  };
}

const observability = () => ({
  logger: new Logger({ logLevel: 'SILENT' }),
  metrics: new Metrics(),
});

const RUNS = { numRuns: 60 };

type Recorder = ReturnType<typeof recorder>;

/**
 * Runs a function on hostile variants of a sample: it acts within limits, or rejects the event
 * as invalid with no effect at all, and a short message.
 */
async function expectActsOrRejects(
  sample: string,
  build: (r: Recorder) => (event: unknown) => Promise<unknown>,
): Promise<void> {
  await fc.assert(
    fc.asyncProperty(hostileVariants(sample), async (event) => {
      const r = recorder();
      try {
        await build(r)(event);
      } catch (error) {
        if (!(error instanceof InvalidEventError)) throw error;
        expect(r.effects).toEqual([]);
        expect(error.message.length).toBeLessThan(2_000);
      }
    }),
    RUNS,
  );
}

describe('hostile events: act within limits or reject with InvalidEventError, never crash', () => {
  it.each([
    'pipeline-execution-failed.json',
    'pipeline-execution-succeeded.json',
    'pipeline-execution-failed-model-quality.json',
    'pipeline-step-data-quality-violations.json',
  ])('onPipelineStatusChange: %s', async (sample) => {
    await expectActsOrRejects(sample, (r) => {
      return createOnPipelineStatusChangeHandler({
        config: notifyConfig,
        region: 'eu-west-1',
        readExecutionFailureReason: r.read<string | undefined>('Step \ud800 failure\u0007'),
        readFailedSteps: r.read([{ name: 'Train\ud800', failureReason: 'x\u0000'.repeat(70_000) }]),
        readRunParameters: r.read([{ name: 'InputDataUrl', value: 's3://b/\udc00' }]),
        readQualityCheck: r.read({
          reportUri: 's3://b/report/constraint_violations.json',
          modelVersion: 'v\ud800',
        }),
        readJsonObject: r.readS3,
        publish: publishingEveryTime(r.publish),
        decisions: keptDecisions(),
        ...observability(),
      });
    });
  });

  it.each([
    'model-package-approved.json',
    'model-package-pending-approval.json',
    'model-package-rejected.json',
  ])('onModelPackageStateChange: %s', async (sample) => {
    await expectActsOrRejects(sample, (r) => {
      return createOnModelPackageStateChangeHandler({
        config: notifyConfig,
        region: 'eu-west-1',
        describe: r.read(
          registeredModelVersion({
            customerMetadata: { origin: '\ud800', inputDataUrl: '\u0000' },
          }),
        ),
        findNewestApprovedArn: r.read<string | undefined>(
          'arn:aws:sagemaker:eu-west-1:123456789012:model-package/mlops-control-plane-dev-models/1',
        ),
        readRunDescription: r.read<string | undefined>('Started by \ud800 [trigger x]'),
        readJsonObject: r.readS3,
        startPipeline: r.start,
        publish: publishingEveryTime(r.publish),
        decisions: keptDecisions(),
        ...observability(),
      });
    });
  });

  it.each([
    'pipeline-step-model-quality-violation.json',
    'cloudwatch-drift-alarm.json',
    'model-monitor-job-violations.json',
  ])('onMonitoringViolation: %s', async (sample) => {
    await expectActsOrRejects(sample, (r) => {
      return createOnMonitoringViolationHandler({
        config: {
          ...monitoringConfig,
          alarms: [
            {
              name: 'mlops-control-plane-dev-feature-drift',
              pipeline: 'training',
              parameters: {},
            },
          ],
        },
        region: 'eu-west-1',
        now: () => new Date('2026-11-23T04:10:30Z'),
        listRecentExecutions: r.read([]),
        readStepFailureMessage: r.read<string | undefined>(
          'MODEL_QUALITY_VIOLATION: metric=\ud800 value=1',
        ),
        readJsonObject: r.readS3,
        startPipeline: r.start,
        publish: publishingEveryTime(r.publish),
        decisions: keptDecisions(),
        ...observability(),
      });
    });
  });

  it('onSchedule: schedule-daily-scoring.json', async () => {
    await expectActsOrRejects('schedule-daily-scoring.json', (r) => {
      return createOnScheduleHandler({
        config: scheduleConfig,
        listRecentExecutions: r.read([]),
        prefixHoldsObjects: r.read(true),
        findNewestApprovedArn: r.read<string | undefined>(undefined),
        startPipeline: r.start,
        publish: publishingEveryTime(r.publish),
        decisions: keptDecisions(),
        ...observability(),
      });
    });
  });

  it('getApprovedModel: its request', async () => {
    await fc.assert(
      fc.asyncProperty(hostileValue, async (group) => {
        const r = recorder();
        const handle = createGetApprovedModelHandler({
          findNewestApprovedArn: r.read<string | undefined>(undefined),
          describe: r.read(registeredModelVersion()),
          logger: new Logger({ logLevel: 'SILENT' }),
        });
        await handle({ ModelPackageGroupName: group }).catch((error: unknown) => {
          if (
            !(error instanceof InvalidEventError) &&
            (error as Error).name !== 'NoApprovedModelError'
          )
            throw error;
        });
      }),
      RUNS,
    );
  });

  it.each([
    'training-folder-upload.eventbridge.json',
    'curated-training-trigger-file.eventbridge.json',
    'inference-upload.s3-notification.json',
  ])('onDataUpload, invoked directly: %s', async (sample) => {
    await expectActsOrRejects(sample, (r) => {
      const handle = createOnDataUploadHandler({
        config: testConfig,
        startPipeline: r.start,
        decisions: keptDecisions(),
        ...acceptingQueues(),
        now: () => new Date(),
        ...observability(),
      });
      return (event: unknown) =>
        handle(
          event,
          lambdaContext(() => 60_000),
        );
    });
  });

  it('onDataUpload from SQS: a hostile record fails alone, the valid one still starts', async () => {
    await fc.assert(
      fc.asyncProperty(
        hostileVariants('training-folder-upload.eventbridge.json'),
        async (event) => {
          const r = recorder();
          const handle = createOnDataUploadHandler({
            config: testConfig,
            startPipeline: r.start,
            decisions: keptDecisions(),
            ...acceptingQueues(),
            now: () => new Date(),
            ...observability(),
          });
          const batch = sqsBatch([sampleEvent('inference-upload.s3-notification.json'), event]);
          const response = (await handle(
            batch,
            lambdaContext(() => 60_000),
          )) as {
            batchItemFailures: Array<{ itemIdentifier: string }>;
          };
          const [valid] = batch.Records;
          expect(response.batchItemFailures.map((failure) => failure.itemIdentifier)).not.toContain(
            valid?.messageId,
          );
          expect(
            r.effects.filter((effect) => effect.startsWith('start')).length,
          ).toBeGreaterThanOrEqual(1);
        },
      ),
      RUNS,
    );
  });
});
