const MAX_LENGTH = 82;

/**
 * Joins parts into a valid PipelineExecutionDisplayName (`^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,81}$`):
 * other characters become hyphens, and the first part is shortened so that the last ones (which
 * carry the time and a token fragment) always survive.
 *
 * @example
 * toPipelineExecutionDisplayName(['training data', '20261121T120000', 'a1b2c3d4']);
 * // 'training-data-20261121T120000-a1b2c3d4'
 */
export function toPipelineExecutionDisplayName(parts: readonly string[]): string {
  const cleaned = parts.map(sanitize).filter((part) => part.length > 0);
  const tail = cleaned.slice(1).join('-');
  const room = MAX_LENGTH - (tail.length > 0 ? tail.length + 1 : 0);
  const head = trimHyphens((cleaned[0] ?? '').slice(0, Math.max(room, 0)));
  const name = trimHyphens(
    [head, tail]
      .filter((part) => part.length > 0)
      .join('-')
      .slice(0, MAX_LENGTH),
  );
  return name.length > 0 ? name : 'run';
}

function sanitize(part: string): string {
  return trimHyphens(part.replace(/[^a-zA-Z0-9]+/g, '-'));
}

function trimHyphens(text: string): string {
  return text.replace(/^-+|-+$/g, '');
}

/** `2026-11-21T12:00:00.123Z` → `20261121T120000`: sortable and allowed in display names. */
export function compactTimestamp(isoTime: string): string {
  return isoTime.replace(/\.\d+/, '').replace(/[^0-9T]/g, '');
}
