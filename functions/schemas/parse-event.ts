import type * as z from 'zod/mini';
import { InvalidEventError, describeIssues } from '../errors';

/**
 * Validates an incoming event at the edge; the error names every field that does not fit.
 *
 * @example
 * const event = parseEvent(pipelineStepStatusChangeSchema, raw, `event ${raw.id}`);
 */
export function parseEvent<S extends z.ZodMiniType>(
  schema: S,
  raw: unknown,
  what: string,
): z.output<S> {
  const result = schema.safeParse(raw);
  if (!result.success) {
    throw new InvalidEventError(`${what} is invalid: ${describeIssues(result.error)}`, {
      cause: result.error,
    });
  }
  return result.data;
}
