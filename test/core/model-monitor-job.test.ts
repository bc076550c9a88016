import { retrainingConfigSchema } from '../../functions/config/retraining-config';
import {
  foreignModelMonitorJob,
  unwatchedViolations,
  violationsReportUri,
} from '../../functions/core/model-monitor-job';

const scheduleArn = (name: string) =>
  `arn:aws:sagemaker:eu-west-1:123456789012:monitoring-schedule/${name}`;

describe('foreignModelMonitorJob: is this Model Monitor job one we watch?', () => {
  const { modelMonitor } = retrainingConfigSchema.parse({
    modelMonitor: { scheduleNames: ['Scoring-Input'], jobNamePrefixes: ['churn-adhoc-'] },
  });

  it.each<[string, { ProcessingJobName: string; MonitoringScheduleArn?: string }, boolean]>([
    [
      'a job of a listed schedule (the ARN spells it in lower case)',
      {
        ProcessingJobName: 'model-monitoring-1',
        MonitoringScheduleArn: scheduleArn('scoring-input'),
      },
      true,
    ],
    ['a job whose name starts with a listed prefix', { ProcessingJobName: 'churn-adhoc-7' }, true],
    [
      "another team's schedule",
      {
        ProcessingJobName: 'model-monitoring-2',
        MonitoringScheduleArn: scheduleArn('fraud-input'),
      },
      false,
    ],
    ['a job of no schedule and another name', { ProcessingJobName: 'etl-42' }, false],
  ])('%s', (_why, job, ours) => {
    expect(foreignModelMonitorJob(job, modelMonitor) === undefined).toBe(ours);
  });

  it('watches nothing by default, and says which schedule it ignored', () => {
    const nothing = retrainingConfigSchema.parse({}).modelMonitor;
    expect(
      foreignModelMonitorJob(
        {
          ProcessingJobName: 'model-monitoring-1',
          MonitoringScheduleArn: scheduleArn('scoring-input'),
        },
        nothing,
      ),
    ).toEqual({
      ignore:
        'job model-monitoring-1 (schedule scoring-input) is not of a configured Model Monitor schedule or job-name prefix',
    });
  });
});

describe('violationsReportUri: read only under reportPrefix of the data bucket', () => {
  const config = {
    dataBucket: 'data',
    modelMonitor: retrainingConfigSchema.parse({}).modelMonitor,
  };

  const outside = (output: string) => ({
    ignore: `detail.ProcessingOutputConfig.Outputs[].S3Output.S3Uri ${output} is outside s3://data/monitoring/: its report is not read`,
  });

  it.each<[string, string, unknown]>([
    [
      'under monitoring/',
      's3://data/monitoring/x/2026/',
      { reportUri: 's3://data/monitoring/x/2026/constraint_violations.json' },
    ],
    ['another bucket', 's3://other/monitoring/x', outside('s3://other/monitoring/x')],
    [
      'a bucket whose name starts like ours',
      's3://data-other/monitoring/x',
      outside('s3://data-other/monitoring/x'),
    ],
    ['another prefix of our bucket', 's3://data/pipelines/x', outside('s3://data/pipelines/x')],
  ])('%s', (_why, output, expected) => {
    expect(violationsReportUri(output, config)).toEqual(expected);
  });
});

describe('unwatchedViolations: which Model Monitor jobs warn of drift', () => {
  const { modelMonitor } = retrainingConfigSchema.parse({
    modelMonitor: { scheduleNames: ['scoring-input'] },
  });
  const ours = {
    ProcessingJobName: 'model-monitoring-1',
    MonitoringScheduleArn: scheduleArn('scoring-input'),
  };

  it.each<[string, { ExitMessage?: string; MonitoringScheduleArn?: string }, string | undefined]>([
    [
      'a watched job that found violations warns',
      { ExitMessage: 'CompletedWithViolations: 2' },
      undefined,
    ],
    [
      'a watched job that found none is ignored',
      { ExitMessage: 'Completed' },
      'found no violations',
    ],
    ['a job without an exit message is ignored', {}, 'found no violations'],
    [
      "violations of another team's job are not ours",
      { ExitMessage: 'CompletedWithViolations: 1', MonitoringScheduleArn: scheduleArn('fraud') },
      'is not of a configured Model Monitor schedule',
    ],
  ])('%s', (_why, change, ignored) => {
    const verdict = unwatchedViolations({ ...ours, ...change }, modelMonitor);
    if (ignored === undefined) expect(verdict).toBeUndefined();
    else expect(verdict?.ignore).toContain(ignored);
  });
});
