import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Notification } from '../../functions/core/notification';
import type { RecentExecution } from '../../functions/core/pipeline-start-guard';
import type { PipelineStartRequest } from '../../functions/core/pipeline-start-request';
import { createMonitoringViolationHandler } from '../../functions/handlers/monitoring-violation';
import { expectGolden } from '../support/notification-fixtures';
import { monitoringConfig } from '../support/monitoring-fixtures';
import { sampleEvent } from '../support/upload-fixtures';

const NOW = new Date('2026-11-23T04:10:30Z');

function run(overrides: Partial<RecentExecution>): RecentExecution {
  return {
    arn: 'arn:aws:sagemaker:eu-west-1:123456789012:pipeline/mlops-control-plane-dev-training-hpo/execution/older1',
    status: 'Succeeded',
    startTime: '2026-11-20T04:00:00.000Z',
    displayName: 'model-quality-20261120T040000-1a2b3c4d',
    description: 'Started by onMonitoringViolation: ...',
    ...overrides,
  };
}

function setUp(recent: RecentExecution[] = []) {
  const started: PipelineStartRequest[] = [];
  const published: Notification[] = [];
  const listRecentExecutions = jest.fn<Promise<RecentExecution[]>, [string]>(async () => recent);
  const readJsonObject = jest.fn(async () => ({
    violations: [
      {
        feature_name: 'income',
        constraint_check_type: 'baseline_drift_check',
        description: 'Baseline drift distance: 0.31 exceeds threshold: 0.2',
      },
      {
        feature_name: 'age',
        constraint_check_type: 'completeness_check',
        description: 'Data completeness requirement is not met. Expected: 1.0, Observed: 0.95',
      },
    ],
  }));
  const handle = createMonitoringViolationHandler({
    config: monitoringConfig,
    region: 'eu-west-1',
    now: () => NOW,
    listRecentExecutions,
    startPipeline: async (request) => {
      started.push(request);
      return `arn:aws:sagemaker:eu-west-1:123456789012:pipeline/${request.pipelineName}/execution/new${started.length}`;
    },
    readJsonObject,
    publish: async (notification) => {
      published.push(notification);
      return 'm';
    },
    logger: new Logger(),
    metrics: new Metrics(),
  });
  return { handle, started, published, listRecentExecutions, readJsonObject };
}

function monitorJob(change: Record<string, unknown>) {
  const event = sampleEvent('model-monitor-job-violations.json') as {
    detail: Record<string, unknown>;
  };
  Object.assign(event.detail, change);
  return event;
}

function violationStep(change: Record<string, unknown> = {}) {
  const event = sampleEvent('pipeline-step-model-quality-violation.json') as {
    detail: Record<string, unknown>;
  };
  Object.assign(event.detail, change);
  return event;
}

function alarm(value: string, alarmName = 'mlops-control-plane-dev-feature-drift') {
  const event = sampleEvent('cloudwatch-drift-alarm.json') as {
    detail: { alarmName: string; state: { value: string } };
  };
  event.detail.alarmName = alarmName;
  event.detail.state.value = value;
  return event;
}

describe('onMonitoringViolation: trigger x guard', () => {
  it.each<[string, () => unknown, RecentExecution[], string, string | undefined]>([
    [
      'model-quality marker, nothing running, cooldown passed',
      () => violationStep(),
      [run({})],
      'started',
      'mlops-control-plane-dev-training-hpo',
    ],
    [
      'model-quality marker, a retune executing',
      () => violationStep(),
      [run({ status: 'Executing', startTime: '2026-11-23T01:00:00.000Z' })],
      'skipped',
      undefined,
    ],
    [
      'model-quality marker, last retune 2 h ago (6 h cooldown)',
      () => violationStep(),
      [run({ startTime: '2026-11-23T02:10:30.000Z' })],
      'skipped',
      undefined,
    ],
    [
      'the marker step failed for another reason',
      () => violationStep({ failureReason: 'ClientError: ground truth not found' }),
      [],
      'ignored',
      undefined,
    ],
    [
      'another step failed with the marker text',
      () => violationStep({ stepName: 'ScoreInput' }),
      [],
      'ignored',
      undefined,
    ],
    [
      "the marker, but in another stack's pipeline",
      () =>
        violationStep({
          pipelineArn: 'arn:aws:sagemaker:eu-west-1:123456789012:pipeline/other-batch-inference',
        }),
      [],
      'ignored',
      undefined,
    ],
    [
      'drift alarm ALARM, nothing running',
      () => alarm('ALARM'),
      [],
      'started',
      'mlops-control-plane-dev-training',
    ],
    ['drift alarm OK', () => alarm('OK'), [], 'ignored', undefined],
    ['drift alarm INSUFFICIENT_DATA', () => alarm('INSUFFICIENT_DATA'), [], 'ignored', undefined],
    ['an alarm that is not configured', () => alarm('ALARM', 'cpu-high'), [], 'ignored', undefined],
    [
      'drift alarm ALARM, a training executing',
      () => alarm('ALARM'),
      [run({ status: 'Executing' })],
      'skipped',
      undefined,
    ],
  ])('%s -> %s', async (_why, event, recent, outcome, startedPipeline) => {
    const { handle, started, published } = setUp(recent);
    await expect(handle(event())).resolves.toMatchObject({ outcome });
    expect(started.map((request) => request.pipelineName)).toEqual(
      startedPipeline ? [startedPipeline] : [],
    );
    expect(published.map((notification) => notification.kind)).toEqual(
      outcome === 'started'
        ? ['retrain-started']
        : outcome === 'skipped'
          ? ['retrain-skipped']
          : [],
    );
  });

  it('a duplicate of a handled trigger starts nothing and e-mails nothing', async () => {
    const first = setUp();
    await first.handle(violationStep());
    const description = first.started[0]?.description;
    const again = setUp([
      run({ status: 'Executing', description, startTime: '2026-11-23T04:10:05.000Z' }),
    ]);
    await expect(again.handle(violationStep())).resolves.toMatchObject({ outcome: 'duplicate' });
    expect(again.started).toEqual([]);
    expect(again.published).toEqual([]);
  });

  it("guards read the target pipeline's runs once", async () => {
    const { handle, listRecentExecutions } = setUp();
    await handle(violationStep());
    expect(listRecentExecutions).toHaveBeenCalledTimes(1);
    expect(listRecentExecutions).toHaveBeenCalledWith('mlops-control-plane-dev-training-hpo');
  });

  it('the retrain request: token from the trigger, group and training data as parameters', async () => {
    const { handle, started } = setUp();
    await handle(violationStep());
    expect(started[0]).toMatchObject({
      pipelineName: 'mlops-control-plane-dev-training-hpo',
      parameters: [
        { name: 'ModelPackageGroupName', value: 'mlops-control-plane-dev-models' },
        { name: 'InputDataUrl', value: 's3://mlops-control-plane-dev-data/data/training/' },
      ],
      displayName: expect.stringMatching(/^model-quality-20261122T064758-[0-9a-f]{8}$/),
      description: expect.stringContaining(`[trigger ${started[0]?.clientRequestToken}]`),
    });
    expect(started[0]?.description).toContain('model quality auc 0.6132 below 0.7');
  });
});

describe('golden e-mails of monitoring', () => {
  it('retrain-started', async () => {
    const { handle, published } = setUp();
    await handle(violationStep());
    expectGolden('retrain-started', published[0]);
  });

  it('retrain-skipped (cooldown)', async () => {
    const { handle, published } = setUp([run({ startTime: '2026-11-23T02:10:30.000Z' })]);
    await handle(alarm('ALARM'));
    expectGolden('retrain-skipped', published[0]);
  });

  it('model-monitor-drift-warning', async () => {
    const { handle, published } = setUp();
    await handle(sampleEvent('model-monitor-job-violations.json'));
    expectGolden('model-monitor-drift-warning', published[0]);
  });
});

describe('Model Monitor jobs: only the configured ones, reports only from the data bucket', () => {
  const otherTeams = {
    MonitoringScheduleArn:
      'arn:aws:sagemaker:eu-west-1:123456789012:monitoring-schedule/fraud-team-input',
  };
  const reportOf = (bucketAndKey: string) => ({
    ProcessingOutputConfig: { Outputs: [{ S3Output: { S3Uri: `s3://${bucketAndKey}` } }] },
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['its configured schedule (sample)', {}, 'warned'],
    ["another team's schedule", otherTeams, 'ignored'],
    ['a job of no schedule', { MonitoringScheduleArn: undefined }, 'ignored'],
    [
      'a report outside the data bucket',
      reportOf('fraud-team-bucket/monitoring/scoring-input/2026/11/23/03'),
      'ignored',
    ],
    [
      'a report in the data bucket but outside reportPrefix',
      reportOf('mlops-control-plane-dev-data/private/2026/11/23/03'),
      'ignored',
    ],
  ])('%s: %s', async (_why, change, outcome) => {
    const { handle, published, readJsonObject } = setUp();
    await expect(handle(monitorJob(change))).resolves.toMatchObject({ outcome });
    expect(readJsonObject).toHaveBeenCalledTimes(outcome === 'warned' ? 1 : 0);
    expect(published).toHaveLength(outcome === 'warned' ? 1 : 0);
  });
});
