import { createHash } from 'node:crypto';

/**
 * Derives the idempotency token of a pipeline start from the identity of what triggered it, so a
 * redelivered event sends the same token and SageMaker returns the run it already started.
 * The result is `<kind>-<64 hex chars>`, within the API's 32-128 characters.
 *
 * @example
 * deriveClientRequestToken('object', ['training', 'my-bucket', 'data/a.csv', 'sequencer:0055AE']);
 */
export function deriveClientRequestToken(kind: string, identity: readonly string[]): string {
  if (!/^[a-z][a-z0-9-]{0,62}$/.test(kind)) {
    throw new Error(`Token kind "${kind}" must be 1-63 lower-case letters, digits or hyphens`);
  }
  // JSON keeps the parts apart: ['a-b', 'c'] and ['a', 'b-c'] must not collide.
  const digest = createHash('sha256').update(JSON.stringify(identity)).digest('hex');
  return `${kind}-${digest}`;
}
