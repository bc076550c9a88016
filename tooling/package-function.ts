import { execFileSync } from 'node:child_process';
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
  execFileSync(
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
      cwd: join(__dirname, '..'),
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, SLS_TELEMETRY_DISABLED: '1' },
    },
  );
  return readPackagedService(options.directory);
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
  /** Path of the bundled handler file, as Lambda would load it. */
  readonly bundle: string;
  readonly zipBytes: number;
  /** The function's environment exactly as the CloudFormation template sets it. */
  readonly environment: Record<string, string>;
  /** The whole packaged stack: the function's timeout, its queue and event source mapping. */
  readonly wiring: StackWiring;
  readonly remove: () => void;
}

/**
 * Packages the service into a temporary folder and unpacks one function, for a benchmark of the
 * real artifact.
 */
export function packageFunction(functionName: string, stage = 'dev'): PackagedFunction {
  const work = mkdtempSync(join(tmpdir(), `${functionName}-`));
  const service = packageService({ stage, directory: join(work, 'package') });
  const logicalId = `${functionName[0]?.toUpperCase()}${functionName.slice(1)}LambdaFunction`;
  const wiring = readStackWiring(service.template, { ...service, accountId: '000000000000' });
  const packaged = wiring.functions.find((candidate) => candidate.logicalId === logicalId);
  if (packaged === undefined) throw new Error(`The template has no function ${functionName}`);
  const handlerFile = packaged.handler.replace(/\.[^.]+$/, '.js');
  return {
    bundle: join(service.unpack(packaged.artifact), handlerFile),
    zipBytes: statSync(join(service.directory, packaged.artifact)).size,
    environment: { ...packaged.environment },
    wiring,
    remove: () => rmSync(work, { recursive: true, force: true }),
  };
}
