import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, documentationPages, fencedBlocks } from './documentation';

const GOLDEN = join(ROOT, 'test', 'notifications', 'golden');

// An e-mail shown in the docs is a golden e-mail, word for word: when the rendering changes, the
// golden file changes with it and this test names the page that still shows the old one.
describe('every e-mail the docs show is a golden e-mail as rendered today', () => {
  const golden = new Set(
    readdirSync(GOLDEN).map((file) => readFileSync(join(GOLDEN, file), 'utf8').trimEnd()),
  );
  const shown = documentationPages()
    .flatMap(fencedBlocks)
    .filter((block) => block.info === 'text' && block.text.startsWith('Subject: '));

  it('the docs show e-mails', () => {
    expect(shown.length).toBeGreaterThan(0);
  });

  it.each(shown.map((block) => [block.page, block.text.split('\n')[0], block] as const))(
    '%s: %s',
    (_page, _subject, block) => {
      expect(golden.has(block.text.trimEnd())).toBe(true);
    },
  );
});
