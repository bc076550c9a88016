// `npm run bench` (after functions.bench.ts: every function's cold start, onDataUpload's decide):
// what the SDK's retry quota does in a burst, and how a throttled burst of uploads gets through the
// packaged function (`--compare` also measures other retry settings, for many minutes).
// A script, not a test: timings depend on the machine, so they are printed, never asserted.
import {
  type DataUploadConfig,
  dataUploadConfigSchema,
} from '../../functions/config/data-upload-config';
import { type PackagedFunction, packageFunctions } from '../../tooling/package-function';
import { startLocalDynamoDb } from '../../tooling/local/dynamodb-endpoint';
import { startLocalEventBridge } from '../../tooling/local/eventbridge-endpoint';
import { freeLoopbackPort } from '../../tooling/local/loopback-port';
import type { StackWiring } from '../../tooling/local/stack-wiring';

type PackagedUpload = PackagedFunction & { readonly wiring: StackWiring };
import { measureRetryQuota } from './retry-quota';
import {
  type BufferSettings,
  type BurstResult,
  type BurstScenario,
  runThrottledBurst,
} from './throttled-burst';

// The issue's figure: 1,000 distinct uploads while 30% of starts are throttled and 5% fail with a
// 500; a few calls also hang (their run starts, the reply does not come in time).
const ISSUE_FIGURE: BurstScenario = {
  uploads: 1_000,
  throttledShare: 0.3,
  serverErrorShare: 0.05,
  stalledShare: 0.002,
  stallMs: 90_000,
  seed: 20261121,
};

// Closer to the service: SageMaker throttles what exceeds an account's rate (10 starts/s here),
// whatever share of the calls that is.
const RATE_LIMITED: BurstScenario = {
  ...ISSUE_FIGURE,
  throttledShare: 0,
  rateLimit: { perSecond: 10, burst: 20 },
};

/**
 * Other settings, measured with `--compare` on both scenarios; the first is what the stack
 * deployed before. Adaptive mode on the issue's figure takes many minutes: that is the finding.
 */
const COMPARED: ReadonlyArray<{
  readonly sageMaker: Pick<DataUploadConfig['sageMaker'], 'retryMode' | 'maxAttempts'>;
  readonly maxConcurrentStarts: number;
}> = [
  { sageMaker: { retryMode: 'adaptive', maxAttempts: 5 }, maxConcurrentStarts: 4 },
  { sageMaker: { retryMode: 'adaptive', maxAttempts: 8 }, maxConcurrentStarts: 32 },
  { sageMaker: { retryMode: 'standard', maxAttempts: 8 }, maxConcurrentStarts: 16 },
  { sageMaker: { retryMode: 'standard', maxAttempts: 3 }, maxConcurrentStarts: 32 },
];

function bufferSettings({ environment, wiring }: PackagedUpload): BufferSettings {
  const fn = wiring.functions.find(
    (candidate) => candidate.logicalId === 'OnDataUploadLambdaFunction',
  );
  const source = wiring.queueEventSources.find(
    (candidate) => candidate.functionName === fn?.name || candidate.functionName === fn?.arn,
  );
  const queue = wiring.queues.find((candidate) => candidate.arn === source?.queueArn);
  if (fn === undefined || source === undefined || queue?.redrive === undefined) {
    throw new Error('The template has no onDataUpload fed by a queue with a redrive policy');
  }
  return {
    bufferArn: queue.arn,
    bufferUrl: environment.UPLOAD_BUFFER_URL ?? '',
    deadLetterQueueUrl: environment.UPLOAD_DEAD_LETTER_QUEUE_URL ?? '',
    visibilityTimeoutSeconds: queue.visibilityTimeoutSeconds,
    maxReceiveCount: queue.redrive.maxReceiveCount,
    batchSize: source.batchSize,
    batchingWindowSeconds: source.batchingWindowSeconds,
    functionTimeoutSeconds: fn.timeoutSeconds,
  };
}

/**
 * Loads the bundle afresh (a cold start, with new SDK clients and a full retry quota) with its
 * template environment, the local endpoints, and optionally another configuration.
 */
function loadBundle(
  { bundle, environment }: PackagedFunction,
  endpoints: { sageMaker: string; sqs: string },
  config?: DataUploadConfig,
) {
  Object.assign(process.env, environment, {
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_ENDPOINT_URL_SAGEMAKER: endpoints.sageMaker,
    AWS_ENDPOINT_URL_SQS: endpoints.sqs,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
    ...(config === undefined ? {} : { DATA_UPLOAD_CONFIG: JSON.stringify(config) }),
  });
  delete require.cache[bundle];
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the bundle is CommonJS, loaded at run time
  return (require(bundle) as { handler: (event: unknown, context: unknown) => Promise<unknown> })
    .handler;
}

function describeSettings(config: DataUploadConfig): string {
  const { retryMode, maxAttempts, requestTimeoutMs } = config.sageMaker;
  return `${retryMode}, ${maxAttempts} attempts, ${config.maxConcurrentStarts} parallel, request timeout ${requestTimeoutMs} ms`;
}

function describeScenario(scenario: BurstScenario, buffer: BufferSettings): string {
  const throttling =
    scenario.rateLimit === undefined
      ? `${scenario.throttledShare * 100}% throttled`
      : `throttled above ${scenario.rateLimit.perSecond} starts/s (burst ${scenario.rateLimit.burst})`;
  return `${scenario.uploads} uploads, ${throttling}, ${scenario.serverErrorShare * 100}% HTTP 500, ${scenario.stalledShare * 100}% stalled ${scenario.stallMs / 1000} s (seed ${scenario.seed}); function timeout ${buffer.functionTimeoutSeconds} s, visibility ${buffer.visibilityTimeoutSeconds} s, maxReceiveCount ${buffer.maxReceiveCount}`;
}

function printBurst(settings: string, result: BurstResult): void {
  const invocations = result.perInvocation
    .map(
      (invocation) =>
        `${invocation.records}->${invocation.failed} in ${invocation.seconds.toFixed(1)} s`,
    )
    .join(', ');
  console.log(`  ${settings}`);
  console.log(
    `    uploads ${result.uploads}, started ${result.uploadsStarted} (runs ${result.runsStarted}, duplicates ${result.duplicateRuns}), dead letters ${result.deadLetters}`,
  );
  console.log(
    `    invocations ${result.invocations} (timeouts ${result.invocationTimeouts}), handed back ${result.redelivered} (requeued ${result.requeued}), StartPipelineExecution calls ${result.startRequests}`,
  );
  console.log(
    `    simulated ${result.simulatedSeconds.toFixed(1)} s, wall ${result.wallSeconds.toFixed(1)} s; per invocation (messages -> handed back): ${invocations}`,
  );
}

async function measureRetryQuotas(deployed: DataUploadConfig): Promise<void> {
  const settings = {
    starts: ISSUE_FIGURE.uploads,
    parallel: deployed.maxConcurrentStarts,
    maxAttempts: deployed.sageMaker.maxAttempts,
    throttledShare: ISSUE_FIGURE.throttledShare,
    serverErrorShare: ISSUE_FIGURE.serverErrorShare,
    seed: ISSUE_FIGURE.seed,
  };
  console.log(
    `Retry quota: ${settings.starts} starts through one client, ${settings.parallel} at a time, ${settings.maxAttempts} attempts, ${settings.throttledShare * 100}% throttled, ${settings.serverErrorShare * 100}% HTTP 500`,
  );
  for (const run of await measureRetryQuota(settings)) {
    console.log(
      `  ${run.strategy.padEnd(26)} ${run.seconds.toFixed(1)} s, ${run.failed} failed (${run.refusedByQuota} refused by the quota, without back-off), quota left ${run.quotaLeft} of 500, ${run.requests} calls`,
    );
  }
}

async function measureBursts(packaged: PackagedUpload, compare: boolean): Promise<void> {
  const deployed = dataUploadConfigSchema.parse(
    JSON.parse(packaged.environment.DATA_UPLOAD_CONFIG ?? ''),
  );
  await measureRetryQuotas(deployed);
  const buffer = bufferSettings(packaged);
  for (const scenario of [ISSUE_FIGURE, RATE_LIMITED]) {
    console.log(`Burst: ${describeScenario(scenario, buffer)}`);
    printBurst(
      `deployed: ${describeSettings(deployed)}`,
      await runThrottledBurst(deployed, buffer, scenario, (endpoints) =>
        loadBundle(packaged, endpoints),
      ),
    );
    if (!compare) continue;
    for (const variant of COMPARED) {
      const config = {
        ...deployed,
        sageMaker: { ...deployed.sageMaker, ...variant.sageMaker },
        maxConcurrentStarts: variant.maxConcurrentStarts,
      };
      printBurst(
        describeSettings(config),
        await runThrottledBurst(config, buffer, scenario, (endpoints) =>
          loadBundle(packaged, endpoints, config),
        ),
      );
    }
  }
}

async function startLedger(wiring: StackWiring) {
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const quiet = () => undefined;
  const dynamoDb = await startLocalDynamoDb({
    port: await freeLoopbackPort(),
    tables: wiring.tables,
    region: 'eu-west-1',
    credentials,
    log: quiet,
  });
  const eventBridge = await startLocalEventBridge({
    port: await freeLoopbackPort(),
    region: 'eu-west-1',
    accountId: '000000000000',
    publish: quiet,
    rules: { setRuleEnabled: () => false, describeRule: () => undefined },
    log: quiet,
  });
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: dynamoDb.url,
    AWS_ENDPOINT_URL_EVENTBRIDGE: eventBridge.url,
  });
  return { close: () => Promise.all([dynamoDb.close(), eventBridge.close()]) };
}

async function main(): Promise<void> {
  // The SDK's Node 20 notice would interleave with the figures.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const { functions, wiring, remove } = packageFunctions();
  try {
    const upload = functions.find((fn) => fn.name === 'onDataUpload');
    if (upload === undefined) throw new Error('The package has no onDataUpload');
    // The function records its decisions in the ledger at each invocation's end: a dynalite
    // table from the template, and an EventBridge endpoint that takes the decision events.
    const ledger = await startLedger(wiring);
    try {
      await measureBursts({ ...upload, wiring }, process.argv.includes('--compare'));
    } finally {
      await ledger.close();
    }
  } finally {
    remove();
  }
}

void main();
