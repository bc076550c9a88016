// How the local SageMaker reads request members and refuses bad ones: the JSON 1.1 error types
// and the "1 validation error detected" wording of the service.

export class ServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export type SageMakerRequest = Record<string, unknown>;

/** A ValidationException in the service's words for one member that breaks its constraint. */
export function invalidMember(member: string, value: unknown, constraint: string): ServiceError {
  const shown = typeof value === 'string' ? value : JSON.stringify(value);
  return new ServiceError(
    'ValidationException',
    `1 validation error detected: Value '${shown}' at '${member[0]?.toLowerCase()}${member.slice(1)}' failed to satisfy constraint: ${constraint}`,
  );
}

/** A required string member matching `pattern` and at most `maxLength` characters. */
export function requiredString(
  request: SageMakerRequest,
  member: string,
  pattern: RegExp,
  maxLength: number,
): string {
  const value = request[member];
  if (value === undefined) {
    throw invalidMember(member, null, 'Member must not be null');
  }
  if (typeof value !== 'string' || value.length > maxLength || !pattern.test(value)) {
    throw invalidMember(
      member,
      value,
      `Member must satisfy regular expression pattern: ${pattern.source} and have length less than or equal to ${maxLength}`,
    );
  }
  return value;
}

/** An optional member that must be one of the enumeration's values. */
export function optionalEnum<T extends string>(
  request: SageMakerRequest,
  member: string,
  values: readonly T[],
): T | undefined {
  const value = request[member];
  if (value === undefined) return undefined;
  if (!values.includes(value as T)) {
    throw invalidMember(
      member,
      value,
      `Member must satisfy enum value set: [${values.join(', ')}]`,
    );
  }
  return value as T;
}

/** MaxResults of a list operation: 1-100, default `fallback`. */
export function maxResults(request: SageMakerRequest, fallback = 100): number {
  const value = request.MaxResults;
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 100) {
    throw invalidMember('MaxResults', value, 'Member must have value between 1 and 100');
  }
  return value;
}

/** One page of a list and the token for the next, as the list operations return them. */
export function page<T>(items: readonly T[], request: SageMakerRequest, fallbackMax = 100) {
  const size = maxResults(request, fallbackMax);
  const start = request.NextToken === undefined ? 0 : Number(request.NextToken);
  if (!Number.isInteger(start) || start < 0) {
    throw new ServiceError('ValidationException', 'Invalid pagination token');
  }
  const end = start + size;
  return {
    items: items.slice(start, end),
    nextToken: end < items.length ? String(end) : undefined,
  };
}

/** Timestamps travel as epoch seconds in the JSON 1.1 protocol. */
export function epochSeconds(date: Date): number {
  return date.getTime() / 1000;
}

/** A timestamp member of a request (epoch seconds), if given. */
export function optionalTime(request: SageMakerRequest, member: string): Date | undefined {
  const value = request[member];
  return typeof value === 'number' ? new Date(value * 1000) : undefined;
}
