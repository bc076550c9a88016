import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ListModelPackagesCommand,
  ListPipelineExecutionsCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { readPackagedService } from '../../tooling/package-function';
import { controlClient } from '../../tooling/local/control-client';
import { type TimelineEntry, formatTimeline, playDemo } from '../../tooling/local/demo-story';
import { LOCAL_CREDENTIALS, localEndpoints } from '../../tooling/local/local-cloud';
import { isPortTaken } from '../../tooling/local/loopback-port';
import { readInbox } from '../../tooling/local/mail-inbox';
import { readStackWiring } from '../../tooling/local/stack-wiring';
import { outputOnExit, spawnScript, startLocalMode, stop } from '../support/local-mode';

describe('local mode end to end: npm start, then the demo story, headless', () => {
  const stateDirectory = mkdtempSync(join(tmpdir(), 'local-cloud-'));
  let local: Awaited<ReturnType<typeof startLocalMode>>;
  let timeline: TimelineEntry[];

  beforeAll(async () => {
    local = await startLocalMode(stateDirectory);
    const service = readPackagedService(join(stateDirectory, 'package'));
    timeline = await playDemo({
      endpoints: localEndpoints(local.settings),
      wiring: readStackWiring(service.template, {
        ...service,
        accountId: local.settings.accountId,
      }),
      region: service.region,
      timeoutMs: 20_000,
    });
  }, 120_000);

  afterAll(() => rmSync(stateDirectory, { recursive: true, force: true }));

  const entry = (step: string) => timeline.find((candidate) => candidate.step === step);
  const s3 = () =>
    new S3Client({
      region: 'eu-west-1',
      endpoint: localEndpoints(local.settings).s3,
      forcePathStyle: true,
      credentials: LOCAL_CREDENTIALS,
    });
  const sageMaker = () =>
    new SageMakerClient({
      region: 'eu-west-1',
      endpoint: localEndpoints(local.settings).sageMaker,
      credentials: LOCAL_CREDENTIALS,
    });

  it('tells the whole story in order, every step done', () => {
    expect(timeline.map((candidate) => candidate.step)).toEqual([
      'training data dropped',
      'training run',
      'model registered',
      'review e-mail',
      'approved',
      'inference data dropped',
      'scoring run',
      'data-quality violation',
      'warning e-mail',
      'model-quality violation',
      'training-hpo started',
      'guard stops a second one',
      'ignored upload explained',
    ]);
    // A fresh cloud: no guard holds anything back, every function is there.
    expect(timeline.filter((candidate) => candidate.status !== 'done')).toEqual([]);
    expect(formatTimeline(timeline)).toMatch(/^ 1 ✓ training data dropped/);
    expect(entry('ignored upload explained')?.detail).toMatch(
      /\/data\/inference\/incoming\/.+\.json: no-route; closest route inference-data wants suffix \.csv$/,
    );
  });

  const runs = async (id: string) =>
    (
      await sageMaker().send(
        new ListPipelineExecutionsCommand({ PipelineName: `mlops-control-plane-local-${id}` }),
      )
    ).PipelineExecutionSummaries ?? [];

  it('started each run once: one training run for two part files, one scoring run for one file', async () => {
    const training = await runs('training');
    expect(training.map((run) => run.PipelineExecutionStatus)).toEqual(['Succeeded']);
    expect(training[0]?.PipelineExecutionDisplayName).toMatch(/^training-data-/);
    const scoring = (await runs('batch-inference')).filter((run) =>
      run.PipelineExecutionDisplayName?.startsWith('inference-data-'),
    );
    expect(scoring.map((run) => run.PipelineExecutionStatus)).toEqual(['Succeeded']);
    expect(entry('scoring run')?.detail).toMatch(/scored with v1 \(newest approved: v1\)/);
    expect(entry('model-quality violation')?.detail).toMatch(
      /failed at ModelQualityViolation: MODEL_QUALITY_VIOLATION: metric=auc value=0\.62 threshold=0\.7$/,
    );
    expect(entry('data-quality violation')?.detail).toMatch(
      /^_c2 \(baseline_drift_check\), _c5 \(completeness_check\); report s3:\/\/.+\/CheckInputDataQuality\/constraint_violations\.json$/,
    );
  });

  it('registered version 1 for review, and the approval made it the approved one', async () => {
    const { ModelPackageSummaryList: versions = [] } = await sageMaker().send(
      new ListModelPackagesCommand({ ModelPackageGroupName: 'mlops-control-plane-local-models' }),
    );
    expect(versions[0]).toMatchObject({ ModelPackageVersion: 1, ModelApprovalStatus: 'Approved' });
    expect(entry('model registered')?.detail).toBe(
      'mlops-control-plane-local-models v1: PendingManualApproval',
    );
  });

  it('delivered each e-mail the functions sent to the inbox and kept it as an .eml file', async () => {
    const inbox = await readInbox(localEndpoints(local.settings).inbox);
    // Runs the demo started may still be e-mailing: each file is written before its e-mail is sent.
    const emlFiles = readdirSync(join(stateDirectory, 'mail'));
    expect(inbox.length).toBeGreaterThan(0);
    for (const message of inbox) {
      const id = /^([0-9a-f]{8})/.exec(message.messageId)?.[1];
      expect(emlFiles.filter((file) => file.endsWith(`-${id}.eml`)).length).toBeGreaterThan(0);
    }
    {
      const review = inbox.find((message) =>
        message.text.includes(
          'arn:aws:sagemaker:eu-west-1:000000000000:model-package/mlops-control-plane-local-models/1',
        ),
      );
      expect(review?.subject).toMatch(/mlops-control-plane-local-models/);
      expect(review?.to.map((to) => to.address)).toContain('data-scientist@mlops.local');
    }
    {
      // The report's _c2 and _c5, named as custom.mlops.dataset names them.
      const warning = inbox.find(
        (message) =>
          message.text.includes('support_calls') && message.text.includes('contract_months'),
      );
      // The news first: the count and the features, then where.
      expect(warning?.subject).toBe(
        '[local] Data drift: 2 violations (support_calls, contract_months) in scoring',
      );
    }
  });

  /** Waits until npm start has printed a line that matches. */
  async function printed(line: RegExp): Promise<string> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const found = local
        .output()
        .split('\n')
        .find((candidate) => line.test(candidate));
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`npm start printed no line like ${line}`);
      await sleep(100);
    }
  }

  /** The data bucket, as the demo named it (its name holds the account and region). */
  const dataBucket = () =>
    /s3:\/\/([^/]+)\//.exec(entry('inference data dropped')?.detail ?? '')?.[1] ?? '';

  it('shows every decision in the activity log: an upload nobody claims says why', async () => {
    const bucket = dataBucket();
    const put = (key: string) =>
      s3().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'x\n' }));
    // The upload rule takes incoming/, whose route wants .csv files: the function says why not.
    await put('data/inference/incoming/notes.txt');
    await put('data/other/x.csv');
    expect(await printed(/onDataUpload: Object ignored .*notes\.txt/)).toMatch(
      new RegExp(
        `reason: no-route; detail: no route claims s3://${bucket}/data/inference/incoming/notes\\.txt(;|$)`,
      ),
    );
    expect(await printed(/data\/other\/x\.csv: no rule matches/)).toMatch(
      new RegExp(`s3 +PutObject s3://${bucket}/data/other/x\\.csv: no rule matches$`),
    );
    expect(local.output()).not.toContain('No application metrics to publish');
  });

  it("fires the schedules over the demo's folders, which hold more than a page of one key", async () => {
    const control = controlClient(localEndpoints(local.settings).control);
    const [, year, month] =
      /data\/training\/(\d{4})-(\d\d)-/.exec(entry('training data dropped')?.detail ?? '') ?? [];
    // The 1st of the next month at noon trains on the demo's month (dayOffset -1): two part files.
    const monthly = await control.fireSchedule(
      'mlops-control-plane-local-monthly-training',
      new Date(Date.UTC(Number(year), Number(month), 1, 12)),
    );
    expect((await control.settledDeliveries(monthly.id)).map((d) => d.status)).toEqual([
      'delivered',
    ]);
    expect((await runs('training')).map((run) => run.PipelineExecutionDisplayName)).toContainEqual(
      expect.stringMatching(/^monthly-training-/),
    );
    // Two files in a day folder, then the daily run the morning after (dayOffset -1).
    const day = `${year}-${month}-15`;
    for (const store of ['store-43', 'store-44']) {
      await s3().send(
        new PutObjectCommand({
          Bucket: dataBucket(),
          Key: `data/inference/${day}/${store}.csv`,
          Body: '0.1,0.2,0.3,0.4,0.5\n',
        }),
      );
    }
    const daily = await control.fireSchedule(
      'mlops-control-plane-local-daily-scoring',
      new Date(`${year}-${month}-16T06:00:00Z`),
    );
    expect((await control.settledDeliveries(daily.id)).map((d) => d.status)).toEqual(['delivered']);
  }, 30_000);

  it('the demo again on the used cloud: retraining held back by the cooldown, says so, exits 1', async () => {
    const { code, output } = await outputOnExit(spawnScript('demo', local.environment));
    const timeline = output.slice(output.lastIndexOf('Timeline\n'));
    expect(timeline).toMatch(/^ 1 ✓ training data dropped/m);
    expect(timeline).toMatch(/^10 ✓ model-quality violation/m);
    expect(timeline).toMatch(
      /^11 – training-hpo started +held back: Nothing for now: retraining was not started because mlops-control-plane-local-training-hpo was started at \S+, within the 6 h cooldown\. A trigger from \S+ on starts one\.$/m,
    );
    expect(timeline).toMatch(/^12 – guard stops a second one +held back: /m);
    expect(timeline).not.toContain('not yet built');
    expect(timeline).toContain(
      'stop npm start (Ctrl-C), then npm run local:reset, npm start and npm run demo',
    );
    expect(code).toBe(1);
  }, 120_000);

  it('shuts down on SIGTERM and leaves no process and no port behind', async () => {
    const { child } = local;
    expect(await stop(child)).toBe(0);
    expect(() => process.kill(child.pid ?? 0, 0)).toThrow();
    for (const port of Object.values(local.settings.ports)) {
      expect(await isPortTaken(port)).toBe(false);
    }
  });
});
