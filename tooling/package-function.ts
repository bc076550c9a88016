import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PackagedFunction {
  /** Path of the bundled handler file, as Lambda would load it. */
  readonly bundle: string;
  readonly zipBytes: number;
  /** The function's environment exactly as the CloudFormation template sets it. */
  readonly environment: Record<string, string>;
  readonly remove: () => void;
}

/**
 * Runs the real `serverless package` (offline) and unpacks one function's zip, so local runs and
 * benchmarks use the artifact a deployment would upload, not a re-creation of it.
 */
export function packageFunction(functionName: string, stage = 'dev'): PackagedFunction {
  const root = join(__dirname, '..');
  const work = mkdtempSync(join(tmpdir(), `${functionName}-`));
  execFileSync(
    'npx',
    ['serverless', 'package', '--stage', stage, '--package', join(work, 'package')],
    {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const zip = join(work, 'package', `${functionName}.zip`);
  execFileSync('python3', ['-m', 'zipfile', '-e', zip, join(work, 'code')]);
  const template = JSON.parse(
    readFileSync(join(work, 'package', 'cloudformation-template-update-stack.json'), 'utf8'),
  ) as {
    Resources: Record<
      string,
      { Properties: { Handler?: string; Environment?: { Variables: Record<string, string> } } }
    >;
  };
  const logicalId = `${functionName[0]?.toUpperCase()}${functionName.slice(1)}LambdaFunction`;
  const properties = template.Resources[logicalId]?.Properties;
  const handlerFile = (properties?.Handler ?? '').replace(/\.[^.]+$/, '.js');
  return {
    bundle: join(work, 'code', handlerFile),
    zipBytes: statSync(zip).size,
    environment: properties?.Environment?.Variables ?? {},
    remove: () => rmSync(work, { recursive: true, force: true }),
  };
}
