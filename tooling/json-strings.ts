/**
 * Every string of a JSON value passed through `map`, the structure kept: the one walk that both
 * the deploy-time values and the local samples' renaming make.
 *
 * @example
 * mapStrings({ a: ['x'] }, (text) => text.toUpperCase()); // { a: ['X'] }
 */
export function mapStrings(value: unknown, map: (text: string) => unknown): unknown {
  if (typeof value === 'string') return map(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, map));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, mapStrings(item, map)]),
    );
  }
  return value;
}
