import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ListModelPackagesCommand,
  ListPipelineExecutionsCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { readPackagedService } from '../../tooling/package-function';
import { type TimelineEntry, formatTimeline, playDemo } from '../../tooling/local/demo-story';
import { LOCAL_CREDENTIALS, localEndpoints } from '../../tooling/local/local-cloud';
import { LOCAL_PORTS, localCloudSettings } from '../../tooling/local/local-cloud-settings';
import { freeLoopbackPort, isPortTaken } from '../../tooling/local/loopback-port';
import { readInbox } from '../../tooling/local/mail-inbox';
import { readStackWiring } from '../../tooling/local/stack-wiring';

const root = join(__dirname, '..', '..');
const READY = 'Local cloud ready';

/** `npm start` exactly as package.json says it, on free ports and a state folder of its own. */
async function startLocalMode(stateDirectory: string) {
  const environment: NodeJS.ProcessEnv = { ...process.env, LOCAL_STATE_DIR: stateDirectory };
  for (const { variable } of Object.values(LOCAL_PORTS)) {
    environment[variable] = String(await freeLoopbackPort());
  }
  const script = (
    JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      scripts: { start: string };
    }
  ).scripts.start;
  const [command, ...args] = script.split(' ');
  expect(command).toBe('node');
  const child = spawn(process.execPath, args, { cwd: root, env: environment });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`npm start did not get ready:\n${output}`)),
      60_000,
    );
    const read = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes(READY)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
  });
  return { child, settings: localCloudSettings(environment), output: () => output };
}

function stop(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => {
    child.on('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

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
  const sageMaker = () =>
    new SageMakerClient({
      region: 'eu-west-1',
      endpoint: localEndpoints(local.settings).sageMaker,
      credentials: LOCAL_CREDENTIALS,
    });

  it('tells the whole story in order, and only missing functions leave a step undone', () => {
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
    // Steps that need a function: undone only while no function does the job.
    const needFunctions = [
      'review e-mail',
      'warning e-mail',
      'training-hpo started',
      'guard stops a second one',
    ];
    const undone = timeline.filter((candidate) => candidate.status !== 'done');
    expect(undone.filter((candidate) => !needFunctions.includes(candidate.step))).toEqual([]);
    expect(undone.filter((candidate) => candidate.status === 'failed')).toEqual([]);
    expect(formatTimeline(timeline)).toMatch(/^ 1 ✓ training data dropped/);
    expect(entry('ignored upload explained')?.detail).toMatch(
      /\/data\/inference\/incoming\/.+\.json: no-route; closest route inference-data wants suffix \.csv$/,
    );
  });

  it('started each run once: one training run for two part files, one scoring run for one file', async () => {
    const runs = async (id: string) =>
      (
        await sageMaker().send(
          new ListPipelineExecutionsCommand({ PipelineName: `mlops-control-plane-local-${id}` }),
        )
      ).PipelineExecutionSummaries ?? [];
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
    // Runs the demo started go on after it (the retune, its review request): e-mails may still
    // arrive, so the inbox and the .eml files are compared once they agree or time is up.
    let inbox = await readInbox(localEndpoints(local.settings).inbox);
    let emlFiles = readdirSync(join(stateDirectory, 'mail'));
    for (let attempt = 0; attempt < 20 && emlFiles.length !== inbox.length; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      inbox = await readInbox(localEndpoints(local.settings).inbox);
      emlFiles = readdirSync(join(stateDirectory, 'mail'));
    }
    expect(emlFiles).toHaveLength(inbox.length);
    if (entry('review e-mail')?.status === 'done') {
      const review = inbox.find((message) =>
        message.text.includes(
          'arn:aws:sagemaker:eu-west-1:000000000000:model-package/mlops-control-plane-local-models/1',
        ),
      );
      expect(review?.subject).toMatch(/mlops-control-plane-local-models/);
      expect(review?.to.map((to) => to.address)).toContain('data-scientist@mlops.local');
    }
    if (entry('warning e-mail')?.status === 'done') {
      const warning = inbox.find(
        (message) => message.text.includes('_c2') && message.text.includes('_c5'),
      );
      expect(warning?.subject).toMatch(/ in scoring$/);
    }
  });

  it('shuts down on SIGTERM and leaves no process and no port behind', async () => {
    const { child } = local;
    expect(await stop(child)).toBe(0);
    expect(() => process.kill(child.pid ?? 0, 0)).toThrow();
    for (const port of Object.values(local.settings.ports)) {
      expect(await isPortTaken(port)).toBe(false);
    }
  });
});
