import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Notification } from '../../functions/core/notification';
import type { RecentExecution } from '../../functions/core/pipeline-start-guard';
import type { PipelineStartRequest } from '../../functions/core/pipeline-start-request';
import { InvalidEventError } from '../../functions/errors';
import { createOnMonitoringViolationHandler } from '../../functions/handlers/on-monitoring-violation';
import { expectGolden } from '../support/notification-fixtures';
import { monitoringConfig } from '../support/monitoring-fixtures';
import { sampleEvent } from '../support/upload-fixtures';
import { keptDecisions, publishingEveryTime } from '../support/ledger-fixtures';

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

const violationsReport = {
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
};

function setUp(recent: RecentExecution[] = []) {
  const started: PipelineStartRequest[] = [];
  const published: Notification[] = [];
  const listRecentExecutions = jest.fn<Promise<RecentExecution[]>, [string]>(async () => recent);
  const readStepFailureMessage = jest.fn<Promise<string | undefined>, [string, string]>(
    async () => 'MODEL_QUALITY_VIOLATION: metric=auc value=0.58 threshold=0.7',
  );
  const readJsonObject = jest.fn<Promise<unknown>, [string]>(async () => violationsReport);
  const publish = jest.fn(async (notification: Notification) => {
    published.push(notification);
    return 'm';
  });
  const decisions = keptDecisions();
  const handle = createOnMonitoringViolationHandler({
    config: monitoringConfig,
    region: 'eu-west-1',
    now: () => NOW,
    listRecentExecutions,
    startPipeline: async (request) => {
      started.push(request);
      return `arn:aws:sagemaker:eu-west-1:123456789012:pipeline/${request.pipelineName}/execution/new${started.length}`;
    },
    readStepFailureMessage,
    readJsonObject,
    publish: publishingEveryTime(publish),
    decisions,
    logger: new Logger(),
    metrics: new Metrics(),
  });
  return {
    handle,
    started,
    published,
    listRecentExecutions,
    readStepFailureMessage,
    readJsonObject,
    publish,
    decisions,
  };
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
      "the Fail step's event without the marker: still the violation",
      () => violationStep({ failureReason: 'Step failure' }),
      [],
      'started',
      'mlops-control-plane-dev-training-hpo',
    ],
    [
      'the Fail step not (yet) failed',
      () => violationStep({ currentStepStatus: 'Executing', failureReason: undefined }),
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

  it('a duplicate of a handled trigger starts nothing and announces the run it started', async () => {
    const first = setUp();
    await first.handle(violationStep());
    const description = first.started[0]?.description;
    const existing = run({
      arn: 'arn:aws:sagemaker:eu-west-1:123456789012:pipeline/mlops-control-plane-dev-training-hpo/execution/first1',
      status: 'Executing',
      description,
      startTime: '2026-11-23T04:10:05.000Z',
    });
    const again = setUp([existing]);
    await expect(again.handle(violationStep())).resolves.toMatchObject({
      outcome: 'duplicate',
      executionArn: existing.arn,
    });
    expect(again.started).toEqual([]);
    expect(again.published.map((notification) => notification.kind)).toEqual(['retrain-started']);
    expect(again.published[0]?.body).toContain('executions/first1');
  });

  it('a failed announcement is sent by the retry, which finds its own run', async () => {
    const recent: RecentExecution[] = [];
    const { handle, started, published, publish } = setUp(recent);
    publish.mockRejectedValueOnce(new Error('SNS unavailable'));
    await expect(handle(violationStep())).rejects.toThrow('SNS unavailable');
    recent.push(
      run({
        arn: 'arn:aws:sagemaker:eu-west-1:123456789012:pipeline/mlops-control-plane-dev-training-hpo/execution/new1',
        status: 'Executing',
        description: started[0]?.description,
        startTime: NOW.toISOString(),
      }),
    );
    await expect(handle(violationStep())).resolves.toMatchObject({ outcome: 'duplicate' });
    expect(started).toHaveLength(1);
    expect(published.map((notification) => notification.kind)).toEqual(['retrain-started']);
    expect(published[0]?.body).toContain('executions/new1');
  });

  it("the Fail step's message is read from the run only when its event has none", async () => {
    const withMessage = setUp();
    await withMessage.handle(violationStep());
    expect(withMessage.readStepFailureMessage).not.toHaveBeenCalled();
    expect(withMessage.published[0]?.subject).toContain('auc 0.6132 < 0.7');

    const without = setUp();
    await without.handle(violationStep({ failureReason: undefined }));
    expect(without.readStepFailureMessage).toHaveBeenCalledWith(
      'arn:aws:sagemaker:eu-west-1:123456789012:pipeline/mlops-control-plane-dev-batch-inference/execution/p8w2n6c4r0ty',
      'ModelQualityViolation',
    );
    expect(without.published[0]?.subject).toContain('auc 0.58 < 0.7');
  });

  it('an unreadable Fail step message costs the e-mail its numbers, not the retrain', async () => {
    const { handle, started, published, readStepFailureMessage } = setUp();
    readStepFailureMessage.mockRejectedValue(new Error('ThrottlingException'));
    await expect(handle(violationStep({ failureReason: 'Step failure' }))).resolves.toMatchObject({
      outcome: 'started',
    });
    expect(started).toHaveLength(1);
    expect(published[0]?.subject).toContain('Model quality below its threshold');
    expect(published[0]?.body).toContain('not reported');
  });

  it('every field of a retrain start derives from its identity (redeliveries that differ elsewhere)', async () => {
    const a = setUp();
    await a.handle(violationStep());
    const b = setUp();
    await b.handle(
      violationStep({ failureReason: undefined, stepEndTime: '2026-11-22T07:00:00Z' }),
    );
    expect(b.started[0]).toEqual(a.started[0]);
    const alarmA = setUp();
    await alarmA.handle(alarm('ALARM'));
    const laterDelivery = alarm('ALARM') as unknown as {
      time: string;
      detail: { state: { reason: string } };
    };
    laterDelivery.time = '2026-11-23T05:00:00Z';
    laterDelivery.detail.state.reason = 'reworded';
    const alarmB = setUp();
    await alarmB.handle(laterDelivery);
    expect(alarmB.started[0]).toEqual(alarmA.started[0]);
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
      displayName: expect.stringMatching(/^model-quality-p8w2n6c4r0ty-[0-9a-f]{8}$/),
      description: expect.stringContaining(`[trigger ${started[0]?.clientRequestToken}]`),
    });
    expect(started[0]?.description).toContain(
      'model-quality violation (ModelQualityViolation) in scoring run arn:aws:sagemaker:eu-west-1:123456789012:pipeline/mlops-control-plane-dev-batch-inference/execution/p8w2n6c4r0ty',
    );
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

  it('model-monitor-drift-warning-report-missing', async () => {
    const { handle, published, readJsonObject } = setUp();
    readJsonObject.mockResolvedValue(undefined);
    await handle(sampleEvent('model-monitor-job-violations.json'));
    expect(published[0]?.body.replace(/\s+/g, ' ')).toContain(
      'reported violations, but its report is missing at s3://mlops-control-plane-dev-data/monitoring/scoring-input/2026/11/23/03/constraint_violations.json',
    );
    expectGolden('model-monitor-drift-warning-report-missing', published[0]);
  });

  it('a Model Monitor output that is not an S3 URI is an invalid event, naming the field', async () => {
    const { handle, published, readJsonObject } = setUp();
    const event = sampleEvent('model-monitor-job-violations.json') as {
      detail: { ProcessingOutputConfig: { Outputs: Array<{ S3Output: { S3Uri: string } }> } };
    };
    const [output] = event.detail.ProcessingOutputConfig.Outputs;
    if (output === undefined) throw new Error('sample has no output');
    output.S3Output.S3Uri = 'https://example.com/report\n';
    await expect(handle(event)).rejects.toThrow(InvalidEventError);
    await expect(handle(event)).rejects.toThrow(
      'detail.ProcessingOutputConfig.Outputs[0].S3Output.S3Uri',
    );
    expect(readJsonObject).not.toHaveBeenCalled();
    expect(published).toEqual([]);
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
