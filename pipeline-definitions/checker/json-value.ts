export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;

export interface JsonObject {
  readonly [key: string]: JsonValue;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The records of an array, with their indexes; anything else yields nothing. */
export function objectsOf(value: unknown): [number, JsonObject][] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown, index) =>
    isJsonObject(item) ? [[index, item] as [number, JsonObject]] : [],
  );
}

/** The string values of `key` in each record of an array, e.g. the OutputName of every output. */
export function namesIn(value: unknown, key: string): string[] {
  return objectsOf(value).flatMap(([, item]) => {
    const name = item[key];
    return typeof name === 'string' ? [name] : [];
  });
}

/** Follows object keys; undefined as soon as a key is missing or a value is not an object. */
export function valueAt(
  value: JsonValue | undefined,
  keys: readonly string[],
): JsonValue | undefined {
  let current = value;
  for (const key of keys) {
    if (!isJsonObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** Every string in `value` with its JSON path. */
export function stringsIn(value: JsonValue | undefined, path: string): [string, string][] {
  if (typeof value === 'string') return [[path, value]];
  if (Array.isArray(value))
    return value.flatMap((item, index) => stringsIn(item, `${path}[${index}]`));
  if (!isJsonObject(value)) return [];
  return Object.entries(value).flatMap(([key, item]) => stringsIn(item, `${path}.${key}`));
}
