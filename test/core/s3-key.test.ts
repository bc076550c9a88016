import {
  baseNameOf,
  decodeS3EventKey,
  folderOf,
  isFolderMarker,
} from '../../functions/core/s3-key';

describe('decodeS3EventKey: keys as S3 writes them into notifications', () => {
  it.each([
    ['plain key is unchanged', 'data/training/part-0.csv', 'data/training/part-0.csv'],
    ['+ is a space', 'data/my+file.csv', 'data/my file.csv'],
    ['%2B is a literal plus', 'data/c%2B%2B.csv', 'data/c++.csv'],
    ['%20 is a space too', 'data/a%20b.csv', 'data/a b.csv'],
    [
      'UTF-8 bytes become non-ASCII characters',
      'data/caf%C3%A9/%E6%97%A5%E6%9C%AC.csv',
      'data/café/日本.csv',
    ],
    [
      'Hive partitions: %3D is =',
      'data/dt%3D2026-11-21/part-0.csv',
      'data/dt=2026-11-21/part-0.csv',
    ],
    ['parentheses and commas', 'data/report+%281%29%2C+final.csv', 'data/report (1), final.csv'],
  ])('%s', (_why, encoded, decoded) => {
    expect(decodeS3EventKey(encoded)).toBe(decoded);
  });

  it('throws on a malformed escape instead of guessing', () => {
    expect(() => decodeS3EventKey('data/100%.csv')).toThrow(URIError);
  });
});

describe('key anatomy', () => {
  it.each([
    ['data/training/2026-11-01/part-0.csv', 'data/training/2026-11-01/', 'part-0.csv', false],
    ['root.csv', '', 'root.csv', false],
    ['data/training/', 'data/training/', '', true],
  ])('%s', (key, folder, baseName, marker) => {
    expect(folderOf(key)).toBe(folder);
    expect(baseNameOf(key)).toBe(baseName);
    expect(isFolderMarker(key)).toBe(marker);
  });
});
