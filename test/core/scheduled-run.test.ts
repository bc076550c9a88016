import { parseConfig } from '../../functions/config/parse-config';
import { schedulesConfigSchema } from '../../functions/config/schedules-config';
import { fillDateTemplate } from '../../functions/core/date-template';
import type { HoldingGuard, RecentExecution } from '../../functions/core/pipeline-start-guard';
import {
  decideScheduledRun,
  scheduleOf,
  scheduledRunReads,
  scheduledStartRequest,
} from '../../functions/core/scheduled-run';
import { scheduledEventSchema } from '../../functions/schemas/scheduled-event';
import { scheduleConfig } from '../support/schedule-fixtures';
import { sampleEvent } from '../support/upload-fixtures';

const daily = scheduledEventSchema.parse(sampleEvent('schedule-daily-scoring.json'));

describe('fillDateTemplate: the scheduled time in UTC, never the clock', () => {
  it.each<[string, string, number, string]>([
    ['a plain day', '2026-11-21T06:00:00Z', 0, '2026/11/21/06'],
    ['yesterday across a month boundary', '2026-12-01T06:00:00Z', -1, '2026/11/30/06'],
    ['yesterday across a year boundary', '2027-01-01T00:30:00Z', -1, '2026/12/31/00'],
    ['yesterday across February in a leap year', '2028-03-01T12:00:00Z', -1, '2028/02/29/12'],
    ['tomorrow across a year boundary', '2026-12-31T23:00:00Z', 1, '2027/01/01/23'],
    ['a time with an offset is read in UTC', '2026-11-21T01:30:00+02:00', 0, '2026/11/20/23'],
  ])('%s', (_why, time, offset, expected) => {
    expect(fillDateTemplate('{{yyyy}}/{{mm}}/{{dd}}/{{hh}}', time, offset)).toBe(expected);
  });
});

describe('scheduled runs', () => {
  it('the firing rule names its schedule; another rule is not ours', () => {
    expect(scheduleOf(daily, scheduleConfig)).toMatchObject({ name: 'daily-scoring' });
    expect(
      scheduleOf(
        { ...daily, resources: ['arn:aws:events:eu-west-1:123456789012:rule/other'] },
        scheduleConfig,
      ),
    ).toEqual({
      ignore: 'rule other is not a schedule of this stack',
    });
  });

  it('the request: dated input, token from schedule and scheduled time', () => {
    const schedule = scheduleConfig.schedules[0]!;
    const request = scheduledStartRequest(schedule, daily, scheduleConfig);
    expect(request.parameters).toEqual([
      { name: 'InputDataUrl', value: 's3://bucket/data/inference/2026-11-21/' },
      { name: 'ModelPackageGroupName', value: 'g' },
    ]);
    expect(request.clientRequestToken).toBe(
      scheduledStartRequest(schedule, daily, scheduleConfig).clientRequestToken,
    );
    expect(request.clientRequestToken).not.toBe(
      scheduledStartRequest(schedule, { ...daily, time: '2026-11-22T06:00:00Z' }, scheduleConfig)
        .clientRequestToken,
    );
    expect(request.displayName).toMatch(/^daily-scoring-20261121T060000-[0-9a-f]{8}$/);
  });

  it('monthly training on the 1st reads the previous month', () => {
    const request = scheduledStartRequest(
      scheduleConfig.schedules[1]!,
      { ...daily, time: '2027-01-01T12:00:00Z' },
      scheduleConfig,
    );
    expect(request.parameters[0]?.value).toBe('s3://bucket/data/training/2026-12');
  });

  const executing: RecentExecution = {
    arn: 'arn:run',
    status: 'Executing',
    startTime: '2026-11-21T05:00:00.000Z',
    displayName: 'x',
    description: 'y',
  };
  it.each<
    [
      string,
      { recent?: RecentExecution[]; inputHasObjects?: boolean; approvedModelArn?: string },
      string,
      HoldingGuard?,
    ]
  >([
    ['everything in place', {}, 'start', undefined],
    ['no input yet', { inputHasObjects: false }, 'holds no object yet', 'no-input'],
    [
      'no approved model yet',
      { approvedModelArn: undefined },
      'no model version is approved yet',
      'no-approved-model',
    ],
    ['a run executing', { recent: [executing] }, 'is still executing', 'run-executing'],
  ])('daily scoring with %s', (_why, change, expected, guard) => {
    const schedule = scheduleConfig.schedules[0]!;
    const request = scheduledStartRequest(schedule, daily, scheduleConfig);
    const facts = { recent: [], inputHasObjects: true, approvedModelArn: 'arn:model/1', ...change };
    const decision = decideScheduledRun(schedule, request, facts);
    if (expected === 'start') expect(decision).toEqual({ kind: 'start', request });
    else
      expect(decision).toEqual({
        kind: 'held-back',
        guard,
        skip: expect.stringContaining(expected),
        because: expect.any(String),
      });
  });

  it('a redelivered firing finds its run and starts nothing', () => {
    const schedule = scheduleConfig.schedules[0]!;
    const request = scheduledStartRequest(schedule, daily, scheduleConfig);
    const mine: RecentExecution = { ...executing, description: request.description };
    expect(
      decideScheduledRun(schedule, request, {
        recent: [mine],
        inputHasObjects: true,
        approvedModelArn: 'a',
      }),
    ).toEqual({
      kind: 'duplicate',
      executionArn: 'arn:run',
    });
  });

  it('training needs no approved model', () => {
    const schedule = scheduleConfig.schedules[1]!;
    const request = scheduledStartRequest(schedule, daily, scheduleConfig);
    expect(decideScheduledRun(schedule, request, { recent: [], inputHasObjects: true })).toEqual({
      kind: 'start',
      request,
    });
  });
});

describe('schedule configuration', () => {
  const schedule = {
    name: 'daily',
    expression: 'cron(0 6 * * ? *)',
    pipeline: 'batch-inference',
    parameters: { InputDataUrl: 's3://b/{{yyyy}}/' },
  };
  it.each<[string, unknown, string]>([
    [
      'an unknown date placeholder',
      [{ ...schedule, parameters: { InputDataUrl: 's3://b/{{date}}/' } }],
      '[0].parameters.InputDataUrl: unknown placeholder {{date}}',
    ],
    [
      'an expression that is not cron or rate',
      [{ ...schedule, expression: '0 6 * * *' }],
      '[0].expression: 0 6 * * *: is not rate(value unit) or cron(minutes hours day-of-month month day-of-week year)',
    ],
    [
      'no value for the input parameter',
      [{ ...schedule, parameters: { Other: 'x' } }],
      'every schedule must give a value to its inputParameter',
    ],
    ['two schedules with one name', [schedule, schedule], 'schedule names must be unique'],
  ])('rejects %s', (_why, raw, message) => {
    expect(() => parseConfig(schedulesConfigSchema, raw, 'custom.mlops.schedules')).toThrow(
      message,
    );
  });
});

describe('scheduledRunReads: what a run needs read before deciding', () => {
  it.each<[string, number, { inputPrefix?: string; approvedModelGroup?: string }]>([
    [
      'scoring reads its input prefix and the newest approved model',
      0,
      {
        inputPrefix: 's3://bucket/data/inference/2026-11-21/',
        approvedModelGroup: scheduleConfig.modelPackageGroup,
      },
    ],
    [
      'training reads its input prefix only',
      1,
      { inputPrefix: 's3://bucket/data/training/2026-11' },
    ],
  ])('%s', (_why, index, expected) => {
    const schedule = scheduleConfig.schedules[index]!;
    const request = scheduledStartRequest(schedule, daily, scheduleConfig);
    expect(scheduledRunReads(schedule, request, scheduleConfig)).toEqual(expected);
  });

  it('an input outside S3 is not read (the run is then held back for want of input)', () => {
    const schedule = {
      ...scheduleConfig.schedules[1]!,
      parameters: { InputDataUrl: 'file:///tmp/x' },
    };
    const request = scheduledStartRequest(schedule, daily, scheduleConfig);
    expect(scheduledRunReads(schedule, request, scheduleConfig)).toEqual({});
  });
});
