// EventBridge event-pattern matching, after the documented semantics (Amazon EventBridge User Guide,
// "Event patterns" and "Content filtering"): every key of the pattern must match; a list of values
// matches if any does; an event field that is a list matches if any element does; a missing field
// matches only `{ "exists": false }`.

type Pattern = Record<string, unknown>;

/**
 * Whether an event matches a pattern.
 *
 * @example
 * matchesEventPattern({ source: ['aws.s3'], detail: { object: { key: [{ prefix: 'data/' }] } } }, event);
 */
export function matchesEventPattern(pattern: Pattern, event: unknown): boolean {
  return Object.entries(pattern).every(([key, expected]) => {
    if (key === '$or') {
      return (expected as Pattern[]).some((alternative) => matchesEventPattern(alternative, event));
    }
    const present = isObject(event) && key in event;
    const actual = present ? (event as Record<string, unknown>)[key] : undefined;
    if (Array.isArray(expected)) {
      return expected.some((matcher) => matchesField(matcher, present, actual));
    }
    if (isObject(expected)) {
      return present && isObject(actual) && matchesEventPattern(expected, actual);
    }
    throw new Error(`Pattern key "${key}" must hold a list of matchers or a nested pattern`);
  });
}

function matchesField(matcher: unknown, present: boolean, actual: unknown): boolean {
  if (isObject(matcher) && 'exists' in matcher) {
    return matcher.exists === (present && actual !== null && !isObject(actual));
  }
  if (!present) return false;
  const values = Array.isArray(actual) ? actual : [actual];
  return values.some((value) => matchesValue(matcher, value));
}

function matchesValue(matcher: unknown, value: unknown): boolean {
  if (!isObject(matcher)) return matcher === value;
  const [[operator, operand]] = Object.entries(matcher) as [[string, unknown]];
  switch (operator) {
    case 'prefix':
      return (
        typeof value === 'string' &&
        textMatches(operand, (text, ignoreCase) => fold(value, ignoreCase).startsWith(text))
      );
    case 'suffix':
      return (
        typeof value === 'string' &&
        textMatches(operand, (text, ignoreCase) => fold(value, ignoreCase).endsWith(text))
      );
    case 'equals-ignore-case':
      return typeof value === 'string' && value.toLowerCase() === String(operand).toLowerCase();
    case 'wildcard':
      return typeof value === 'string' && wildcardExpression(String(operand)).test(value);
    case 'anything-but':
      return !anythingButExcludes(operand, value);
    case 'numeric':
      return typeof value === 'number' && numericMatches(operand as unknown[], value);
    default:
      throw new Error(`Unsupported pattern operator "${operator}"`);
  }
}

function textMatches(
  operand: unknown,
  test: (text: string, ignoreCase: boolean) => boolean,
): boolean {
  if (isObject(operand) && 'equals-ignore-case' in operand) {
    return test(String(operand['equals-ignore-case']).toLowerCase(), true);
  }
  return test(String(operand), false);
}

function fold(text: string, ignoreCase: boolean): string {
  return ignoreCase ? text.toLowerCase() : text;
}

function anythingButExcludes(operand: unknown, value: unknown): boolean {
  if (Array.isArray(operand)) return operand.includes(value);
  if (isObject(operand)) return matchesValue(operand, value);
  return operand === value;
}

function numericMatches(conditions: unknown[], value: number): boolean {
  for (let index = 0; index < conditions.length; index += 2) {
    const bound = conditions[index + 1] as number;
    const ok = {
      '=': value === bound,
      '<': value < bound,
      '<=': value <= bound,
      '>': value > bound,
      '>=': value >= bound,
    }[conditions[index] as string];
    if (ok !== true) return false;
  }
  return true;
}

function wildcardExpression(wildcard: string): RegExp {
  const escaped = wildcard.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`, 's');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
