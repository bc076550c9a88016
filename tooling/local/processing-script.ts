import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const SCRIPTS_DIRECTORY = join(__dirname, '..', '..', 'pipeline-definitions', 'scripts');
const CONTAINER_ROOT = '/opt/ml/';
// Where SageMaker Processing puts the job's configuration in every container (SageMaker developer
// guide, "How Amazon SageMaker Processing Configures Your Processing Container").
const JOB_CONFIG_PATH = '/opt/ml/config/processingjobconfig.json';

/** A CreateProcessingJob request as a Processing step sends it, its expressions evaluated. */
export interface ProcessingJobRequest {
  readonly AppSpecification?: { readonly ContainerArguments?: readonly unknown[] };
  readonly [member: string]: unknown;
}

/**
 * Runs a step script of pipeline-definitions/scripts on this machine as a processing job runs it
 * in its container: with the job's container arguments, every `/opt/ml/` path moved into a
 * scratch folder, and the job's configuration in /opt/ml/config/processingjobconfig.json. Returns
 * the JSON the script wrote to `resultPath` (a container path). A script that fails rejects with
 * its error output, as the step would fail with it.
 *
 * @example
 * const metadata = await runProcessingScript('customer_metadata.py', job, '/opt/ml/processing/output/metadata/customer_metadata.json');
 */
export async function runProcessingScript(
  script: string,
  job: ProcessingJobRequest,
  resultPath: string,
): Promise<unknown> {
  const scratch = await mkdtemp(join(tmpdir(), 'processing-job-'));
  const local = (value: unknown): unknown => {
    if (typeof value === 'string' && value.startsWith(CONTAINER_ROOT)) {
      return join(scratch, value.slice(CONTAINER_ROOT.length));
    }
    if (Array.isArray(value)) return value.map(local);
    if (typeof value !== 'object' || value === null) return value;
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, local(item)]));
  };
  try {
    const jobConfig = String(local(JOB_CONFIG_PATH));
    await mkdir(dirname(jobConfig), { recursive: true });
    await writeFile(jobConfig, JSON.stringify(local(job)));
    const containerArguments = job.AppSpecification?.ContainerArguments ?? [];
    await promisify(execFile)(
      'python3',
      [join(SCRIPTS_DIRECTORY, script), ...containerArguments.map((value) => String(local(value)))],
      // Bytecode would land beside the scripts, which deployment uploads.
      { env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } },
    );
    return JSON.parse(await readFile(String(local(resultPath)), 'utf8')) as unknown;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
