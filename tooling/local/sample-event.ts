import type { AwsEvent } from './event-bus';
import type { StackWiring } from './stack-wiring';
import { mapStrings } from '../json-strings';

/** The stage, account and region the samples in events/ were written for. */
export const SAMPLE_STACK = { stage: 'dev', accountId: '123456789012', region: 'eu-west-1' };

/**
 * Whether an event is one of the samples of events/ (they name the samples' account), which must
 * be adapted to the running stack before it can match its rules.
 */
export function isSample(event: { readonly account?: unknown }): boolean {
  return event.account === SAMPLE_STACK.accountId;
}

/**
 * Whether an event names the samples' account anywhere: a sample of events/ of any shape, an SQS
 * batch or a classic S3 notification included (their account is inside ARNs and messages).
 */
export function namesSampleAccount(event: unknown): boolean {
  return JSON.stringify(event ?? null).includes(SAMPLE_STACK.accountId);
}

/** The running local stack a sample is adapted to. */
export interface LocalStack {
  readonly wiring: StackWiring;
  /** `<service>-local`, as the packaged stack is named. */
  readonly stackName: string;
  readonly stage: string;
  readonly accountId: string;
  readonly region: string;
  /** The newest model version of the stack's model package group, if one is registered. */
  readonly newestModelVersion?: number;
  /** The id of the newest run of each pipeline that has run, by pipeline name. */
  readonly newestRunIds: Readonly<Record<string, string>>;
}

/** How a sample reaches the local cloud, as the AWS service that sends it would deliver it. */
export type SampleDelivery =
  | { readonly kind: 'event'; readonly event: AwsEvent }
  | { readonly kind: 'schedule'; readonly rule: string; readonly time: string }
  | { readonly kind: 'queue'; readonly queueArn: string; readonly bodies: readonly string[] };

export interface AdaptedSample {
  /** The sample with the local names, as a function invoked with it directly takes it. */
  readonly sample: unknown;
  readonly delivery: SampleDelivery;
  /** What was changed, `from → to`, for the console. */
  readonly changes: readonly string[];
}

/** A sample that cannot be delivered to this stack yet, with what to do about it. */
export class SampleNotDeliverableError extends Error {
  override readonly name = 'SampleNotDeliverableError';
}

/**
 * Adapts a sample of events/ (written for the dev stage) to the running local stack: the dev
 * stage's names of pipelines, model package group, bucket, queues and rules become the local
 * ones (wherever they appear, in ARNs and in JSON inside messages too), the account and region
 * the local cloud's, a model version the newest one registered locally; and says how AWS would
 * deliver it: an EventBridge event onto the bus, a scheduled event as its rule firing (for the
 * sample's time), an SQS batch as its messages on their queue, a classic S3 notification (or
 * `s3:TestEvent`) as a message on the queue that takes the bucket's uploads. The adapted sample
 * itself is what a function invoked with it directly takes (`serverless invoke local`).
 *
 * @example
 * const { delivery, changes } = adaptSample(JSON.parse(text), localStack);
 */
export function adaptSample(sample: unknown, stack: LocalStack): AdaptedSample {
  const renames = localNames(stack);
  const changes = new Set<string>();
  const rename = (text: string): string =>
    renames.reduce(
      (renamed, [from, to]) =>
        renamed.replace(from, (found) => {
          const replacement = typeof to === 'string' ? to : to(found);
          if (replacement !== found) changes.add(`${found} → ${replacement}`);
          return replacement;
        }),
      text,
    );
  const adapted = withModelVersion(
    withLocalRuns(mapStrings(sample, rename), stack, changes),
    stack,
    changes,
  );
  return { sample: adapted, delivery: deliveryOf(adapted, stack.wiring), changes: [...changes] };
}

type Rename = readonly [RegExp, string | ((found: string) => string)];

/** Whole names only: `...-dev-data` must not rename the start of `...-dev-data-upload-buffer`. */
const name = (text: string) =>
  new RegExp(`(?<![A-Za-z0-9-])${escapeRegExp(text)}(?![A-Za-z0-9-])`, 'g');

function localNames(stack: LocalStack): Rename[] {
  const { wiring } = stack;
  const localPrefix = `${stack.stackName}-`;
  const samplePrefix = `${stack.stackName.slice(0, -stack.stage.length)}${SAMPLE_STACK.stage}-`;
  const physicalNames = [
    ...wiring.functions.map((fn) => fn.name),
    ...wiring.rules.map((rule) => rule.name),
    ...wiring.queues.map((queue) => queue.name),
    ...wiring.topics.map((topic) => topic.name),
    ...wiring.pipelines.map((pipeline) => pipeline.name),
    ...wiring.modelPackageGroups,
  ].filter((local) => local.startsWith(localPrefix));
  const dataBucket = wiring.buckets.find((bucket) => bucket.eventBridgeEnabled)?.name;
  return [
    ...physicalNames.map((local): Rename => [
      name(`${samplePrefix}${local.slice(localPrefix.length)}`),
      local,
    ]),
    // The data bucket may be named otherwise than the convention (names are global); the
    // samples name the default, `<service>-<stage>-data-<account>-<region>`.
    ...(dataBucket === undefined
      ? []
      : [
          [
            name(`${samplePrefix}data-${SAMPLE_STACK.accountId}-${SAMPLE_STACK.region}`),
            dataBucket,
          ] as Rename,
        ]),
    // Names the stack does not create (an alarm, say) follow the stage's convention.
    [new RegExp(`(?<![A-Za-z0-9-])${escapeRegExp(samplePrefix)}`, 'g'), localPrefix],
    [name(SAMPLE_STACK.accountId), stack.accountId],
    [name(SAMPLE_STACK.region), stack.region],
  ];
}

/**
 * A sample about a model version (registered, approved, rejected) names version 3 of the dev
 * stage's group; locally it becomes the newest version, so that the functions find it.
 */
function withModelVersion(sample: unknown, stack: LocalStack, changes: Set<string>): unknown {
  const detail = (sample as { detail?: { ModelPackageVersion?: unknown } }).detail;
  if (typeof detail?.ModelPackageVersion !== 'number') return sample;
  const group = stack.wiring.modelPackageGroups[0];
  if (stack.newestModelVersion === undefined) {
    throw new SampleNotDeliverableError(
      `No model version is registered in ${group ?? 'the local model package group'} yet: npm run demo registers one (or drop training data with npm run drop), then try again`,
    );
  }
  const from = detail.ModelPackageVersion;
  const to = stack.newestModelVersion;
  if (from === to) return sample;
  changes.add(`version ${from} → ${to} (the newest of ${group})`);
  const versioned = mapStrings(sample, (text) =>
    text.replace(new RegExp(`(:model-package/[^/]+/)${from}$`), `$1${to}`),
  ) as { detail: Record<string, unknown> };
  return { ...versioned, detail: { ...versioned.detail, ModelPackageVersion: to } };
}

/**
 * A sample about a pipeline run names a run of the dev stage; locally it becomes the newest run
 * of the same pipeline, so that the functions can read its steps, parameters and reports.
 */
function withLocalRuns(sample: unknown, stack: LocalStack, changes: Set<string>): unknown {
  return mapStrings(sample, (text) =>
    text.replace(
      /(:pipeline\/([^/]+)\/execution\/)([a-z0-9]+)/g,
      (found, start: string, pipelineInArn: string, id: string) => {
        const pipeline =
          stack.wiring.pipelines.find(({ name }) => name.toLowerCase() === pipelineInArn)?.name ??
          pipelineInArn;
        const local = stack.newestRunIds[pipeline];
        if (local === undefined) {
          throw new SampleNotDeliverableError(
            `No run of ${pipeline} yet, and the functions read the run a sample names: npm run demo starts runs of every pipeline (or drop data with npm run drop), then try again`,
          );
        }
        if (local === id) return found;
        changes.add(`run ${id} → ${local} (the newest run of ${pipeline})`);
        return `${start}${local}`;
      },
    ),
  );
}

function deliveryOf(sample: unknown, wiring: StackWiring): SampleDelivery {
  const event = sample as Partial<AwsEvent> & {
    Records?: Array<{ eventSource?: string; eventSourceARN?: string; body?: string }>;
    Event?: string;
    Bucket?: string;
  };
  if (typeof event['detail-type'] === 'string' && typeof event.source === 'string') {
    if (event['detail-type'] === 'Scheduled Event' && event.source === 'aws.events') {
      const rule = (event.resources?.[0] ?? '').split('/').pop() ?? '';
      return { kind: 'schedule', rule, time: String(event.time) };
    }
    return { kind: 'event', event: event as AwsEvent };
  }
  const records = event.Records ?? [];
  if (records.length > 0 && records.every((record) => record.eventSource === 'aws:sqs')) {
    const queueArns = new Set(records.map((record) => String(record.eventSourceARN)));
    if (queueArns.size !== 1) {
      throw new SampleNotDeliverableError(
        'An SQS batch comes from one queue; this one names several',
      );
    }
    return {
      kind: 'queue',
      queueArn: [...queueArns][0] ?? '',
      bodies: records.map((record) => String(record.body)),
    };
  }
  const bucket =
    event.Event === 's3:TestEvent'
      ? event.Bucket
      : (records[0] as { s3?: { bucket?: { name?: string } } } | undefined)?.s3?.bucket?.name;
  if (bucket === undefined) {
    throw new SampleNotDeliverableError(
      'Not a sample this command knows: an EventBridge event, an SQS batch or an S3 notification',
    );
  }
  return {
    kind: 'queue',
    queueArn: uploadQueueOf(bucket, wiring),
    bodies: [JSON.stringify(sample)],
  };
}

/**
 * Where a classic notification of the bucket goes: the queue that takes its uploads (the SQS
 * target of the rule for the bucket's events), as a bucket notification to SQS would be set up.
 */
function uploadQueueOf(bucket: string, wiring: StackWiring): string {
  for (const rule of wiring.rules) {
    const names = (rule.eventPattern?.detail as { bucket?: { name?: unknown } } | undefined)?.bucket
      ?.name;
    const queue = rule.targets.find((target) => target.arn.startsWith('arn:aws:sqs:'));
    if (Array.isArray(names) && names.includes(bucket) && queue !== undefined) return queue.arn;
  }
  throw new SampleNotDeliverableError(
    `No rule of the local stack takes the events of bucket ${bucket}`,
  );
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
