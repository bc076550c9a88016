import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ListPipelineExecutionsCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { LOCAL_CREDENTIALS, localEndpoints } from '../../tooling/local/local-cloud';
import { LOCAL_PORTS, localCloudSettings } from '../../tooling/local/local-cloud-settings';
import { readInbox } from '../../tooling/local/mail-inbox';
import { localModeEnvironment, spawnScript } from '../support/local-mode';
import { ROOT, documentationPages, fencedBlocks, shellCommands } from './documentation';

// Every command of a fenced `sh` block in the README and docs/ runs as written against a local
// cloud of its own, and does what the page says; a block fenced `sh aws` needs an AWS account and
// is checked as far as that is possible offline. The `$ npx mlops` transcripts of every page run
// there too, after the others, and must exit and begin as shown.

const blocks = documentationPages().flatMap(fencedBlocks);

/** A `$ npx mlops ...` line of a page, with its exit code and the output shown under it. */
interface Transcript {
  readonly command: string;
  readonly exitCode: number;
  readonly output: string;
}

/** The mlops transcripts of the pages, in their order; `  # exit N` gives a code not 0. */
function mlopsTranscripts(): Transcript[] {
  const transcripts: Transcript[] = [];
  for (const block of blocks.filter((b) => b.info === 'text')) {
    for (const part of block.text.split(/^\$ /m).slice(1)) {
      const [line = '', ...output] = part.trimEnd().split('\n');
      const [, command = line, code] = /^(.*?)(?:\s{2}# exit (\d+))?$/.exec(line) ?? [];
      if (command.includes('npx mlops ')) {
        transcripts.push({ command, exitCode: Number(code ?? 0), output: output.join('\n') });
      }
    }
  }
  return transcripts;
}

/**
 * What must match between a documented output and the real one: its first line and the header
 * row of each table, with times, ages and ids (which differ from run to run) and the padding of
 * table cells (which follows their width) left out.
 */
function outputShape(output: string): string[] {
  const lines = output.split('\n');
  const headers = lines.filter((_, index) => lines[index - 1]?.startsWith('┌'));
  return [lines.find((line) => !line.startsWith('┌')) ?? '', ...headers].map((line) =>
    line
      .replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, '<time>')
      .replace(/\b\d+[smhd]\b/g, '<age>')
      .replace(/\b[0-9a-f]{8,}\b/g, '<id>')
      .replace(/\s+/g, ' ')
      .trim(),
  );
}
const commandsOf = (info: string) =>
  blocks.filter((block) => block.info === info).flatMap(shellCommands);

/** Commands the test run itself stands for: they are not run again from inside it. */
const HARNESS: Record<string, string> = {
  'npm ci': 'installs what this test runs with',
  'npm test': 'runs this test',
  'npm start': 'boots the local cloud every other command runs against, below',
  // The development checks that npm test itself runs, as written here.
  'npx tsc --noEmit': 'is the first step of npm test',
  'npx jest test/tooling/function-declarations.test.ts': 'is one of the tests npm test runs',
  'npx serverless package --stage dev': "is jest's global setup, before every test",
};

interface Shell {
  readonly code: number | null;
  readonly output: string;
}

function run(command: string, environment: NodeJS.ProcessEnv): Promise<Shell> {
  const child = spawn('bash', ['-c', command], { cwd: ROOT, env: environment });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, output })));
}

async function eventually<T>(read: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const found = await read();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`Never happened: ${what}`);
    await sleep(250);
  }
}

describe('every documented command runs as written', () => {
  const stateDirectory = mkdtempSync(join(tmpdir(), 'documented-commands-'));
  let environment: NodeJS.ProcessEnv;
  let stopCloud: () => void = () => undefined;
  const endpoints = () => localEndpoints(localCloudSettings(environment));

  /** The documented default ports (127.0.0.1:4580) become this test's own. */
  const onTestPorts = (command: string) =>
    Object.values(LOCAL_PORTS).reduce(
      (text, { variable, fallback }) =>
        text.split(`127.0.0.1:${fallback}`).join(`127.0.0.1:${environment[variable] ?? ''}`),
      command,
    );

  const inboxSubjects = async () =>
    (await readInbox(endpoints().inbox)).map((message) => message.subject);
  const newEmail = (subject: RegExp, before: string[]) =>
    eventually(async () => {
      const subjects = await inboxSubjects();
      return subjects.length > before.length && subjects.some((s) => subject.test(s))
        ? subjects
        : undefined;
    }, `an e-mail ${subject}`);
  const runsOf = async (pipeline: string) => {
    const sageMaker = new SageMakerClient({
      region: 'eu-west-1',
      endpoint: endpoints().sageMaker,
      credentials: LOCAL_CREDENTIALS,
    });
    const { PipelineExecutionSummaries: runs = [] } = await sageMaker.send(
      new ListPipelineExecutionsCommand({ PipelineName: `mlops-control-plane-local-${pipeline}` }),
    );
    sageMaker.destroy();
    return runs;
  };

  /** What each runnable command must have done, checked after it ran. */
  const EFFECTS: Record<string, (shell: Shell, inboxBefore: string[]) => Promise<void>> = {
    'npm run demo': async (shell) => {
      expect(shell.output).toMatch(/^13 ✓ ignored upload explained/m);
      expect(shell.code).toBe(0);
    },
    'npm run drop -- docs/examples/scores.csv data/inference/incoming/try-it.csv': async () => {
      await eventually(
        async () =>
          (await runsOf('batch-inference')).find((run) =>
            run.PipelineExecutionDisplayName?.startsWith('inference-data-try-it-csv-'),
          ),
        'a scoring run of try-it.csv',
      );
    },
    'npm run event -- pipeline-execution-failed': async (shell, before) => {
      expect(shell.output).toContain(
        'PipelineStatusRule → mlops-control-plane-local-onPipelineStatusChange: ran',
      );
      await newEmail(/^\[local\] Training failed: /, before);
    },
    'curl -X POST --data @events/model-package-rejected.json http://127.0.0.1:4580/events': async (
      shell,
      before,
    ) => {
      expect(shell.output).toContain('"rules":["ModelPackageRule"]');
      await newEmail(/^\[local\] Rejected: model mlops-control-plane-local-models v\d+$/, before);
    },
    'curl -X POST http://127.0.0.1:4580/schedules/ScheduleDailyScoringRule': async (_, before) => {
      await newEmail(/^\[local\] Skipped: daily-scoring of /, before);
    },
    'npx serverless invoke local --stage local --function onDataUpload --path events/inference-uploads.sqs.json':
      async (shell) => {
        expect(shell.output).toContain(
          'mlops-control-plane-dev-data-upload-buffer → mlops-control-plane-local-data-upload-buffer',
        );
        expect(shell.output).toMatch(/"batchItemFailures": \[\]/);
        expect(shell.code).toBe(0);
        // The sample's two objects, each started once on the local SageMaker.
        const started = (await runsOf('batch-inference')).map(
          (run) => run.PipelineExecutionDisplayName ?? '',
        );
        expect(started).toContainEqual(expect.stringMatching(/^inference-data-store-42-eu-csv-/));
        expect(started).toContainEqual(expect.stringMatching(/^inference-data-caf-bar-csv-/));
      },
  };

  beforeAll(async () => {
    environment = {
      ...(await localModeEnvironment(stateDirectory)),
      POWERTOOLS_LOG_LEVEL: 'WARN',
    };
    const child = spawnScript('start', environment);
    stopCloud = () => child.kill('SIGTERM');
    await new Promise<void>((resolve, reject) => {
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
        if (output.includes('Local cloud ready')) resolve();
      });
      child.on('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
    });
  }, 90_000);

  afterAll(async () => {
    stopCloud();
    await sleep(1000);
    rmSync(stateDirectory, { recursive: true, force: true });
  });

  it('knows the effect of every runnable command, and of no other', () => {
    const runnable = commandsOf('sh').filter((command) => !(command in HARNESS));
    expect([...new Set(runnable)].sort()).toEqual(Object.keys(EFFECTS).sort());
  });

  it('runs each command in the order of the pages, and each does what it says', async () => {
    // The demo first: the other commands act on the runs and model versions it leaves.
    const runnable = Object.keys(EFFECTS);
    for (const command of runnable) {
      const before = await inboxSubjects();
      const shell = await run(onTestPorts(command), environment);
      await EFFECTS[command]?.(shell, before);
    }
  }, 180_000);

  it('runs every mlops command of the operations page, with its exit code and its output', async () => {
    const transcripts = mlopsTranscripts();
    expect(transcripts.length).toBeGreaterThan(10);
    for (const { command, exitCode, output } of transcripts) {
      const shell = await run(onTestPorts(command), environment);
      expect({ command, code: shell.code }).toEqual({ command, code: exitCode });
      expect({ command, shape: outputShape(shell.output.trimEnd()) }).toEqual({
        command,
        shape: outputShape(output),
      });
    }
  }, 180_000);

  it('checks the commands that need an AWS account: serverless through print, aws by its parser', async () => {
    const aws = commandsOf('sh aws');
    expect(aws.length).toBeGreaterThan(3);
    for (const command of aws) {
      const checked = command.startsWith('npx serverless ')
        ? // The same stage, region and parameters, resolved and validated without deploying.
          command
            .replace(/^npx serverless (deploy|remove|invoke local)/, 'npx serverless print')
            .replace(/ -[fp] \S+/g, '')
        : // Parsed and validated by the CLI, then sent nowhere: a refused connection is success.
          command.replace(/^aws /, 'aws --endpoint-url http://127.0.0.1:9 ');
      const shell = await run(checked, {
        ...process.env,
        SLS_TELEMETRY_DISABLED: '1',
        AWS_ACCESS_KEY_ID: 'x',
        AWS_SECRET_ACCESS_KEY: 'x',
        AWS_DEFAULT_REGION: 'eu-west-1',
        AWS_MAX_ATTEMPTS: '1',
      });
      if (command.startsWith('npx serverless ')) {
        expect({ command, code: shell.code }).toEqual({ command, code: 0 });
      } else {
        expect({
          command,
          connected: /Could not connect to the endpoint URL/.test(shell.output),
        }).toEqual({ command, connected: true });
      }
    }
  }, 120_000);
});
