const PLACEHOLDER = /\{\{\s*([^{}\s]*)\s*\}\}/g;
const DATE_PARTS = ['yyyy', 'mm', 'dd', 'hh'] as const;

/** Placeholders of a value that are not date parts. */
export function unknownDatePlaceholders(value: string): string[] {
  return [...value.matchAll(PLACEHOLDER)]
    .map(([, name]) => name ?? '')
    .filter((name) => !(DATE_PARTS as readonly string[]).includes(name));
}

/**
 * Fills `{{yyyy}}`, `{{mm}}`, `{{dd}}`, `{{hh}}` from a time in UTC, shifted by whole days: the
 * day's input prefix follows the event's scheduled time, never the clock of the function.
 *
 * @example
 * fillDateTemplate('data/inference/{{yyyy}}-{{mm}}-{{dd}}/', '2027-01-01T06:00:00Z', -1);
 * // 'data/inference/2026-12-31/'
 */
export function fillDateTemplate(value: string, isoTime: string, dayOffset = 0): string {
  const time = new Date(Date.parse(isoTime) + dayOffset * 86_400_000);
  const parts: Record<(typeof DATE_PARTS)[number], string> = {
    yyyy: String(time.getUTCFullYear()),
    mm: String(time.getUTCMonth() + 1).padStart(2, '0'),
    dd: String(time.getUTCDate()).padStart(2, '0'),
    hh: String(time.getUTCHours()).padStart(2, '0'),
  };
  return value.replace(
    PLACEHOLDER,
    (whole, name: string) => parts[name as keyof typeof parts] ?? whole,
  );
}
