import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  DescribeModelPackageCommand,
  ListModelPackagesCommand,
  ListPipelineExecutionsCommand,
  SageMakerClient,
  UpdateModelPackageCommand,
} from '@aws-sdk/client-sagemaker';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { BUCKET as FIXTURE_BUCKET, eventBridgeObjectCreated } from '../support/upload-fixtures';
import { runMlops } from '../../functions/cli/main';
import type { StatusReport } from '../../functions/cli/status-report';
import { controlClient } from '../../tooling/local/control-client';
import { LOCAL_CREDENTIALS, localEndpoints } from '../../tooling/local/local-cloud';
import { readInbox } from '../../tooling/local/mail-inbox';
import { outputOnExit, startLocalMode, stop } from '../support/local-mode';
import { spawn } from 'node:child_process';

const BUCKET = 'mlops-control-plane-local-data-000000000000-eu-west-1';
const SCORING = 'mlops-control-plane-local-batch-inference';
const GROUP = 'mlops-control-plane-local-models';
const UPLOAD_DLQ = 'mlops-control-plane-local-data-upload-dlq';
const NOTIFICATIONS_DLQ = 'mlops-control-plane-local-notifications-dlq';

describe('mlops --local against npm start', () => {
  const stateDirectory = mkdtempSync(join(tmpdir(), 'mlops-cli-'));
  let local: Awaited<ReturnType<typeof startLocalMode>>;
  let s3: S3Client;
  let sageMaker: SageMakerClient;
  let sqs: SQSClient;

  /** Runs `mlops --local ...` in process; its exit code and what it printed. */
  async function mlops(...args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const exitCode = await runMlops(['node', 'mlops', '--local', ...args], local.environment, {
      out: (text) => out.push(text),
      err: (text) => err.push(text),
    });
    return { exitCode, out: out.join('\n'), err: err.join('\n') };
  }

  async function mlopsJson<T>(...args: string[]): Promise<T> {
    const { exitCode, out, err } = await mlops(...args, '--json');
    if (exitCode !== 0) throw new Error(`mlops ${args.join(' ')} exited ${exitCode}: ${err}`);
    return JSON.parse(out) as T;
  }

  async function scoringRuns(): Promise<number> {
    const output = await sageMaker.send(
      new ListPipelineExecutionsCommand({ PipelineName: SCORING, MaxResults: 100 }),
    );
    return output.PipelineExecutionSummaries?.length ?? 0;
  }

  async function until<T>(what: string, read: () => Promise<T | undefined>): Promise<T> {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const value = await read();
      if (value !== undefined) return value;
      await sleep(300);
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  let registered: Promise<string> | undefined;
  /** The first model version: a trigger-file upload trains and registers it (once per suite). */
  function firstModelVersion(): Promise<string> {
    registered ??= (async () => {
      for (const key of ['data/curated/2026-10/part-0.csv', 'data/curated/2026-10/_SUCCESS']) {
        await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: '1,2,3\n' }));
      }
      return until('a registered model version', async () => {
        const output = await sageMaker.send(
          new ListModelPackagesCommand({ ModelPackageGroupName: GROUP }),
        );
        return output.ModelPackageSummaryList?.[0]?.ModelPackageArn;
      });
    })();
    return registered;
  }

  beforeAll(async () => {
    local = await startLocalMode(stateDirectory);
    const endpoints = localEndpoints(local.settings);
    const common = { region: 'eu-west-1', credentials: LOCAL_CREDENTIALS };
    s3 = new S3Client({ ...common, endpoint: endpoints.s3, forcePathStyle: true });
    sageMaker = new SageMakerClient({ ...common, endpoint: endpoints.sageMaker });
    sqs = new SQSClient({ ...common, endpoint: endpoints.sqs, useQueueUrlAsEndpoint: false });
  }, 90_000);

  afterAll(async () => {
    s3?.destroy();
    sageMaker?.destroy();
    sqs?.destroy();
    if (local !== undefined) await stop(local.child);
    rmSync(stateDirectory, { recursive: true, force: true });
    // Stopping lets the runs under way (the backfill's) finish first.
  }, 90_000);

  it('why explains a routed, an ignored and a never-seen key', async () => {
    const routed = `data/inference/incoming/why-${Date.now()}.csv`;
    const ignored = `data/inference/incoming/why-${Date.now()}.json`;
    for (const key of [routed, ignored]) {
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'a,b\n' }));
    }
    const started = await until('the routed key to be recorded', async () => {
      const answer = await mlopsJson<{ outcome: string; verdict: string }>(
        'why',
        `s3://${BUCKET}/${routed}`,
      );
      return answer.outcome === 'started' ? answer : undefined;
    });
    expect(started.verdict).toMatch(
      /route inference-data started mlops-control-plane-local-batch-inference/,
    );
    const passedOver = await until('the ignored key to be recorded', async () => {
      const answer = await mlopsJson<{ outcome: string; verdict: string }>(
        'why',
        `s3://${BUCKET}/${ignored}`,
      );
      return answer.outcome === 'ignored' ? answer : undefined;
    });
    expect(passedOver.verdict).toMatch(/no-route.*closest route inference-data wants suffix \.csv/);
    const neverSeen = await mlops('why', `s3://${BUCKET}/data/elsewhere/never.csv`);
    expect(neverSeen.exitCode).toBe(0);
    expect(neverSeen.out).toMatch(/ledger {4}no record/);
    expect(neverSeen.out).toMatch(/the object does not exist, so it was never uploaded/);
  }, 60_000);

  it('a paused schedule does not fire; resumed, it does again', async () => {
    const control = controlClient(`http://127.0.0.1:${local.settings.ports.control}`);
    const paused = await mlopsJson<{ schedules: Array<{ name: string; enabled: boolean }> }>(
      'schedules',
      'pause',
      'daily-scoring',
    );
    expect(paused.schedules).toEqual([
      expect.objectContaining({ name: 'daily-scoring', enabled: false }),
    ]);
    await expect(control.fireSchedule('ScheduleDailyScoringRule')).rejects.toThrow(
      /No enabled scheduled rule/,
    );
    const listed = await mlopsJson<{ schedules: Array<{ name: string; enabled: boolean }> }>(
      'schedules',
      'list',
    );
    expect(listed.schedules.map((s) => [s.name, s.enabled])).toEqual([
      ['monthly-training', true],
      ['daily-scoring', false],
    ]);
    await mlopsJson('schedules', 'resume', 'daily-scoring');
    await expect(control.fireSchedule('ScheduleDailyScoringRule')).resolves.toHaveProperty('id');
    const unknown = await mlops('schedules', 'pause', 'nightly');
    expect(unknown).toMatchObject({
      exitCode: 2,
      err: expect.stringMatching(/No schedule nightly/),
    });
  }, 30_000);

  it('status shows the runs, the version waiting for review, the dead letters and the decisions', async () => {
    const arn = await firstModelVersion();
    const control = controlClient(`http://127.0.0.1:${local.settings.ports.control}`);
    await control.sendToQueue(NOTIFICATIONS_DLQ, '{"parked":true}');
    const status = await mlopsJson<StatusReport>('status');
    const training = status.pipelines.find((pipeline) => pipeline.pipeline === 'training');
    expect([...(training?.executing ?? []), training?.lastFinished]).toContainEqual(
      expect.objectContaining({ trigger: 'upload, route curated-training-data' }),
    );
    expect(status.pendingVersions).toEqual([
      expect.objectContaining({ arn, version: 1, approvalStatus: 'PendingManualApproval' }),
    ]);
    expect(status.deadLetterQueues).toEqual([
      { queue: 'DataUploadDeadLetterQueue', waiting: 0, inFlight: 0 },
      { queue: 'NotificationsDeadLetterQueue', waiting: 1, inFlight: 0 },
      { queue: 'MonitoringDeadLetterQueue', waiting: 0, inFlight: 0 },
    ]);
    expect(status.schedules.map((schedule) => schedule.name)).toEqual([
      'monthly-training',
      'daily-scoring',
    ]);
    expect(status.decisions).toContainEqual(
      expect.objectContaining({
        decision: 'run-requested',
        pipeline: 'mlops-control-plane-local-training',
      }),
    );
    const text = await mlops('status');
    expect(text.exitCode).toBe(0);
    expect(text.out).toMatch(/^mlops-control-plane-local at /);
    expect(text.out).toMatch(/v1 registered \d+[smh] ago: mlops approve 1 --reason/);
  }, 90_000);

  it('approve marks a pending version with who and why; the stack e-mails the confirmation', async () => {
    const arn = await firstModelVersion();
    const refusedWithout = await mlops('reject', '1');
    expect(refusedWithout).toMatchObject({
      exitCode: 2,
      err: expect.stringMatching(/--reason is required/),
    });
    const otherGroup = await mlops(
      'approve',
      'arn:aws:sagemaker:eu-west-1:000000000000:model-package/someone-elses-models/1',
      '--reason',
      'looks fine',
    );
    expect(otherGroup).toMatchObject({
      exitCode: 2,
      err: expect.stringMatching(/group someone-elses-models, not of this stack's group/),
    });
    const before = await sageMaker.send(new DescribeModelPackageCommand({ ModelPackageName: arn }));
    expect(before.ModelApprovalStatus).toBe('PendingManualApproval');

    const approved = await mlopsJson<{ status: string; approvalDescription: string }>(
      'approve',
      '1',
      '--reason',
      'beats the baseline on auc',
    );
    const description =
      'Approved by arn:aws:iam::000000000000:user/local-operator: beats the baseline on auc';
    expect(approved).toMatchObject({ status: 'Approved', approvalDescription: description });
    const after = await sageMaker.send(new DescribeModelPackageCommand({ ModelPackageName: arn }));
    expect(after).toMatchObject({
      ModelApprovalStatus: 'Approved',
      ApprovalDescription: description,
    });
    const confirmation = await until('the confirmation e-mail', async () =>
      (await readInbox(localEndpoints(local.settings).inbox)).find(
        (message) => message.subject === `[local] Approved: model ${GROUP} v1`,
      ),
    );
    // The e-mail wraps its lines.
    expect(confirmation.text.replace(/\s+/g, ' ')).toContain(description);
  }, 90_000);

  it('a backfill of 5 days starts 5 runs, and a second one starts none', async () => {
    // Scoring needs an approved model (the approve test may have approved it already).
    const version = await firstModelVersion();
    await sageMaker.send(
      new UpdateModelPackageCommand({ ModelPackageArn: version, ModelApprovalStatus: 'Approved' }),
    );
    for (const day of ['17', '18', '19', '20', '21']) {
      await s3.send(
        new PutObjectCommand({
          Bucket: BUCKET,
          Key: `data/inference/2026-10-${day}/x.csv`,
          Body: '1,2\n',
        }),
      );
    }
    const backfillFiveDays = () =>
      mlopsJson<{ totals: Record<string, number> }>(
        'backfill',
        'daily-scoring',
        '--from',
        '2026-10-18',
        '--to',
        '2026-10-22',
      );
    const before = await scoringRuns();
    const startedAt = Date.now();
    const first = await backfillFiveDays();
    const firstMs = Date.now() - startedAt;
    expect(first.totals).toEqual({ started: 5, 'would-start': 0, 'already-ran': 0, skipped: 0 });
    expect(await scoringRuns()).toBe(before + 5);
    const second = await backfillFiveDays();
    expect(second.totals).toEqual({ started: 0, 'would-start': 0, 'already-ran': 5, skipped: 0 });
    expect(await scoringRuns()).toBe(before + 5);
    console.log(`backfill of 5 days: ${firstMs} ms`);
  }, 90_000);

  it('a dead-lettered upload replayed starts its run once, and replayed again still once', async () => {
    const control = controlClient(`http://127.0.0.1:${local.settings.ports.control}`);
    const key = `data/inference/incoming/replayed-${Date.now()}.csv`;
    // The upload's event as EventBridge hands it to the buffer, in the local stack's bucket and
    // account; it never reached onDataUpload.
    const deadLetter = JSON.stringify(eventBridgeObjectCreated(key, { id: randomUUID() }))
      .replaceAll(FIXTURE_BUCKET, BUCKET)
      .replaceAll('123456789012', '000000000000');
    const displayName = `inference-data-${key.split('/').pop()?.replace(/\W/g, '-')}`;
    const runsOfKey = async () =>
      (
        await sageMaker.send(
          new ListPipelineExecutionsCommand({ PipelineName: SCORING, MaxResults: 100 }),
        )
      ).PipelineExecutionSummaries?.filter((run) =>
        run.PipelineExecutionDisplayName?.startsWith(displayName),
      ).length ?? 0;
    const bufferDrained = () =>
      until('the upload buffer to be drained', async () => {
        const { Attributes: counts = {} } = await sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: `https://sqs.eu-west-1.amazonaws.com/000000000000/mlops-control-plane-local-data-upload-buffer`,
            AttributeNames: [
              'ApproximateNumberOfMessages',
              'ApproximateNumberOfMessagesNotVisible',
            ],
          }),
        );
        return counts.ApproximateNumberOfMessages === '0' &&
          counts.ApproximateNumberOfMessagesNotVisible === '0'
          ? true
          : undefined;
      });

    await control.sendToQueue(UPLOAD_DLQ, deadLetter);
    const dryRun = await mlopsJson<{ waiting: number; moved: number }>(
      'replay',
      'uploads',
      '--dry-run',
    );
    expect(dryRun).toMatchObject({ waiting: 1, moved: 0 });
    const replayed = await mlops('replay', 'uploads', '--rate', '10');
    expect(replayed.exitCode).toBe(0);
    expect(replayed.out).toMatch(
      /^uploads: 1 of 1 message\(s\) moved to mlops-control-plane-local-data-upload-buffer \(COMPLETED\)\.$/m,
    );
    await until('the replayed upload to start its run', async () =>
      (await runsOfKey()) === 1 ? true : undefined,
    );

    // The same upload dead-lettered again (a second delivery) and replayed: no second run.
    await control.sendToQueue(UPLOAD_DLQ, deadLetter);
    const again = await mlopsJson<{ moved: number; left: number }>('replay', 'uploads');
    expect(again).toMatchObject({ moved: 1, left: 0 });
    await bufferDrained();
    expect(await runsOfKey()).toBe(1);
    const nothing = await mlopsJson<{ moved: number; waiting: number }>('replay', 'uploads');
    expect(nothing).toMatchObject({ moved: 0, waiting: 0 });
    const badRate = await mlops('replay', 'uploads', '--rate', '501');
    expect(badRate).toMatchObject({
      exitCode: 2,
      err: expect.stringMatching(/--rate 501 must be/),
    });
    const countedMove = await mlops('replay', 'uploads', '--max', '10');
    expect(countedMove).toMatchObject({
      exitCode: 2,
      err: expect.stringMatching(/pace it with --rate/),
    });
  }, 90_000);

  it('a notification Lambda gave up on is replayed to its function, and e-mails once', async () => {
    const control = controlClient(`http://127.0.0.1:${local.settings.ports.control}`);
    await firstModelVersion();
    const training = await sageMaker.send(
      new ListPipelineExecutionsCommand({ PipelineName: 'mlops-control-plane-local-training' }),
    );
    const executionArn = String(training.PipelineExecutionSummaries?.[0]?.PipelineExecutionArn);
    // Lambda's on-failure record of the run's "Failed" event, as the stack's destination gets it.
    const failed = JSON.parse(
      readFileSync(join(__dirname, '../../events/pipeline-execution-failed.json'), 'utf8')
        .replace(/arn:aws:sagemaker:[^"]*\/execution\/f4q8s1u5w9y2/g, executionArn)
        .replaceAll('-dev-', '-local-')
        .replaceAll('123456789012', '000000000000'),
    ) as Record<string, unknown>;
    const record = JSON.stringify({
      version: '1.0',
      timestamp: new Date().toISOString(),
      requestContext: {
        requestId: randomUUID(),
        functionArn:
          'arn:aws:lambda:eu-west-1:000000000000:function:mlops-control-plane-local-onPipelineStatusChange:$LATEST',
        condition: 'RetriesExhausted',
        approximateInvokeCount: 3,
      },
      requestPayload: { ...failed, id: randomUUID() },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorType: 'Error', errorMessage: 'SNS was throttled' },
    });
    // One e-mail, whoever it went to: SNS gives it one message id.
    const failureEmails = async () =>
      new Set(
        (await readInbox(localEndpoints(local.settings).inbox))
          .filter((message) => message.subject.startsWith('[local] Training failed: '))
          .map((message) => message.messageId),
      ).size;
    type Replay = { letters: Array<{ outcome: string; functionName?: string; why: string }> };
    const replayedToFunction = {
      outcome: 'replayed',
      functionName: 'mlops-control-plane-local-onPipelineStatusChange',
      why: 'Lambda gave up (RetriesExhausted): SNS was throttled',
    };
    const before = await failureEmails();

    await control.sendToQueue(NOTIFICATIONS_DLQ, record);
    const dryRun = await mlopsJson<Replay>('replay', 'notifications', '--dry-run');
    expect(dryRun.letters).toContainEqual({
      ...replayedToFunction,
      outcome: 'would-replay',
      messageId: expect.any(String),
    });
    expect(await failureEmails()).toBe(before);

    const replayed = await mlopsJson<Replay>('replay', 'notifications');
    expect(replayed.letters).toContainEqual({
      ...replayedToFunction,
      messageId: expect.any(String),
    });
    await until('the failure e-mail', async () =>
      (await failureEmails()) === before + 1 ? true : undefined,
    );
    // What is not a failure record nor a dead-lettered event stays, with the reason.
    expect(replayed.letters.filter((letter) => letter.outcome === 'left')).toEqual(
      (await mlopsJson<Replay>('replay', 'notifications')).letters,
    );

    // The same record dead-lettered again and replayed: the function runs, the e-mail stays one.
    await control.sendToQueue(NOTIFICATIONS_DLQ, record);
    const again = await mlopsJson<Replay>('replay', 'notifications');
    expect(again.letters).toContainEqual({ ...replayedToFunction, messageId: expect.any(String) });
    await sleep(2000);
    expect(await failureEmails()).toBe(before + 1);
  }, 90_000);

  it('says what to do, with exit codes 2 and 1, when asked wrongly or pointed at nothing', async () => {
    await expect(
      mlops('backfill', 'daily-scoring', '--from', '2026-02-30', '--to', '2026-03-01'),
    ).resolves.toMatchObject({
      exitCode: 2,
      err: expect.stringMatching(/--from 2026-02-30 is not a day/),
    });
    await expect(mlops('why', `s3://${BUCKET}/x`, '--stage', 'prod')).resolves.toMatchObject({
      exitCode: 2,
    });
    const nothing = await runMlops(
      ['node', 'mlops', '--local', 'schedules', 'list'],
      { LOCAL_CONTROL_PORT: '1' },
      {
        out: () => undefined,
        err: (text) =>
          expect(text).toMatch(/No local cloud answers on 127.0.0.1:1: start it with npm start/),
      },
    );
    expect(nothing).toBe(1);
  });

  it('npx mlops runs through its launcher and exits 0 with its help', async () => {
    const child = spawn(process.execPath, [
      join(__dirname, '../../functions/cli/mlops.js'),
      'backfill',
      '--help',
    ]);
    const { code, output } = await outputOnExit(child);
    expect(code).toBe(0);
    expect(output).toMatch(/mlops backfill daily-scoring --from/);
  }, 30_000);
});
