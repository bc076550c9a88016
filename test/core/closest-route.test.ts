import { closestRoute } from '../../functions/core/closest-route';
import { BUCKET, testConfig } from '../support/upload-fixtures';

describe('the closest route of an object no route claims', () => {
  it.each([
    [
      'the right folder, the wrong file type',
      'data/inference/2026-11-21/scores.json',
      { route: 'inference-data', wants: 'suffix .csv' },
    ],
    [
      'a typo in the folder',
      'data/inferense/2026-11-21/scores.csv',
      { route: 'inference-data', wants: 'prefix data/inference/' },
    ],
    [
      'a typo and the wrong type',
      'data/trainig/2026-11/x.json',
      { route: 'training-data', wants: 'prefix data/training/' },
    ],
    [
      'a named segment route whose file type is wrong',
      'data/ground-truth/2026-11-21/labels.txt',
      { route: 'ground-truth', wants: 'suffix .csv' },
    ],
  ])('%s: %s', (_why, key, expected) => {
    expect(closestRoute(key, BUCKET, testConfig.routes)).toEqual(expected);
  });

  it('no route watches the bucket: none is close', () => {
    expect(
      closestRoute('data/inference/x.csv', 'another-bucket', testConfig.routes),
    ).toBeUndefined();
  });
});
