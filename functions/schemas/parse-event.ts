import type * as z from 'zod/mini';
import { quoteInput } from '../core/text-safety';
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

/**
 * How messages name an event before it is validated: by its id, quoted and cut, since the id
 * (like every field) may be anything, 300 KB of it included.
 *
 * @example
 * eventLabel({ id: 'b7d8c9e0' }); // 'Event "b7d8c9e0"'
 */
export function eventLabel(raw: unknown): string {
  const id = (raw as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? `Event ${quoteInput(id)}` : 'Event (no id)';
}
