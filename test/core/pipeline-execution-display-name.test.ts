import {
  compactTimestamp,
  toPipelineExecutionDisplayName,
} from '../../functions/core/pipeline-execution-display-name';

const DISPLAY_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,81}$/;

describe('toPipelineExecutionDisplayName', () => {
  it.each([
    [['training-data', '20261121T120000', 'a1b2c3d4'], 'training-data-20261121T120000-a1b2c3d4'],
    [['my route_name.v2', '20261121T120000'], 'my-route-name-v2-20261121T120000'],
    [['--x--', 'é', 'y'], 'x-y'],
    [['', '', ''], 'run'],
  ])('%j -> %s', (parts, expected) => {
    expect(toPipelineExecutionDisplayName(parts)).toBe(expected);
  });

  it('shortens the first part so the time and token fragment survive, within 82 characters', () => {
    const name = toPipelineExecutionDisplayName(['r'.repeat(200), '20261121T120000', 'a1b2c3d4']);
    expect(name).toHaveLength(82);
    expect(name).toMatch(DISPLAY_NAME);
    expect(name.endsWith('-20261121T120000-a1b2c3d4')).toBe(true);
  });

  it('never ends on a hyphen after shortening', () => {
    const name = toPipelineExecutionDisplayName([
      `${'a'.repeat(56)}-${'b'.repeat(30)}`,
      'x'.repeat(24),
    ]);
    expect(name).toMatch(DISPLAY_NAME);
  });
});

describe('compactTimestamp', () => {
  it.each([
    ['2026-11-21T12:00:00Z', '20261121T120000'],
    ['2026-11-21T12:00:00.123Z', '20261121T120000'],
  ])('%s -> %s', (iso, compact) => {
    expect(compactTimestamp(iso)).toBe(compact);
  });
});
