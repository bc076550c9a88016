import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { retrainingConfigSchema } from '../../functions/config/retraining-config';
import { matchesEventPattern } from '../../tooling/local/event-pattern';
import { cloudFormationStack } from '../../tooling/local/cloudformation-intrinsics';
import { type MonitoringGroup, monitoringRoutes } from '../../tooling/monitoring-wiring';
import { eventBridgeObjectCreated } from '../support/upload-fixtures';
import { packagedTemplate } from '../support/serverless-package';

// Every EventBridge rule matches the sample events it exists for, and no other sample. A drift
// alarm matches only when configured (the default configures none; a test below configures one).
const RULE_OF_SAMPLE: Record<string, string | string[] | undefined> = {
  'pipeline-execution-succeeded.json': 'PipelineStatusRule',
  'pipeline-execution-failed.json': 'PipelineStatusRule',
  'pipeline-execution-failed-model-quality.json': 'PipelineStatusRule',
  // Model Monitor jobs match only when their schedule is configured (none by default; a test below).
  'model-monitor-job-violations.json': undefined,
  'cloudwatch-drift-alarm.json': undefined,
  // Schedules fire their rule's target directly; no pattern takes a scheduled event.
  'schedule-daily-scoring.json': undefined,
  'pipeline-step-data-quality-violations.json': 'PipelineStatusRule',
  // The retrain target's message group: training-hpo by default.
  'pipeline-step-model-quality-violation.json': 'MonitoringTrainingHpoRule',
  'model-package-pending-approval.json': 'ModelPackageRule',
  'model-package-approved.json': 'ModelPackageRule',
  'model-package-rejected.json': 'ModelPackageRule',
  'training-folder-upload.eventbridge.json': 'DataUploadRule',
  'ground-truth-upload.eventbridge.json': 'DataUploadRule',
  'curated-training-trigger-file.eventbridge.json': 'DataUploadRule',
  'inference-uploads.sqs.json#0': 'DataUploadRule',
  'inference-uploads.sqs.json#1': 'DataUploadRule',
  'inference-uploads.sqs.json#2': 'DataUploadRule',
};

/** Every EventBridge-shaped sample in events/, SQS batches unwrapped into the events they carry. */
function eventBridgeSamples(): Array<[string, Record<string, unknown>]> {
  const folder = join(__dirname, '..', '..', 'events');
  return readdirSync(folder)
    .filter((file) => file.endsWith('.json'))
    .flatMap((file): Array<[string, Record<string, unknown>]> => {
      const sample = JSON.parse(readFileSync(join(folder, file), 'utf8')) as Record<
        string,
        unknown
      >;
      const records = sample.Records as Array<{ eventSource?: string; body?: string }> | undefined;
      if (records?.[0]?.eventSource === 'aws:sqs') {
        return records.map((record, index) => [
          `${file}#${index}`,
          JSON.parse(record.body ?? '{}'),
        ]);
      }
      return 'detail-type' in sample ? [[file, sample]] : [];
    });
}

/** The rules' patterns as CloudFormation resolves them in the samples' account. */
function rulePatterns(): Record<string, Record<string, unknown>> {
  const template = packagedTemplate('dev');
  const stack = cloudFormationStack(template, {
    stackName: 'mlops-control-plane-dev',
    region: 'eu-west-1',
    accountId: '123456789012',
  });
  return Object.fromEntries(
    Object.entries(template.Resources)
      .filter(
        ([, resource]) =>
          resource.Type === 'AWS::Events::Rule' && 'EventPattern' in resource.Properties,
      )
      .map(([id, resource]) => [
        id,
        stack.resolve(resource.Properties.EventPattern) as Record<string, unknown>,
      ]),
  );
}

/** The message groups whose monitoring rule takes the event, for a retraining configuration. */
function monitoringGroupsOf(
  retraining: Record<string, unknown>,
  event: Record<string, unknown>,
): MonitoringGroup[] {
  return monitoringRoutes(retrainingConfigSchema.parse(retraining), packagedPipelines)
    .filter((route) => matchesEventPattern(route.pattern, event))
    .map((route) => route.group);
}

const packagedPipelines = {
  training: 'mlops-control-plane-dev-training',
  'training-hpo': 'mlops-control-plane-dev-training-hpo',
  'batch-inference': 'mlops-control-plane-dev-batch-inference',
};

describe('EventBridge rules against the sample events', () => {
  const patterns = rulePatterns();
  const samples = eventBridgeSamples();

  it('every sample is accounted for and every rule has samples', () => {
    expect(samples.map(([name]) => name).sort()).toEqual(Object.keys(RULE_OF_SAMPLE).sort());
    const rulesWithSamples = Object.values(RULE_OF_SAMPLE).flatMap((rule) => rule ?? []);
    expect(Object.keys(patterns).sort()).toEqual([...new Set(rulesWithSamples)].sort());
  });

  it.each(samples)('%s matches its rule and no other', (name, event) => {
    const matching = Object.entries(patterns)
      .filter(([, pattern]) => matchesEventPattern(pattern, event))
      .map(([id]) => id);
    expect(matching.sort()).toEqual([RULE_OF_SAMPLE[name] ?? []].flat().sort());
  });

  it.each<[string, Record<string, unknown>]>([
    [
      'a run of a pipeline of another stack',
      { pipelineArn: 'arn:aws:sagemaker:eu-west-1:123456789012:pipeline/other-training' },
    ],
    ['a status that sends no e-mail', { currentPipelineExecutionStatus: 'Executing' }],
  ])('PipelineStatusRule ignores %s', (_why, change) => {
    const event = samples.find(([name]) => name === 'pipeline-execution-succeeded.json')?.[1] as {
      detail: object;
    };
    expect(
      matchesEventPattern(patterns.PipelineStatusRule ?? {}, {
        ...event,
        detail: { ...event.detail, ...change },
      }),
    ).toBe(false);
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>, MonitoringGroup[]]>([
    [
      "a configured drift alarm entering ALARM, in its pipeline's group",
      { alarms: [{ name: 'mlops-control-plane-dev-feature-drift', pipeline: 'training' }] },
      {},
      ['training'],
    ],
    [
      'an alarm retraining the same pipeline as the model-quality marker, in one group',
      { alarms: [{ name: 'mlops-control-plane-dev-feature-drift', pipeline: 'training-hpo' }] },
      {},
      ['training-hpo'],
    ],
    [
      'the alarm entering OK',
      { alarms: [{ name: 'mlops-control-plane-dev-feature-drift' }] },
      { state: { value: 'OK' } },
      [],
    ],
    [
      'an alarm that is not configured',
      { alarms: [{ name: 'mlops-control-plane-dev-feature-drift' }] },
      { alarmName: 'cpu-high' },
      [],
    ],
  ])('monitoring rules and CloudWatch: %s', (_why, retraining, change, groups) => {
    const alarm = samples.find(([name]) => name === 'cloudwatch-drift-alarm.json')?.[1] as {
      detail: object;
    };
    expect(
      monitoringGroupsOf(retraining, { ...alarm, detail: { ...alarm.detail, ...change } }),
    ).toEqual(groups);
  });

  it('the model-quality marker joins the group of the pipeline onModelQuality names', () => {
    const step = samples.find(
      ([name]) => name === 'pipeline-step-model-quality-violation.json',
    )?.[1] as Record<string, unknown>;
    expect(monitoringGroupsOf({}, step)).toEqual(['training-hpo']);
    expect(monitoringGroupsOf({ onModelQuality: 'training' }, step)).toEqual(['training']);
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>, boolean]>([
    ['a job of the configured schedule', { scheduleNames: ['scoring-input'] }, {}, true],
    [
      "another team's schedule",
      { scheduleNames: ['scoring-input'] },
      {
        MonitoringScheduleArn:
          'arn:aws:sagemaker:eu-west-1:123456789012:monitoring-schedule/fraud-team-input',
      },
      false,
    ],
    [
      'a job of a configured name prefix',
      { jobNamePrefixes: ['churn-adhoc-'] },
      { ProcessingJobName: 'churn-adhoc-20261123', MonitoringScheduleArn: undefined },
      true,
    ],
    [
      "a pipeline's own quality check",
      { jobNamePrefixes: ['churn-adhoc-'] },
      { ProcessingJobName: 'pipelines-p8w2n6c4r0ty-CheckInputDataQuality-x' },
      false,
    ],
    [
      'a configured job without violations',
      { scheduleNames: ['scoring-input'] },
      { ExitMessage: 'Completed: Job completed successfully with no violations.' },
      false,
    ],
    ['any job, when nothing is configured', {}, {}, false],
  ])('monitoring rules and Model Monitor: %s', (_why, modelMonitor, change, matches) => {
    const job = samples.find(([name]) => name === 'model-monitor-job-violations.json')?.[1] as {
      detail: object;
    };
    expect(
      monitoringGroupsOf({ modelMonitor }, { ...job, detail: { ...job.detail, ...change } }),
    ).toEqual(matches ? ['model-monitor'] : []);
  });

  it.each<[string, Record<string, unknown>]>([
    [
      "a training run's baseline check (it never reports violations)",
      {
        pipelineArn:
          'arn:aws:sagemaker:eu-west-1:123456789012:pipeline/mlops-control-plane-dev-training',
        stepName: 'BaselineDataQuality',
      },
    ],
    [
      'a Train step failing in scoring (the default template names training runs)',
      { stepName: 'Train', stepType: 'Training', currentStepStatus: 'Failed' },
    ],
  ])('PipelineStatusRule ignores %s', (_why, change) => {
    const step = samples.find(
      ([name]) => name === 'pipeline-step-data-quality-violations.json',
    )?.[1] as { detail: object };
    expect(
      matchesEventPattern(patterns.PipelineStatusRule ?? {}, {
        ...step,
        detail: { ...step.detail, ...change },
      }),
    ).toBe(false);
  });

  it('PipelineStatusRule takes the configured Train failure of a training run', () => {
    const step = samples.find(
      ([name]) => name === 'pipeline-step-data-quality-violations.json',
    )?.[1] as { detail: object };
    const trainFailed = {
      pipelineArn:
        'arn:aws:sagemaker:eu-west-1:123456789012:pipeline/mlops-control-plane-dev-training',
      stepName: 'Train',
      stepType: 'Training',
      currentStepStatus: 'Failed',
    };
    expect(
      matchesEventPattern(patterns.PipelineStatusRule ?? {}, {
        ...step,
        detail: { ...step.detail, ...trainFailed },
      }),
    ).toBe(true);
  });

  it('ModelPackageRule ignores other model package groups', () => {
    const event = samples.find(([name]) => name === 'model-package-approved.json')?.[1] as {
      detail: object;
    };
    expect(
      matchesEventPattern(patterns.ModelPackageRule ?? {}, {
        ...event,
        detail: { ...event.detail, ModelPackageGroupName: 'other' },
      }),
    ).toBe(false);
  });

  it.each<[string, Record<string, unknown>]>([
    ['an object outside the routed prefixes', eventBridgeObjectCreated('tmp/scratch.csv')],
    [
      'a deleted object',
      { ...eventBridgeObjectCreated('data/training/a.csv'), 'detail-type': 'Object Deleted' },
    ],
    [
      'another bucket',
      {
        ...eventBridgeObjectCreated('data/training/a.csv'),
        detail: { bucket: { name: 'other-bucket' }, object: { key: 'data/training/a.csv' } },
      },
    ],
  ])('DataUploadRule ignores %s', (_why, event) => {
    expect(matchesEventPattern(patterns.DataUploadRule ?? {}, event)).toBe(false);
  });
});
