/**
 * Text from outside (event fields, API answers, S3 keys) may hold what JSON allows but Unicode
 * does not: a lone UTF-16 surrogate (`"\ud800"`). The SDK URI-encodes query and path values, and
 * `encodeURIComponent` throws `URIError: URI malformed` on one, so such text must be made
 * well-formed before it is sent, or refused where it identifies something.
 */

/** Replaces every lone surrogate with U+FFFD, so the text can be encoded. */
export function toWellFormedText(text: string): string {
  return text.toWellFormed();
}

/** Whether the text is valid Unicode (no lone surrogate). */
export function isWellFormedText(text: string): boolean {
  return text.isWellFormed();
}

/** The first control character (C0, DEL, C1) of a text and where it is, if there is one. */
export function findControlCharacter(
  text: string,
): { readonly codePoint: string; readonly index: number } | undefined {
  const match = /\p{Cc}/u.exec(text);
  if (match === null) return undefined;
  const codePoint = `U+${(match[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
  return { codePoint, index: match.index };
}

/** How much of an outside value an error message or a log line quotes. */
export const MAX_QUOTED_LENGTH = 120;

/**
 * Quotes a value taken from outside for an error or log message: JSON-escaped (control characters
 * and lone surrogates become visible escapes) and cut, so a 300 KB field makes a short message.
 *
 * @example
 * quoteInput('a'.repeat(300_000)); // '"aaaa...aaa" (300000 characters)'
 */
export function quoteInput(value: unknown, maxLength = MAX_QUOTED_LENGTH): string {
  const text = typeof value === 'string' ? value : String(JSON.stringify(value) ?? value);
  const shown = text.length <= maxLength ? text : `${text.slice(0, maxLength)}...`;
  const quoted = JSON.stringify(shown);
  return text.length <= maxLength ? quoted : `${quoted} (${text.length} characters)`;
}
