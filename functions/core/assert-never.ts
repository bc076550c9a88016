/**
 * Closes a `switch` over a tagged union: the call compiles only when every member has its case, so
 * a new member (a route mode, say) is a type error until it is handled, never a silent fall into
 * another member's behaviour. At run time it throws for a value the types ruled out.
 *
 * @example
 * switch (route.mode) {
 *   case 'object': return ...;
 *   case 'folder': return ...;
 *   case 'trigger-file': return ...;
 *   default: return assertNever(route.mode);
 * }
 */
export function assertNever(value: never): never {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
}
