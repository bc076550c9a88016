import fc from 'fast-check';
import { planUploadStarts } from '../../functions/core/plan-upload-starts';
import type { UploadedObject } from '../../functions/core/uploaded-object';
import { BUCKET, testConfig, uploadedObject } from '../support/upload-fixtures';

const DISPLAY_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,81}$/;

function plan(objects: UploadedObject[]) {
  return planUploadStarts(objects, testConfig.routes);
}

describe('planUploadStarts: which objects start which runs', () => {
  const cases: Array<{
    why: string;
    objects: UploadedObject[];
    inputs: string[];
    ignored?: string[];
  }> = [
    {
      why: 'object mode: a CSV under the inference prefix starts one run with its own URI',
      objects: [uploadedObject({ key: 'data/inference/2026-11-21/a.csv' })],
      inputs: [`s3://${BUCKET}/data/inference/2026-11-21/a.csv`],
    },
    {
      why: 'object mode: two different files start two runs',
      objects: [
        uploadedObject({ key: 'data/inference/a.csv', sequencer: '01' }),
        uploadedObject({ key: 'data/inference/b.csv', sequencer: '02' }),
      ],
      inputs: [`s3://${BUCKET}/data/inference/a.csv`, `s3://${BUCKET}/data/inference/b.csv`],
    },
    {
      why: 'object mode: the suffix filter leaves a .json under the same prefix unrouted',
      objects: [uploadedObject({ key: 'data/inference/2026-11-21/schema.json' })],
      inputs: [],
      ignored: ['no-route'],
    },
    {
      why: 'a key with a space, a plus and non-ASCII characters reaches the pipeline decoded',
      objects: [uploadedObject({ key: 'data/inference/café + bar (1).csv' })],
      inputs: [`s3://${BUCKET}/data/inference/café + bar (1).csv`],
    },
    {
      why: 'folder mode: part files of one folder start one run for the folder',
      objects: ['part-0.csv', 'part-1.csv', 'part-2.csv'].map((name, index) =>
        uploadedObject({ key: `data/training/2026-11-01/${name}`, sequencer: `0${index}` }),
      ),
      inputs: [`s3://${BUCKET}/data/training/2026-11-01/`],
    },
    {
      why: 'folder mode: two folders in one batch start one run each',
      objects: [
        uploadedObject({ key: 'data/training/2026-11-01/part-0.csv' }),
        uploadedObject({ key: 'data/training/2026-12-01/part-0.csv' }),
      ],
      inputs: [
        `s3://${BUCKET}/data/training/2026-11-01/`,
        `s3://${BUCKET}/data/training/2026-12-01/`,
      ],
    },
    {
      why: 'trigger-file mode: _SUCCESS starts a run for its folder',
      objects: [uploadedObject({ key: 'data/curated/2026-11/_SUCCESS', size: 0 })],
      inputs: [`s3://${BUCKET}/data/curated/2026-11/`],
    },
    {
      why: 'trigger-file mode: manifest.json is a trigger file too',
      objects: [uploadedObject({ key: 'data/curated/2026-11/manifest.json' })],
      inputs: [`s3://${BUCKET}/data/curated/2026-11/`],
    },
    {
      why: 'trigger-file mode: data files before the marker start nothing',
      objects: [uploadedObject({ key: 'data/curated/2026-11/part-0.parquet' })],
      inputs: [],
      ignored: ['not-trigger-file'],
    },
    {
      why: 'a folder marker (key ending in /) starts nothing',
      objects: [uploadedObject({ key: 'data/training/2026-11-01/', size: 0 })],
      inputs: [],
      ignored: ['folder-marker'],
    },
    {
      why: 'a key outside every prefix is ignored as unrouted',
      objects: [uploadedObject({ key: 'tmp/scratch.csv' })],
      inputs: [],
      ignored: ['no-route'],
    },
    {
      why: 'another bucket is ignored even under a routed prefix',
      objects: [uploadedObject({ bucket: 'someone-elses-bucket', key: 'data/inference/a.csv' })],
      inputs: [],
      ignored: ['no-route'],
    },
    {
      why: 'multipart uploads, copies and puts are all created objects',
      objects: [
        uploadedObject({
          key: 'data/inference/a.csv',
          reason: 'CompleteMultipartUpload',
          sequencer: '01',
        }),
        uploadedObject({ key: 'data/inference/b.csv', reason: 'CopyObject', sequencer: '02' }),
        uploadedObject({
          key: 'data/inference/c.csv',
          reason: 'ObjectCreated:Put',
          sequencer: '03',
        }),
      ],
      inputs: ['a', 'b', 'c'].map((name) => `s3://${BUCKET}/data/inference/${name}.csv`),
    },
  ];

  it.each(cases)('$why', ({ objects, inputs, ignored = [] }) => {
    const result = plan(objects);
    expect(result.starts.map((start) => start.input)).toEqual(inputs);
    expect(result.ignored.map((notice) => notice.reason)).toEqual(ignored);
    expect(result.rejected).toEqual([]);
  });
});

describe('planUploadStarts: the request sent to SageMaker', () => {
  it('names the pipeline, passes the input URI and the static parameters', () => {
    const [start] = plan([uploadedObject({ key: 'data/inference/2026-11-21/a.csv' })]).starts;
    expect(start?.request).toMatchObject({
      pipelineName: 'mlops-dev-batch-inference',
      parameters: [
        { name: 'InputDataUrl', value: `s3://${BUCKET}/data/inference/2026-11-21/a.csv` },
        { name: 'ModelPackageGroupName', value: 'mlops-dev-models' },
      ],
    });
    expect(start?.request.description).toContain('route inference-data (object mode)');
    expect(start?.request.description).toContain(`s3://${BUCKET}/data/inference/2026-11-21/a.csv`);
  });

  it.each([
    ['object', uploadedObject({ key: 'data/inference/a.csv' })],
    ['folder', uploadedObject({ key: 'data/training/2026-11-01/part-0.csv' })],
    ['trigger-file', uploadedObject({ key: 'data/curated/2026-11/_SUCCESS' })],
    ['long route and key', uploadedObject({ key: `data/inference/${'x'.repeat(900)}.csv` })],
  ])('%s: token is 32-128 chars and the display name matches the API pattern', (_mode, object) => {
    const [start] = plan([object]).starts;
    const token = start?.request.clientRequestToken ?? '';
    expect(token.length).toBeGreaterThanOrEqual(32);
    expect(token.length).toBeLessThanOrEqual(128);
    expect(start?.request.displayName).toMatch(DISPLAY_NAME);
    expect(start?.request.description.length).toBeLessThanOrEqual(3072);
  });

  it("names the run after the route and the object, and a token fragment: all from the write's identity", () => {
    const [start] = plan([
      uploadedObject({ key: 'data/inference/a.csv', eventTime: '2026-11-21T05:30:01.123Z' }),
    ]).starts;
    expect(start?.request.displayName).toBe(
      `inference-data-a-csv-${start?.request.clientRequestToken.slice(-8)}`,
    );
  });

  it('two deliveries of one write that differ outside its identity send the same request', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('object', 'trigger-file'),
        fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }),
        fc.string(),
        fc.nat(),
        (kind, otherTime, otherReason, otherSize) => {
          const key = kind === 'object' ? 'data/inference/a.csv' : 'data/curated/set-1/_SUCCESS';
          const write = uploadedObject({ key, versionId: 'v1', sequencer: '00AA' });
          const redelivered = {
            ...write,
            notificationId: 'other',
            eventTime: otherTime.toISOString(),
            reason: otherReason,
            size: otherSize,
            sequencer: '00BB',
          };
          expect(plan([redelivered]).starts[0]?.request).toEqual(plan([write]).starts[0]?.request);
        },
      ),
    );
  });

  it("ground truth for a day starts the quality run of that day's input: parameters from the key", () => {
    const [start] = plan([
      uploadedObject({ key: 'data/ground-truth/2026-11-21/labels.csv' }),
    ]).starts;
    expect(start?.route).toBe('ground-truth');
    expect(start?.request.parameters).toEqual([
      { name: 'GroundTruthUrl', value: `s3://${BUCKET}/data/ground-truth/2026-11-21/labels.csv` },
      { name: 'InputDataUrl', value: `s3://${BUCKET}/data/inference/2026-11-21/` },
      { name: 'ModelPackageGroupName', value: 'mlops-dev-models' },
    ]);
    const nested = plan([uploadedObject({ key: 'data/ground-truth/labels.csv' })]);
    expect(nested.starts).toEqual([]);
    expect(nested.ignored.map((ignored) => ignored.reason)).toEqual(['no-route']);
  });

  it('a claimed key with a control character is rejected, naming it; nothing starts', () => {
    const result = plan([uploadedObject({ key: 'data/inference/a\nb.csv' })]);
    expect(result.starts).toEqual([]);
    expect(result.rejected).toEqual([
      {
        notificationIds: ['n-1'],
        message: expect.stringContaining('holds the control character U+000A at position 16'),
      },
    ]);
  });

  it('a key with a control character that no route claims is only ignored', () => {
    const result = plan([uploadedObject({ key: 'elsewhere/a\nb.csv' })]);
    expect(result.rejected).toEqual([]);
    expect(result.ignored.map((ignored) => ignored.reason)).toEqual(['no-route']);
  });

  it('rejects (rather than truncates) an input URI longer than a pipeline parameter holds', () => {
    const object = uploadedObject({
      key: `data/inference/${'x'.repeat(1000)}.csv`,
      notificationId: 'long',
    });
    const result = plan([object]);
    expect(result.starts).toEqual([]);
    expect(result.rejected).toEqual([
      { notificationIds: ['long'], message: expect.stringContaining('at most 1024') },
    ]);
  });
});

describe('planUploadStarts: exactly once', () => {
  const object = uploadedObject({ key: 'data/inference/a.csv', sequencer: '00AA' });

  it('a duplicated notification in one batch collapses into one start for both notifications', () => {
    const result = plan([object, { ...object, notificationId: 'n-2' }]);
    expect(result.starts).toHaveLength(1);
    expect(result.starts[0]?.notificationIds).toEqual(['n-1', 'n-2']);
  });

  it('a duplicate delivered in a later batch builds the identical request (same token)', () => {
    const first = plan([object]).starts[0];
    const again = plan([{ ...object, notificationId: 'redelivered' }]).starts[0];
    expect(again?.request).toEqual(first?.request);
  });

  it('a re-upload of the same key (new sequencer) is new data and gets a new token', () => {
    const first = plan([object]).starts[0];
    const reupload = plan([{ ...object, sequencer: '00BB' }]).starts[0];
    expect(reupload?.request.clientRequestToken).not.toBe(first?.request.clientRequestToken);
  });

  it('the version id, when the bucket is versioned, identifies the write', () => {
    const v1 = plan([{ ...object, versionId: 'v1' }]).starts[0];
    const v1AgainOtherSequencer = plan([{ ...object, versionId: 'v1', sequencer: '00CC' }])
      .starts[0];
    const v2 = plan([{ ...object, versionId: 'v2' }]).starts[0];
    expect(v1AgainOtherSequencer?.request.clientRequestToken).toBe(v1?.request.clientRequestToken);
    expect(v2?.request.clientRequestToken).not.toBe(v1?.request.clientRequestToken);
  });

  it('the route is part of the identity: renaming a route gives the same object a new token', () => {
    const renamed = testConfig.routes.map((route) =>
      route.name === 'inference-data' ? { ...route, name: 'scoring' } : route,
    );
    const original = planUploadStarts([object], testConfig.routes).starts[0];
    const viaRenamed = planUploadStarts([object], renamed).starts[0];
    expect(viaRenamed?.route).toBe('scoring');
    expect(viaRenamed?.request.clientRequestToken).not.toBe(original?.request.clientRequestToken);
  });
});

describe('planUploadStarts: folder coalescing', () => {
  const partFile = (index: number, eventTime: string, notificationId = `n-${index}`) =>
    uploadedObject({
      notificationId,
      key: `data/training/2026-11-01/part-${String(index).padStart(5, '0')}.csv`,
      sequencer: index.toString(16),
      eventTime,
    });

  it('500 part files of one folder in one batch start one run', () => {
    const objects = Array.from({ length: 500 }, (_, index) =>
      partFile(index, new Date(Date.UTC(2026, 10, 1, 6, 0, index % 60)).toISOString()),
    );
    const result = plan(objects);
    expect(result.starts).toHaveLength(1);
    expect(result.starts[0]?.objectCount).toBe(500);
    expect(result.starts[0]?.notificationIds).toHaveLength(500);
  });

  it('one batch straddling a window boundary still starts one run (the earliest window)', () => {
    const result = plan([partFile(1, '2026-11-01T06:14:59Z'), partFile(2, '2026-11-01T06:15:01Z')]);
    expect(result.starts).toHaveLength(1);
    expect(result.starts[0]?.request.displayName).toContain('20261101T060000');
  });

  it('later batches in the same window reuse the token, so SageMaker returns the same run', () => {
    const first = plan([partFile(1, '2026-11-01T06:01:00Z')]).starts[0];
    const later = plan([partFile(2, '2026-11-01T06:14:00Z')]).starts[0];
    expect(later?.request).toEqual(first?.request);
  });

  it('a batch in the next window starts a new run', () => {
    const first = plan([partFile(1, '2026-11-01T06:01:00Z')]).starts[0];
    const next = plan([partFile(2, '2026-11-01T06:16:00Z')]).starts[0];
    expect(next?.request.clientRequestToken).not.toBe(first?.request.clientRequestToken);
  });
});
