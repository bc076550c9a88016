// What a function prints, as one line of the activity log: its decisions (Powertools log records
// such as "Object ignored" with the reason), warnings and anything else it writes.

/** Keys every Powertools record carries; they say nothing about the decision. */
const RECORD_KEYS = new Set([
  'level',
  'message',
  'timestamp',
  'service',
  'cold_start',
  'function_arn',
  'function_memory_size',
  'function_name',
  'function_request_id',
  'sampling_rate',
  'xray_trace_id',
]);

/** Printed by Powertools Metrics after every invocation that added no metric: noise locally. */
const NO_METRICS_WARNING = 'No application metrics to publish';

/** A value longer than this is cut: a line of the log stays a line. */
const MAX_VALUE_LENGTH = 160;

/**
 * One line a function printed, as the activity log shows it: a Powertools record as its message
 * and its own keys (`Object ignored — reason: no-route; detail: ...`), with its level unless
 * INFO; anything else as printed; undefined for the empty-metrics warning.
 *
 * @example
 * describeFunctionOutput('{"level":"INFO","message":"Event ignored","reason":"not ALARM"}'); // 'Event ignored — reason: not ALARM'
 */
export function describeFunctionOutput(line: string): string | undefined {
  if (line.trim() === '' || line.includes(NO_METRICS_WARNING)) return undefined;
  const record = powertoolsRecord(line);
  if (record === undefined) return line;
  const fields = Object.entries(record)
    .filter(([key]) => !RECORD_KEYS.has(key))
    .map(([key, value]) => `${key}: ${describeValue(value)}`);
  const level = record.level === 'INFO' ? '' : `${String(record.level)} `;
  return `${level}${String(record.message)}${fields.length === 0 ? '' : ` — ${fields.join('; ')}`}`;
}

function powertoolsRecord(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const parsed = JSON.parse(line) as Record<string, unknown>;
    return typeof parsed.level === 'string' && 'message' in parsed ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function describeValue(value: unknown): string {
  const text =
    typeof value === 'string'
      ? value
      : isLoggedError(value)
        ? `${value.name}: ${value.message}`
        : JSON.stringify(value);
  return text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH - 1)}…` : text;
}

/** Powertools logs an error as an object with its name, message, location and stack. */
function isLoggedError(value: unknown): value is { name: string; message: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { name?: unknown }).name === 'string' &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}
