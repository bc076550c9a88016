import type * as z from 'zod/mini';

/** Renders zod issues as `path.to[0].field: message`, so an error names the field that failed. */
export function describeIssues(error: z.core.$ZodError): string {
  return error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`).join('; ');
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`,
    )
    .join('');
}

/** `ThrottlingException: Rate exceeded`: an error as a log line or an e-mail names it. */
export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** The deployment's configuration is unusable; raised at package time and at cold start. */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

/** An incoming event does not have the shape we accept; nothing was started for it. */
export class InvalidEventError extends Error {
  override readonly name = 'InvalidEventError';
}

/** Starting a pipeline run failed after the SDK's own retries. */
export class PipelineStartError extends Error {
  override readonly name = 'PipelineStartError';
}

/** The model package group has no approved version, so there is nothing to score with. */
export class NoApprovedModelError extends Error {
  override readonly name = 'NoApprovedModelError';
}

/** An approved model version lacks something scoring needs (its model data, image or baseline). */
export class IncompleteModelPackageError extends Error {
  override readonly name = 'IncompleteModelPackageError';
}

/** A start was not tried, or was cut short, because the invocation's deadline came first. */
export class StartDeferredError extends Error {
  override readonly name = 'StartDeferredError';
}
