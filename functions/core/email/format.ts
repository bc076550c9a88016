/** `1 h 12 min`, `7 min 3 s`, `42 s`: how long something took, for people. */
export function formatDuration(
  startIso: string | undefined,
  endIso: string | undefined,
): string | undefined {
  if (startIso === undefined || endIso === undefined) return undefined;
  const seconds = Math.max(0, Math.round((Date.parse(endIso) - Date.parse(startIso)) / 1000));
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  if (hours > 0) return `${hours} h ${minutes} min`;
  if (minutes > 0) return `${minutes} min ${seconds % 60} s`;
  return `${seconds} s`;
}

/** `Label:  value` lines with the values aligned (two spaces at least); absent values are left out. */
export function factLines(facts: ReadonlyArray<readonly [string, string | undefined]>): string[] {
  const present = facts.filter(
    (fact): fact is readonly [string, string] => fact[1] !== undefined && fact[1] !== '',
  );
  const width = Math.max(0, ...present.map(([label]) => label.length)) + 3;
  return present.map(([label, value]) => `${`${label}:`.padEnd(width)}${value}`);
}
