// `npm run bench`: what a cold start costs for each bundled function, and a big batch for
// onDataUpload. A script, not a test: timings depend on the machine, so they are printed, never
// asserted.
import { execSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { dataUploadConfigSchema } from '../../functions/config/data-upload-config';
import { planUploadStarts } from '../../functions/core/plan-upload-starts';
import type { UploadedObject } from '../../functions/core/uploaded-object';
import { readUploadNotification } from '../../functions/schemas/upload-notification';
import { type PackagedFunction, packageFunctions } from '../../tooling/package-function';
import { median } from './median';

const LOAD_RUNS = 30;
const BATCH_SIZE = 10_000;
const DECIDE_RUNS = 15;

/** Wall time of a fresh `node` process running `script`, in milliseconds. */
function timeNode(script: string, environment: NodeJS.ProcessEnv): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, ['-e', script], { env: environment, stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`node -e ${script} exited with ${result.status}`);
  return performance.now() - started;
}

/** The module's own load inside a running node, free of process start-up noise (ms). */
function timeRequireInProcess(bundle: string, environment: NodeJS.ProcessEnv): number {
  const script = `const t = performance.now(); require(${JSON.stringify(bundle)}); process.stdout.write(String(performance.now() - t));`;
  const result = spawnSync(process.execPath, ['-e', script], {
    env: environment,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`loading ${bundle} failed: ${result.stderr}`);
  return Number(result.stdout);
}

function environmentOf(fn: PackagedFunction): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...fn.environment,
    AWS_REGION: 'eu-west-1',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

interface LoadTimes {
  readonly loaded: number;
  readonly inProcess: number;
}

/**
 * Bare node and every function's load, alternated round by round so that machine noise hits all
 * alike; medians.
 */
function measureLoads(functions: readonly PackagedFunction[]) {
  const bare: number[] = [];
  const loaded = functions.map(() => [] as number[]);
  const inProcess = functions.map(() => [] as number[]);
  for (let run = 0; run < LOAD_RUNS; run += 1) {
    bare.push(timeNode('0', environmentOf(functions[0]!)));
    functions.forEach((fn, index) => {
      const environment = environmentOf(fn);
      loaded[index]!.push(timeNode(`require(${JSON.stringify(fn.bundle)})`, environment));
      inProcess[index]!.push(timeRequireInProcess(fn.bundle, environment));
    });
  }
  return {
    bare: median(bare),
    functions: functions.map((_, index): LoadTimes => ({
      loaded: median(loaded[index]!),
      inProcess: median(inProcess[index]!),
    })),
  };
}

/** Uploads to the deployed bucket (its name holds the account and region), as its routes see them. */
function syntheticBatch(bucket: string): UploadedObject[] {
  const time = Date.UTC(2026, 10, 21, 5, 0, 0);
  return Array.from({ length: BATCH_SIZE }, (_, index) => ({
    notificationId: `msg-${index}`,
    bucket,
    // Half are part files of 10 training folders (10 folder runs), half single inference files.
    key:
      index % 2 === 0
        ? `data/training/2026-11-${String((index % 20) + 1).padStart(2, '0')}/part-${index}.csv`
        : `data/inference/incoming/2026-11-21/file-${index}.csv`,
    size: 1024,
    etag: 'e4d909c290d0fb1ca068ffaddf22cbd0',
    sequencer: index.toString(16).padStart(18, '0'),
    eventTime: new Date(time + index * 10).toISOString(),
    reason: 'PutObject',
  }));
}

function measureDecide(config: ReturnType<typeof dataUploadConfigSchema.parse>) {
  const objects = syntheticBatch(config.routes[0]?.bucket ?? '');
  const events = objects.map((object) => ({
    version: '0',
    id: object.notificationId,
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account: '123456789012',
    time: object.eventTime.replace(/\.\d+Z$/, 'Z'),
    region: 'eu-west-1',
    resources: [],
    detail: {
      bucket: { name: object.bucket },
      object: { key: object.key, size: 1024, sequencer: object.sequencer },
      reason: 'PutObject',
    },
  }));
  const decide: number[] = [];
  const parseAndDecide: number[] = [];
  let starts = 0;
  for (let run = 0; run < DECIDE_RUNS; run += 1) {
    let started = performance.now();
    starts = planUploadStarts(objects, config.routes).starts.length;
    decide.push(performance.now() - started);
    started = performance.now();
    const parsed = events.flatMap((event) => readUploadNotification(event, event.id).objects);
    planUploadStarts(parsed, config.routes);
    parseAndDecide.push(performance.now() - started);
  }
  return { decide: median(decide), parseAndDecide: median(parseAndDecide), starts };
}

/**
 * The service as it was at a git revision, in a temporary folder that borrows this checkout's
 * node_modules (a superset of what the revision needs), ready to package.
 */
function checkoutOf(revision: string): { readonly root: string; readonly remove: () => void } {
  const repository = join(__dirname, '..', '..');
  const root = mkdtempSync(join(tmpdir(), 'bench-baseline-'));
  execSync(
    `git -C ${JSON.stringify(repository)} archive ${revision} | tar -x -C ${JSON.stringify(root)}`,
  );
  symlinkSync(join(repository, 'node_modules'), join(root, 'node_modules'));
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}

function printLoads(
  title: string,
  functions: readonly PackagedFunction[],
  loads: ReturnType<typeof measureLoads>,
  baseline?: { functions: readonly PackagedFunction[]; loads: LoadTimes[] },
): void {
  console.log(title);
  console.log(`  node -e 0: ${loads.bare.toFixed(1)} ms`);
  console.log(
    `  function                   bundle KiB  zip KiB  node+require ms  overhead ms  require in process ms${baseline ? '  vs baseline (node+require, in process)' : ''}`,
  );
  functions.forEach((fn, index) => {
    const load = loads.functions[index]!;
    const before = baseline?.loads[baseline.functions.findIndex((other) => other.name === fn.name)];
    const ratio = (now: number, then: number) =>
      `${now >= then ? '+' : ''}${(((now - then) / then) * 100).toFixed(1)}%`;
    console.log(
      `  ${fn.name.padEnd(26)} ${(statSync(fn.bundle).size / 1024).toFixed(0).padStart(10)}  ${(fn.zipBytes / 1024).toFixed(0).padStart(7)}  ${load.loaded.toFixed(1).padStart(15)}  ${(load.loaded - loads.bare).toFixed(1).padStart(11)}  ${load.inProcess.toFixed(1).padStart(21)}${before ? `  ${ratio(load.loaded, before.loaded)}, ${ratio(load.inProcess, before.inProcess)}` : ''}`,
    );
  });
  console.log('  (goal: load overhead <= 60 ms on a quiet machine)');
}

/** `npm run bench [-- --against <git revision>]`: the second form measures both, interleaved. */
function main(): void {
  const againstIndex = process.argv.indexOf('--against');
  const revision = againstIndex === -1 ? undefined : process.argv[againstIndex + 1];
  const current = packageFunctions();
  const checkout = revision === undefined ? undefined : checkoutOf(revision);
  const baseline = checkout === undefined ? undefined : packageFunctions('dev', checkout.root);
  try {
    const { functions } = current;
    const upload = functions.find((fn) => fn.name === 'onDataUpload');
    if (upload === undefined) throw new Error('The stack has no onDataUpload function');
    const config = dataUploadConfigSchema.parse(
      JSON.parse(upload.environment.DATA_UPLOAD_CONFIG ?? ''),
    );
    // Both revisions in the same rounds: a busy machine slows both alike.
    const loads = measureLoads([...functions, ...(baseline?.functions ?? [])]);
    const own = { bare: loads.bare, functions: loads.functions.slice(0, functions.length) };
    const batch = measureDecide(config);
    const perObjectMicros = (ms: number) => ((ms * 1000) / BATCH_SIZE).toFixed(2);
    if (baseline !== undefined) {
      printLoads(`Cold start at ${revision} (baseline)`, baseline.functions, {
        bare: loads.bare,
        functions: loads.functions.slice(functions.length),
      });
    }
    printLoads(
      `Cold start (node ${process.version}, ${LOAD_RUNS} alternating runs, medians)`,
      functions,
      own,
      baseline && { functions: baseline.functions, loads: loads.functions.slice(functions.length) },
    );
    console.log(`onDataUpload decisions`);
    console.log(
      `  decide, ${BATCH_SIZE} objects        ${batch.decide.toFixed(1)} ms = ${perObjectMicros(batch.decide)} us/object -> ${batch.starts} starts`,
    );
    console.log(
      `  parse + decide              ${batch.parseAndDecide.toFixed(1)} ms = ${perObjectMicros(batch.parseAndDecide)} us/object`,
    );
  } finally {
    current.remove();
    baseline?.remove();
    checkout?.remove();
  }
}

main();
