import * as z from 'zod/mini';
import '../schemas/zod-english-messages';
import { PIPELINE_PARAMETER_VALUE_MAX_LENGTH } from '../core/pipeline-start-request';

// Limits from the SageMaker API model (see docs/development.md, "Limits we check"). Anchored here because the
// service's own patterns are unanchored.
export const pipelineNameSchema = z
  .string()
  .check(
    z.regex(
      /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}$/,
      'must be 1-256 letters, digits or inner hyphens',
    ),
  );

// EventBridge targets and the pipeline-definition schema are stricter than StartPipelineExecution
// (no underscores, at most 64 characters); one rule for every path keeps a parameter usable everywhere.
export const pipelineParameterNameSchema = z
  .string()
  .check(
    z.regex(/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,63}$/, 'must be 1-64 letters, digits or inner hyphens'),
  );

export const pipelineParameterValueSchema = z
  .string()
  .check(z.maxLength(PIPELINE_PARAMETER_VALUE_MAX_LENGTH));

/** S3's bucket naming rules ("General purpose bucket naming rules", S3 User Guide). */
export const S3_BUCKET_NAME = {
  max: 63,
  pattern: /^(?!.*\.\.)[a-z0-9][a-z0-9.-]*[a-z0-9]$/,
  allowed:
    'lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit',
} as const;

/** What is wrong with a bucket name, or undefined; the message names the bucket and the rule. */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > S3_BUCKET_NAME.max) {
    return `${name} is ${name.length} characters; an S3 bucket name has 3-${S3_BUCKET_NAME.max}`;
  }
  if (!S3_BUCKET_NAME.pattern.test(name)) {
    return `${name} is not an S3 bucket name: use only ${S3_BUCKET_NAME.allowed}`;
  }
  return undefined;
}

export const bucketNameSchema = z.string().check(
  z.refine((name) => bucketNameProblem(name) === undefined, {
    error: (issue) => bucketNameProblem(String(issue.input)),
  }),
);
