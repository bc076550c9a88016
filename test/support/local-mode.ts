import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCAL_PORTS, localCloudSettings } from '../../tooling/local/local-cloud-settings';
import { freeLoopbackPort } from '../../tooling/local/loopback-port';

const root = join(__dirname, '..', '..');

/**
 * The environment of a local cloud of its own: a free port per service and a state folder. The
 * functions log at their default level, as `npm start` shows them (the tests silence them).
 */
export async function localModeEnvironment(stateDirectory: string): Promise<NodeJS.ProcessEnv> {
  const environment: NodeJS.ProcessEnv = { ...process.env, LOCAL_STATE_DIR: stateDirectory };
  delete environment.POWERTOOLS_LOG_LEVEL;
  for (const { variable } of Object.values(LOCAL_PORTS)) {
    environment[variable] = String(await freeLoopbackPort());
  }
  return environment;
}

/** A script of package.json (`start`, `demo`) exactly as it is written there, with arguments. */
export function spawnScript(
  name: string,
  environment: NodeJS.ProcessEnv,
  extraArguments: readonly string[] = [],
): ChildProcessWithoutNullStreams {
  const scripts = (
    JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    }
  ).scripts;
  const [command, ...args] = String(scripts[name]).split(' ');
  if (command !== 'node') throw new Error(`npm run ${name} is not a node script: ${command}`);
  return spawn(process.execPath, [...args, ...extraArguments], { cwd: root, env: environment });
}

/** Everything a process printed (stdout and stderr, in order of arrival) once it has exited. */
export function outputOnExit(
  child: ChildProcessWithoutNullStreams,
): Promise<{ code: number | null; output: string }> {
  let output = '';
  const read = (chunk: Buffer) => (output += chunk.toString('utf8'));
  child.stdout.on('data', read);
  child.stderr.on('data', read);
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, output })));
}

const READY = 'Local cloud ready';

/** `npm start` exactly as package.json says it, on free ports and a state folder of its own. */
export async function startLocalMode(stateDirectory: string) {
  const environment = await localModeEnvironment(stateDirectory);
  const child = spawnScript('start', environment);
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
  return {
    child,
    environment,
    settings: localCloudSettings(environment),
    output: () => output,
  };
}

export function stop(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => {
    child.on('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}
