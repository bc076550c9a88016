import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PIPELINE_CODE_PREFIX } from '../pipeline-definitions/pipeline-catalog';

const SCRIPTS_DIR = join(__dirname, '..', 'pipeline-definitions', 'scripts');

export interface PipelineCodeObject {
  readonly Bucket: string;
  readonly Key: string;
  readonly Body: Buffer;
  readonly ContentType: string;
}

/**
 * The step scripts the pipelines' Processing steps load from `s3://<bucket>/pipeline-code/`: every
 * `.py` of pipeline-definitions/scripts, tests excluded (they live in a subfolder).
 *
 * @example
 * for (const object of pipelineCodeObjects('my-bucket')) await s3.putObject(object);
 */
export function pipelineCodeObjects(bucket: string): PipelineCodeObject[] {
  return readdirSync(SCRIPTS_DIR, { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.py'))
    .map((entry) => ({
      Bucket: bucket,
      Key: `${PIPELINE_CODE_PREFIX}${entry.name}`,
      Body: readFileSync(join(SCRIPTS_DIR, entry.name)),
      ContentType: 'text/x-python',
    }));
}
