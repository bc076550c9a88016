import * as z from 'zod/mini';
import '../schemas/zod-english-messages';

// Limits from the SageMaker API model (see README, "Limits we check"). Anchored here because the
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

export const PIPELINE_PARAMETER_VALUE_MAX_LENGTH = 1024;

export const pipelineParameterValueSchema = z
  .string()
  .check(z.maxLength(PIPELINE_PARAMETER_VALUE_MAX_LENGTH));

export const bucketNameSchema = z
  .string()
  .check(z.regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a valid S3 bucket name'));
