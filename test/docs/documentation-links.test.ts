import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT, documentationPages } from './documentation';

// Every relative link of the README and docs/ leads somewhere: the file exists, and a #anchor is
// a heading of the Markdown page it points into, as GitHub makes anchors of headings.

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsOf(markdown: string): string[] {
  const withoutCode = markdown.replace(/^```[\s\S]*?^```$/gm, '');
  return [...withoutCode.matchAll(/^#{1,6} (.+)$/gm)].map(([, heading]) => anchorOf(heading ?? ''));
}

describe('the links of the documentation', () => {
  const links = documentationPages().flatMap(({ path, text }) =>
    [
      ...text
        .replace(/^```[\s\S]*?^```$/gm, '')
        .replace(/`[^`\n]*`/g, '')
        .matchAll(/\]\(([^)\s]+)\)/g),
    ]
      .map(([, target]) => target ?? '')
      .filter((target) => !/^[a-z]+:/.test(target))
      .map((target) => ({ page: path, target })),
  );

  it('are there to check', () => {
    expect(links.length).toBeGreaterThan(30);
  });

  it.each(links)('$page → $target resolves', ({ page, target }) => {
    const [file = '', anchor] = target.split('#');
    const path = file === '' ? join(ROOT, page) : join(ROOT, dirname(page), file);
    expect({ target, exists: existsSync(path) }).toEqual({ target, exists: true });
    if (anchor !== undefined) {
      expect(statSync(path).isFile() && path.endsWith('.md')).toBe(true);
      expect(anchorsOf(readFileSync(path, 'utf8'))).toContain(anchor);
    }
  });
});
