import type { DataUploadConfig } from '../functions/config/data-upload-config';

// Characters S3 never escapes in event keys. A rule prefix is cut before the first other character
// because EventBridge matches the encoded key; the function then routes on the decoded key exactly.
const UNESCAPED_KEY_CHARACTERS = /^[A-Za-z0-9/._-]*/;

/**
 * The EventBridge pattern that sends the configured buckets' "Object Created" events to the buffer.
 * It is a coarse filter: onDataUpload ignores (and counts) anything no route claims.
 */
export function dataUploadEventPattern(config: DataUploadConfig): Record<string, unknown> {
  const buckets = [...new Set(config.routes.map((route) => route.bucket))];
  const prefixes = config.routes.map(
    (route) => route.prefix.match(UNESCAPED_KEY_CHARACTERS)?.[0] ?? '',
  );
  const keyFilter = prefixes.includes('')
    ? {}
    : { object: { key: [...new Set(prefixes)].map((prefix) => ({ prefix })) } };
  return {
    source: ['aws.s3'],
    'detail-type': ['Object Created'],
    detail: { bucket: { name: buckets }, ...keyFilter },
  };
}

/** ARNs of the pipelines the routes start, for a least-privilege IAM statement. */
export function dataUploadPipelineArns(config: DataUploadConfig): Array<{ 'Fn::Sub': string }> {
  return pipelineArns(config.routes.map((route) => route.pipeline));
}

/**
 * IAM resource ARNs of pipelines (or of what is under them, such as `/execution/*`). SageMaker
 * writes pipeline ARNs in lower case while IAM compares case-sensitively, so both spellings are
 * listed.
 *
 * @example
 * pipelineArns(['mlops-dev-training'], '/execution/*');
 */
export function pipelineArns(names: readonly string[], below = ''): Array<{ 'Fn::Sub': string }> {
  const spellings = names.flatMap((name) => [name, name.toLowerCase()]);
  return [...new Set(spellings)].map((name) => ({
    'Fn::Sub': `arn:\${AWS::Partition}:sagemaker:\${AWS::Region}:\${AWS::AccountId}:pipeline/${name}${below}`,
  }));
}
