import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DETAIL_TYPE_OF } from '../../functions/core/ledger/decision';
import {
  type DecisionEventEntry,
  PUT_EVENTS_MAX_BYTES,
  entrySize,
  putEventsCalls,
} from '../../functions/core/ledger/decision-event';
import { decisionEventValidators, schemaProblems } from '../support/decision-event-schemas';

const root = join(__dirname, '..', '..');
const samples = readdirSync(join(root, 'events', 'decisions')).map((file) => ({
  file,
  event: JSON.parse(readFileSync(join(root, 'events', 'decisions', file), 'utf8')) as Record<
    string,
    unknown
  >,
}));

describe('decision events: one schema and one sample per detail-type', () => {
  const validators = decisionEventValidators();

  it('has a schema and a sample for every kind of decision, and nothing else', () => {
    const detailTypes = Object.values(DETAIL_TYPE_OF).sort();
    expect([...validators.keys()].sort()).toEqual(detailTypes);
    expect(samples.map(({ event }) => event['detail-type']).sort()).toEqual(detailTypes);
  });

  it.each(samples.map(({ file, event }) => [file, event] as const))(
    '%s validates against its schema',
    (_file, event) => {
      expect(schemaProblems(validators, event)).toEqual([]);
    },
  );

  it('a schema refuses what it does not describe: an unknown field, a missing one, a bad id', () => {
    const [{ event }] = samples as [(typeof samples)[number]];
    const detail = event.detail as Record<string, unknown>;
    const withoutId = Object.fromEntries(
      Object.entries(detail).filter(([name]) => name !== 'decisionId'),
    );
    expect(schemaProblems(validators, { ...event, detail: { ...detail, extra: 1 } })).toEqual([
      '/detail must NOT have additional properties',
    ]);
    expect(schemaProblems(validators, { ...event, detail: withoutId })).toEqual([
      "/detail must have required property 'decisionId'",
    ]);
    expect(
      schemaProblems(validators, { ...event, detail: { ...detail, decisionId: 'x' } }),
    ).toEqual(['/detail/decisionId must match pattern "^[0-9a-f]{64}$"']);
  });

  it("the README's event table names every detail-type with its sample", () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    for (const { file, event } of samples) {
      expect(readme).toMatch(
        new RegExp(`\\| ${String(event['detail-type'])} +\\| \\[?\`events/decisions/${file}\``),
      );
    }
  });
});

describe('PutEvents calls: at most 10 entries and 256 KiB each', () => {
  const entry = (detailBytes: number): DecisionEventEntry => ({
    source: 'mlops.control-plane',
    detailType: 'Upload Ignored',
    detail: JSON.stringify({ pad: 'x'.repeat(detailBytes) }),
    resources: [],
  });

  it.each([
    ['25 small entries', Array.from({ length: 25 }, () => entry(100)), [10, 10, 5]],
    [
      'entries of 100 KiB: two to a call',
      Array.from({ length: 5 }, () => entry(100_000)),
      [2, 2, 1],
    ],
    ['no entry', [], []],
  ])('%s', (_why, entries, sizes) => {
    const { calls, tooLarge } = putEventsCalls(entries);
    expect(calls.map((call) => call.length)).toEqual(sizes);
    expect(tooLarge).toEqual([]);
    for (const call of calls) {
      expect(call.reduce((total, one) => total + entrySize(one), 0)).toBeLessThanOrEqual(
        PUT_EVENTS_MAX_BYTES,
      );
    }
  });

  it('an entry larger than any call can take is set apart, not sent', () => {
    const huge = entry(PUT_EVENTS_MAX_BYTES);
    const { calls, tooLarge } = putEventsCalls([entry(10), huge]);
    expect(calls.map((call) => call.length)).toEqual([1]);
    expect(tooLarge).toEqual([huge]);
  });
});
