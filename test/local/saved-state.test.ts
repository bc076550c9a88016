import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSavedState, savedState } from '../../tooling/local/saved-state';

describe('saved state of local mode: JSON files under .local/', () => {
  const directory = mkdtempSync(join(tmpdir(), 'saved-state-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));
  const file = join(directory, 'queues.json');

  it('a first start finds nothing; a later one what was saved, and no temporary file', () => {
    expect(readSavedState(file)).toBeUndefined();
    savedState(file, () => ({ buffer: ['m-1'] })).save();
    expect(readSavedState(file)).toEqual({ buffer: ['m-1'] });
    expect(readdirSync(directory)).toEqual(['queues.json']);
  });

  it('writes the changes of one turn of the event loop once, with the state of then', async () => {
    let state = 1;
    let reads = 0;
    const saved = savedState(file, () => {
      reads += 1;
      return { state };
    });
    saved.changed();
    state = 2;
    saved.changed();
    await new Promise((resolve) => setImmediate(resolve));
    expect(reads).toBe(1);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ state: 2 });
  });

  it('says what to do with a file it cannot read', () => {
    writeFileSync(file, '{"half');
    expect(() => readSavedState(file)).toThrow(
      /queues\.json is not readable JSON .*: remove it, or forget all local state with npm run local:reset$/,
    );
  });
});
