import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CloudFormationTemplate } from './local/cloudformation-intrinsics';
import { type StackWiring, readStackWiring } from './local/stack-wiring';

export interface PackageOptions {
  readonly stage: string;
  /** Where `serverless package` writes the template and the zips. */
  readonly directory: string;
  /** `--param` values for the stage. */
  readonly parameters?: Readonly<Record<string, string>>;
  /** The service's folder (another revision's, for a comparison); this repository by default. */
  readonly serviceRoot?: string;
}

export interface PackagedService {
  readonly directory: string;
  readonly template: CloudFormationTemplate;
  /** The stack's name and region, as a deployment of this package would have them. */
  readonly stackName: string;
  readonly region: string;
  /** Unzips a function artifact (once) and returns the folder holding its code. */
  readonly unpack: (artifact: string) => string;
}

/**
 * Runs the real `serverless package` (offline) once for all functions, so local runs and
 * benchmarks use the template and artifacts a deployment would upload, not a re-creation of them.
 *
 * @example
 * const service = packageService({ stage: 'local', directory: '.local/package' });
 * const code = service.unpack('onDataUpload.zip');
 */
export function packageService(options: PackageOptions): PackagedService {
  const parameters = Object.entries(options.parameters ?? {}).map(
    ([name, value]) => `--param=${name}=${value}`,
  );
  // A fresh folder: code unpacked from an older package must not outlive it.
  rmSync(options.directory, { recursive: true, force: true });
  const result = spawnSync(
    'npx',
    [
      'serverless',
      'package',
      '--stage',
      options.stage,
      '--package',
      options.directory,
      ...parameters,
    ],
    {
      cwd: options.serviceRoot ?? join(__dirname, '..'),
      // Progress goes to stderr; Serverless prints its error block on stdout, kept for the error.
      stdio: ['ignore', 'pipe', 'inherit'],
      encoding: 'utf8',
      env: { ...process.env, SLS_TELEMETRY_DISABLED: '1' },
    },
  );
  if (result.error !== undefined) throw result.error;
  if (result.status !== 0) {
    throw new PackagingError(
      `serverless package --stage ${options.stage} failed:\n${result.stdout.trim()}`,
    );
  }
  return readPackagedService(options.directory);
}

/** `serverless package` refused the service; the message holds what Serverless said. */
export class PackagingError extends Error {
  override readonly name = 'PackagingError';
}

/**
 * A package `serverless package` wrote earlier: the template, the stack's name and region.
 *
 * @example
 * const { template, stackName } = readPackagedService('.local/package');
 */
export function readPackagedService(directory: string): PackagedService {
  const template = JSON.parse(
    readFileSync(join(directory, 'cloudformation-template-update-stack.json'), 'utf8'),
  ) as CloudFormationTemplate;
  const { service } = JSON.parse(
    readFileSync(join(directory, 'serverless-state.json'), 'utf8'),
  ) as {
    service: { service: string; provider: { stage: string; region: string; stackName?: string } };
  };
  return {
    directory,
    template,
    stackName: service.provider.stackName ?? `${service.service}-${service.provider.stage}`,
    region: service.provider.region,
    unpack: (artifact) => {
      const code = join(directory, 'code', artifact.replace(/\.zip$/, ''));
      if (!existsSync(code)) {
        execFileSync('python3', ['-m', 'zipfile', '-e', join(directory, artifact), code]);
      }
      return code;
    },
  };
}

export interface PackagedFunction {
  /** The function's name in serverless.yml (`onDataUpload`). */
  readonly name: string;
  /** Path of the bundled handler file, as Lambda would load it. */
  readonly bundle: string;
  readonly zipBytes: number;
  /** The function's environment exactly as the CloudFormation template sets it. */
  readonly environment: Record<string, string>;
}

/**
 * Packages the service (this one, or `serviceRoot`) into a temporary folder once and unpacks every
 * function, for a benchmark of the real artifacts. `remove` deletes the folder.
 *
 * @example
 * const { functions, remove } = packageFunctions();
 */
export function packageFunctions(
  stage = 'dev',
  serviceRoot?: string,
): {
  readonly functions: PackagedFunction[];
  /** The whole packaged stack: each function's timeout, its queue and event source mapping. */
  readonly wiring: StackWiring;
  readonly remove: () => void;
} {
  const work = mkdtempSync(join(tmpdir(), 'functions-'));
  const service = packageService({
    stage,
    directory: join(work, 'package'),
    ...(serviceRoot === undefined ? {} : { serviceRoot }),
  });
  const wiring = readStackWiring(service.template, { ...service, accountId: '000000000000' });
  return {
    functions: wiring.functions.map((packaged) => ({
      name: packaged.logicalId
        .replace(/LambdaFunction$/, '')
        .replace(/^./, (first) => first.toLowerCase()),
      bundle: join(service.unpack(packaged.artifact), packaged.handler.replace(/\.[^.]+$/, '.js')),
      zipBytes: statSync(join(service.directory, packaged.artifact)).size,
      environment: { ...packaged.environment },
    })),
    wiring,
    remove: () => rmSync(work, { recursive: true, force: true }),
  };
}
