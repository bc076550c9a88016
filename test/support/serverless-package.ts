import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = join(__dirname, '..', '..');
/** Where jest's global setup leaves the templates of the stages, packaged once per test run. */
const PACKAGED_DIR = join(root, '.serverless-test');
/** The deployments packaged for the tests: a stage and the command-line parameters it is given. */
export const PACKAGED_VARIANTS = {
  dev: ['--stage', 'dev'],
  prod: [
    '--stage',
    'prod',
    '--param=reviewerEmail=ds@example.com',
    '--param=opsEmail=ops@example.com',
  ],
  'dev-existing-resources': [
    '--stage',
    'dev',
    '--param=createDataBucket=false',
    '--param=pipelineRoleArn=arn:aws:iam::123456789012:role/team-sagemaker-execution',
  ],
  // The feature store with its defaults: training on the input, its rows kept in the group.
  'dev-feature-store-input': ['--stage', 'dev', '--param=featureStore=true'],
  // Every feature store resource, step and grant: the training source that reads the history.
  'dev-feature-store': [
    '--stage',
    'dev',
    '--param=featureStore=true',
    '--param=featureStoreTrainingSource=offline-store',
  ],
} as const;

export type PackagedVariant = keyof typeof PACKAGED_VARIANTS;

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
export async function packageStage(...args: readonly string[]): Promise<PackagedTemplate> {
  const out = mkdtempSync(join(tmpdir(), 'sls-'));
  try {
    await run('npx', ['serverless', 'package', '--package', out, ...args], {
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
 * Packages every variant once, one after the other (serverless-esbuild builds in the service's
 * .esbuild folder, so parallel packaging would collide), for all test files to read.
 */
export async function packageAllStages(): Promise<void> {
  mkdirSync(PACKAGED_DIR, { recursive: true });
  for (const [variant, args] of Object.entries(PACKAGED_VARIANTS)) {
    writeFileSync(
      join(PACKAGED_DIR, `${variant}.json`),
      JSON.stringify(await packageStage(...args)),
    );
  }
}

/** The template jest's global setup packaged for a variant. */
export function packagedTemplate(variant: PackagedVariant): PackagedTemplate {
  return JSON.parse(
    readFileSync(join(PACKAGED_DIR, `${variant}.json`), 'utf8'),
  ) as PackagedTemplate;
}
