// `npm run bench`: what a cold start and a big batch cost for the bundled onDataUpload.
// A script, not a test: timings depend on the machine, so they are printed, never asserted.
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { dataUploadConfigSchema } from '../../functions/config/data-upload-config';
import { planUploadStarts } from '../../functions/core/plan-upload-starts';
import type { UploadedObject } from '../../functions/core/uploaded-object';
import { readUploadNotification } from '../../functions/schemas/upload-notification';
import { packageFunction } from '../../tooling/package-function';

const LOAD_RUNS = 40;
const BATCH_SIZE = 10_000;
const DECIDE_RUNS = 15;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

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

function measureLoad(bundle: string, functionEnvironment: Record<string, string>) {
  const environment = {
    ...process.env,
    ...functionEnvironment,
    AWS_REGION: 'eu-west-1',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  const bare: number[] = [];
  const loaded: number[] = [];
  const inProcess: number[] = [];
  // Alternate the two so that machine noise hits both alike.
  for (let run = 0; run < LOAD_RUNS; run += 1) {
    bare.push(timeNode('0', environment));
    loaded.push(timeNode(`require(${JSON.stringify(bundle)})`, environment));
    inProcess.push(timeRequireInProcess(bundle, environment));
  }
  return { bare: median(bare), loaded: median(loaded), inProcess: median(inProcess) };
}

function syntheticBatch(): UploadedObject[] {
  const time = Date.UTC(2026, 10, 21, 5, 0, 0);
  return Array.from({ length: BATCH_SIZE }, (_, index) => ({
    notificationId: `msg-${index}`,
    bucket: 'mlops-control-plane-dev-data',
    // Half are part files of 10 training folders (10 folder runs), half single inference files.
    key:
      index % 2 === 0
        ? `data/training/2026-11-${String((index % 20) + 1).padStart(2, '0')}/part-${index}.csv`
        : `data/inference/2026-11-21/file-${index}.csv`,
    size: 1024,
    etag: 'e4d909c290d0fb1ca068ffaddf22cbd0',
    sequencer: index.toString(16).padStart(18, '0'),
    eventTime: new Date(time + index * 10).toISOString(),
    reason: 'PutObject',
  }));
}

function measureDecide(config: ReturnType<typeof dataUploadConfigSchema.parse>) {
  const objects = syntheticBatch();
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

function main(): void {
  const { bundle, zipBytes, environment, remove } = packageFunction('onDataUpload');
  try {
    const config = dataUploadConfigSchema.parse(JSON.parse(environment.DATA_UPLOAD_CONFIG ?? ''));
    const bundleBytes = statSync(bundle).size;
    const load = measureLoad(bundle, environment);
    const batch = measureDecide(config);
    const perObjectMicros = (ms: number) => ((ms * 1000) / BATCH_SIZE).toFixed(2);
    console.log(`onDataUpload benchmark (node ${process.version}, ${LOAD_RUNS} load runs, median)`);
    console.log(
      `  bundle                      ${(bundleBytes / 1024).toFixed(0)} KiB (zip ${(zipBytes / 1024).toFixed(0)} KiB)`,
    );
    console.log(`  node -e 0                   ${load.bare.toFixed(1)} ms`);
    console.log(`  node + require(bundle)      ${load.loaded.toFixed(1)} ms`);
    console.log(
      `  load overhead               ${(load.loaded - load.bare).toFixed(1)} ms (x${(load.loaded / load.bare).toFixed(2)} of bare node; goal <= 60 ms)`,
    );
    console.log(
      `  require(bundle) in process  ${load.inProcess.toFixed(1)} ms (the module alone, no process start)`,
    );
    console.log(
      `  decide, ${BATCH_SIZE} objects        ${batch.decide.toFixed(1)} ms = ${perObjectMicros(batch.decide)} us/object -> ${batch.starts} starts`,
    );
    console.log(
      `  parse + decide              ${batch.parseAndDecide.toFixed(1)} ms = ${perObjectMicros(batch.parseAndDecide)} us/object`,
    );
  } finally {
    remove();
  }
}

main();
