import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = join(__dirname, '..', '..');
/** Where jest's global setup leaves the templates of the stages, packaged once per test run. */
const PACKAGED_DIR = join(root, '.serverless-test');
export const PACKAGED_STAGES = ['dev', 'prod'] as const;

export interface PackagedTemplate {
  Parameters?: Record<string, unknown>;
  Conditions?: Record<string, unknown>;
  Mappings?: Record<string, unknown>;
  Resources: Record<
    string,
    { Type: string; Properties: Record<string, unknown>; DependsOn?: unknown; Condition?: string }
  >;
  Outputs?: Record<string, unknown>;
}

/** Runs the real `serverless package` offline and returns the CloudFormation template it wrote. */
export async function packageStage(stage: string, ...extra: string[]): Promise<PackagedTemplate> {
  const out = mkdtempSync(join(tmpdir(), `sls-${stage}-`));
  try {
    await run('npx', ['serverless', 'package', '--stage', stage, '--package', out, ...extra], {
      cwd: root,
      env: { ...process.env, SLS_TELEMETRY_DISABLED: '1' },
    });
    return JSON.parse(
      readFileSync(join(out, 'cloudformation-template-update-stack.json'), 'utf8'),
    ) as PackagedTemplate;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/**
 * Packages every stage once, one after the other (serverless-esbuild builds in the service's
 * .esbuild folder, so parallel packaging would collide), for all test files to read.
 */
export async function packageAllStages(): Promise<void> {
  mkdirSync(PACKAGED_DIR, { recursive: true });
  for (const stage of PACKAGED_STAGES) {
    writeFileSync(join(PACKAGED_DIR, `${stage}.json`), JSON.stringify(await packageStage(stage)));
  }
}

/** The template jest's global setup packaged for a stage. */
export function packagedTemplate(stage: (typeof PACKAGED_STAGES)[number]): PackagedTemplate {
  return JSON.parse(readFileSync(join(PACKAGED_DIR, `${stage}.json`), 'utf8')) as PackagedTemplate;
}
