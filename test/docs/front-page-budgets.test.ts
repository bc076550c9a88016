import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

// What a newcomer reads first stays short enough to read: details belong in docs/ and in
// tooling/resources/ and tooling/declarations/.
describe('the front pages stay front pages', () => {
  it('README.md is under 20 KB', () => {
    expect(statSync(join(ROOT, 'README.md')).size).toBeLessThan(20 * 1024);
  });

  it('serverless.yml, the configuration a user reads and changes, is under 450 lines', () => {
    const lines = readFileSync(join(ROOT, 'serverless.yml'), 'utf8').trimEnd().split('\n');
    expect(lines.length).toBeLessThan(450);
  });
});
