import type { RecentExecution } from '../../functions/core/pipeline-start-guard';
import {
  ageOf,
  latestDecisions,
  pipelineStatus,
  runTrigger,
} from '../../functions/cli/status-report';

const now = new Date('2026-11-26T12:00:00Z');

describe('what started a run, from its description', () => {
  it.each([
    [
      'Started by onDataUpload, route inference-data (object mode): new object s3://b/k.csv (v1)',
      'upload, route inference-data',
    ],
    [
      'Started by onSchedule: daily-scoring (cron(0 6 * * ? *)) for 2026-11-21T06:00:00Z; token abc',
      'schedule daily-scoring',
    ],
    [
      'Started by onMonitoringViolation: model-quality violation of run x',
      'retraining after a quality violation',
    ],
    [
      'Started by onModelPackageStateChange: arn:aws:sagemaker:...:model-package/g/3 was approved',
      'approval of a model version',
    ],
    ['started by hand in the console', 'outside the control plane (my-run)'],
    [undefined, 'outside the control plane (my-run)'],
  ])('%s → %s', (description, trigger) => {
    expect(runTrigger(description, 'my-run')).toBe(trigger);
  });
});

describe('how long ago', () => {
  it.each([
    ['2026-11-26T11:59:18Z', '42s'],
    ['2026-11-26T11:55:00Z', '5m'],
    ['2026-11-26T09:00:00Z', '3h'],
    ['2026-11-24T11:00:00Z', '2d'],
    // A clock a little ahead of ours is not a negative age.
    ['2026-11-26T12:00:03Z', '0s'],
  ])('%s is %s before noon', (since, age) => {
    expect(ageOf(new Date(since), now)).toBe(age);
  });
});

describe("a pipeline's runs", () => {
  const run = (arn: string, status: string, startTime: string): RecentExecution => ({
    arn,
    status,
    startTime,
    displayName: arn,
    description: 'Started by onSchedule: daily-scoring (cron) for x',
  });

  it('lists every run under way and only the newest finished one', () => {
    const status = pipelineStatus(
      'batch-inference',
      'p',
      [
        run('c', 'Executing', '2026-11-26T11:59:00Z'),
        run('b', 'Failed', '2026-11-26T11:00:00Z'),
        run('s', 'Stopping', '2026-11-26T10:30:00Z'),
        run('a', 'Succeeded', '2026-11-26T10:00:00Z'),
      ],
      now,
    );
    expect(status.executing.map((line) => [line.arn, line.status, line.age])).toEqual([
      ['c', 'Executing', '1m'],
      ['s', 'Stopping', '1h'],
    ]);
    expect(status.lastFinished).toMatchObject({
      arn: 'b',
      status: 'Failed',
      trigger: 'schedule daily-scoring',
    });
  });

  it('has no last finished run when none finished', () => {
    expect(pipelineStatus('training', 'p', [], now)).toEqual({
      pipeline: 'training',
      name: 'p',
      executing: [],
      lastFinished: undefined,
    });
  });
});

it('shows the newest decisions of all pipelines first', () => {
  const records = [
    { at: '2026-11-26T10:00:00Z', pipeline: 'a', decision: 'run-requested', summary: 'one' },
    { at: '2026-11-26T11:00:00Z', pipeline: 'b', decision: 'run-skipped', summary: 'two' },
    { at: '2026-11-26T09:00:00Z', pipeline: 'a', decision: 'run-requested', summary: 'three' },
  ];
  expect(latestDecisions(records, 2).map((line) => line.summary)).toEqual(['two', 'one']);
});
