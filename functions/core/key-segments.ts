/**
 * Named segments of a route's prefix: `data/ground-truth/{day}/` claims `data/ground-truth/<any
 * one segment>/...` and names that segment `day`, so the route's parameters can use it
 * (`s3://bucket/data/inference/{day}/`): labels dropped for a day start the quality run of that
 * day's input.
 */
const PLACEHOLDER = /\{([a-z][a-zA-Z0-9]{0,31})\}/g;

/** The segment names a prefix declares, in order. */
export function segmentNamesOf(prefix: string): string[] {
  return [...prefix.matchAll(PLACEHOLDER)].map(([, name]) => name ?? '');
}

/** The placeholders a parameter value uses. */
export function placeholdersIn(value: string): string[] {
  return segmentNamesOf(value);
}

/** What is wrong with a prefix's placeholders, if anything: each must be a whole, unique segment. */
export function prefixPlaceholderProblem(prefix: string): string | undefined {
  const names = segmentNamesOf(prefix);
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate !== undefined) return `names the segment {${duplicate}} twice`;
  const partial = prefix
    .split('/')
    .find((part) => /[{}]/.test(part) && !/^\{[a-z][a-zA-Z0-9]{0,31}\}$/.test(part));
  if (partial !== undefined) {
    return `has "${partial}": a placeholder is a whole path segment, {name} with a lower-case letter first, then letters and digits`;
  }
  if (/[{}]/.test(prefix.slice(prefix.lastIndexOf('/') + 1))) {
    return 'ends in a placeholder: a named segment is a folder, followed by /';
  }
  return undefined;
}

const compiled = new Map<string, RegExp>();

/**
 * The named segments of a key that the prefix claims, or undefined when it does not claim it.
 *
 * @example
 * matchPrefix('data/ground-truth/{day}/', 'data/ground-truth/2026-11-26/labels.csv');
 * // { day: '2026-11-26' }
 */
export function matchPrefix(prefix: string, key: string): Record<string, string> | undefined {
  if (!prefix.includes('{')) return key.startsWith(prefix) ? {} : undefined;
  let pattern = compiled.get(prefix);
  if (pattern === undefined) {
    const source = prefix
      .split(PLACEHOLDER)
      .map((part, index) => (index % 2 === 1 ? `(?<${part}>[^/]+)` : escapeRegExp(part)))
      .join('');
    pattern = new RegExp(`^${source}`, 's');
    compiled.set(prefix, pattern);
  }
  const groups = pattern.exec(key)?.groups;
  return groups === undefined ? undefined : { ...groups };
}

/** A parameter value with its placeholders replaced by the key's segments. */
export function fillSegments(value: string, segments: Readonly<Record<string, string>>): string {
  return value.replace(PLACEHOLDER, (whole, name: string) => segments[name] ?? whole);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
