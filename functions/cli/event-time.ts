/** A time as AWS events carry it: seconds, no fraction (`2026-11-21T06:00:00Z`). */
export function eventTime(time: Date): string {
  return time.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
