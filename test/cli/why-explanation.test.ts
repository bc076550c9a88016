import type { UploadRoute } from '../../functions/config/data-upload-config';
import type { LedgerRecord } from '../../functions/aws/ledger-records';
import { type KeyFacts, explainKey } from '../../functions/cli/why-explanation';

const route = {
  name: 'inference-data',
  bucket: 'data-bucket',
  prefix: 'data/inference/incoming/',
  suffix: '.csv',
  pipeline: 'mlops-prod-batch-inference',
  inputParameter: 'InputDataUrl',
  parameters: {},
  mode: 'object',
} as unknown as UploadRoute;
const folderRoute = {
  ...route,
  name: 'training-data',
  mode: 'folder',
  windowSeconds: 900,
} as unknown as UploadRoute;
const arn = 'arn:aws:sagemaker:eu-west-1:123456789012:pipeline/p/execution/abc';
const startedRecord: LedgerRecord = {
  decision: 'run-requested',
  at: '2026-11-21T10:00:00Z',
  summary: 's3://data-bucket/data/inference/incoming/x.csv arrived: route inference-data started p',
  executionArn: arn,
};
const ignoredRecord: LedgerRecord = {
  decision: 'upload-ignored',
  at: '2026-11-21T10:00:00Z',
  summary: 's3://data-bucket/data/inference/incoming/x.json started nothing (no-route)',
};
const noRoute = { ignored: 'no-route', detail: 'no route claims it' } as const;

function facts(overrides: Partial<KeyFacts>): KeyFacts {
  return {
    uri: 's3://data-bucket/data/inference/incoming/x.csv',
    bucket: 'data-bucket',
    routing: { route, segments: {} },
    closest: undefined,
    bucketWatched: true,
    records: [],
    runStatuses: {},
    objectExists: true,
    ...overrides,
  };
}

describe('mlops why: the explanation of a key', () => {
  it.each<[string, Partial<KeyFacts>, string, RegExp]>([
    [
      'a started run, with its status',
      { records: [startedRecord], runStatuses: { [arn]: 'Succeeded' } },
      'started',
      /^started: .*route inference-data started p \[run Succeeded\]$/,
    ],
    [
      'an ignored upload, with the reason recorded',
      { routing: noRoute, records: [ignoredRecord] },
      'ignored',
      /^ignored: .*\(no-route\)/,
    ],
    [
      'a bucket no route watches',
      { bucketWatched: false, routing: noRoute },
      'not-recorded',
      /bucket data-bucket is not the stack's data bucket/,
    ],
    [
      'a key never uploaded that a route would take',
      { objectExists: false },
      'not-recorded',
      /never uploaded.*would start mlops-prod-batch-inference through route inference-data/,
    ],
    [
      'a key never uploaded that no route would take',
      { objectExists: false, routing: noRoute },
      'not-recorded',
      /never uploaded.*would be ignored \(no-route\)/,
    ],
    [
      'an object outside every rule prefix',
      {
        routing: noRoute,
        closest: { route: 'inference-data', wants: 'prefix data/inference/incoming/' },
      },
      'not-recorded',
      /outside every rule prefix/,
    ],
    [
      'an object with the wrong suffix, its event not decided yet',
      { routing: noRoute, closest: { route: 'inference-data', wants: 'suffix .csv' } },
      'not-recorded',
      /still in the upload buffer/,
    ],
    [
      'an object of a folder route, within its window',
      { routing: { route: folderRoute, segments: {} } },
      'not-recorded',
      /waits 900 s for the rest of the folder.*dead-letter queue/,
    ],
  ])('%s', (_case, overrides, outcome, verdict) => {
    const explanation = explainKey(facts(overrides));
    expect(explanation.outcome).toBe(outcome);
    expect(explanation.verdict).toMatch(verdict);
  });

  it('names the route that claims the key, or the closest one and what it wants', () => {
    expect(explainKey(facts({})).route).toBe(
      'route inference-data (object, prefix data/inference/incoming/, suffix .csv) starts mlops-prod-batch-inference with InputDataUrl',
    );
    expect(
      explainKey(
        facts({ routing: noRoute, closest: { route: 'inference-data', wants: 'suffix .csv' } }),
      ).route,
    ).toBe(
      'no route starts a run for it (no-route: no route claims it); closest route inference-data wants suffix .csv',
    );
  });
});
