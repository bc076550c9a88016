import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The repository's root, which README.md and docs/ are relative to. */
export const ROOT = join(__dirname, '..', '..');

/** README.md and every page of docs/, by path from the root, with their text. */
export function documentationPages(): ReadonlyArray<{ path: string; text: string }> {
  const pages = [
    'README.md',
    ...readdirSync(join(ROOT, 'docs'))
      .filter((file) => file.endsWith('.md'))
      .map((file) => `docs/${file}`),
  ];
  return pages.map((path) => ({ path, text: readFileSync(join(ROOT, path), 'utf8') }));
}

/** The rows of every Markdown table whose first header cell is `header`, as trimmed cells. */
export function tableRows(markdown: string, header: string): string[][] {
  const rows: string[][] = [];
  const lines = markdown.split('\n');
  lines.forEach((line, index) => {
    if (cells(line)[0] !== header) return;
    for (const row of lines.slice(index + 2)) {
      if (!row.startsWith('|')) break;
      rows.push(cells(row));
    }
  });
  return rows;
}

function cells(line: string): string[] {
  if (!line.startsWith('|')) return [];
  return line
    .slice(1, line.trimEnd().endsWith('|') ? line.trimEnd().length - 1 : undefined)
    .split('|')
    .map((cell) => cell.trim());
}

/** Every `code span` of a Markdown text. */
export function codeSpans(markdown: string): string[] {
  return [...markdown.matchAll(/`([^`]+)`/g)].map(([, code]) => code ?? '');
}

/** A fenced code block: its info string (`sh`, `sh aws`) and its text. */
export interface FencedBlock {
  readonly page: string;
  readonly info: string;
  readonly text: string;
}

export function fencedBlocks(page: { path: string; text: string }): FencedBlock[] {
  return [...page.text.matchAll(/^```([^\n]*)\n([\s\S]*?)^```$/gm)].map(([, info, text]) => ({
    page: page.path,
    info: (info ?? '').trim(),
    text: text ?? '',
  }));
}

/**
 * The commands of a shell block: continuation lines joined, comments dropped (a line of its own, or
 * after two spaces: a `#` inside a quoted argument, `'... AND #at ...'`, stays).
 */
export function shellCommands(block: FencedBlock): string[] {
  return block.text
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((line) => line.replace(/(^|\s{2})#.*$/, '').trim())
    .filter((line) => line !== '');
}
