import { toWellFormedText } from '../text-safety';
import { MESSAGE_MAX_BYTES } from './sns-limits';

/** A plain-text e-mail: a headline, then titled sections of lines, then links. */
export interface EmailLayout {
  readonly headline: string;
  readonly sections: ReadonlyArray<EmailSection>;
}

export interface EmailSection {
  readonly title: string;
  /**
   * Paragraphs are wrapped at word boundaries; list items (`- `) and facts (`Label:   value`)
   * continue under their text.
   */
  readonly lines: ReadonlyArray<string>;
  /** Commands and links to copy: never wrapped. */
  readonly verbatim?: boolean;
}

const LINE_WIDTH = 72;
const TRUNCATION_NOTE = '\n\n[The rest of this message was cut to fit the 256 KiB e-mail limit.]\n';

/**
 * Lays an e-mail out as plain text for mail clients: short lines, a headline underlined, blank
 * lines between sections. Control characters that came from outside (step names, S3 keys,
 * descriptions) are removed; the result fits SNS's limit in bytes, with room for the attributes.
 *
 * @example
 * renderPlainTextEmail({ headline: 'Training failed', sections: [{ title: 'Why', lines: [reason] }] });
 */
export function renderPlainTextEmail(layout: EmailLayout, reservedBytes = 0): string {
  const blocks = [
    `${clean(layout.headline)}\n${'='.repeat(Math.min(clean(layout.headline).length, LINE_WIDTH))}`,
    ...layout.sections
      .filter((section) => section.lines.length > 0)
      .map((section) =>
        [
          ...(section.title === '' ? [] : [clean(section.title)]),
          ...section.lines.flatMap((line) =>
            section.verbatim ? [clean(line)] : wrap(clean(line)),
          ),
        ].join('\n'),
      ),
  ];
  return fitBytes(`${blocks.join('\n\n')}\n`, MESSAGE_MAX_BYTES - reservedBytes);
}

function clean(text: string): string {
  // Control characters other than line feed and tab: \p{Cc} minus those two. A lone surrogate
  // becomes U+FFFD: SNS's query encoding cannot carry it, and the rest of the text is worth sending.
  return toWellFormedText(text)
    .replace(/\r\n?/g, '\n')
    .replace(/[^\P{Cc}\n\t]/gu, '');
}

// A list item, or a fact (`Label:  value`, two spaces at least, as factLines writes them):
// continuation lines hang under the text, so columns stay readable.
const HANGING_PREFIX = /^(?:\s*- |[^\s:][^:]{0,29}: {2,})/;

/** Wraps at word boundaries; a word longer than a line (a URL, an S3 key) stays whole. */
function wrap(text: string): string[] {
  return text.split('\n').flatMap((paragraph) => {
    const lead = HANGING_PREFIX.exec(paragraph)?.[0] ?? '';
    const hang = ' '.repeat(lead.length);
    const words = paragraph
      .slice(lead.length)
      .split(/ +/)
      .filter((word) => word !== '');
    if (words.length === 0) return [paragraph.trimEnd()];
    const lines: string[] = [];
    let line = lead;
    let empty = true;
    for (const word of words) {
      if (!empty && line.length + 1 + word.length > LINE_WIDTH) {
        lines.push(line);
        line = hang;
        empty = true;
      }
      line = empty ? `${line}${word}` : `${line} ${word}`;
      empty = false;
    }
    lines.push(line);
    return lines;
  });
}

function fitBytes(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  const room = maxBytes - Buffer.byteLength(TRUNCATION_NOTE, 'utf8');
  // Cut on a character boundary: decoding a byte prefix may end in half a character, drop it.
  const prefix = Buffer.from(text, 'utf8')
    .subarray(0, room)
    .toString('utf8')
    .replace(/\uFFFD$/, '');
  return `${prefix}${TRUNCATION_NOTE}`;
}
