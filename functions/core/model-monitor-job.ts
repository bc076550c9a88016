import type { MonitoringFunctionConfig } from '../config/function-configs';
import type { ModelMonitorConfig } from '../config/retraining-config';
import type { DataQualityReport } from './data-quality-report';
import { driftWarning } from './drift-warning';
import type { Ignored } from './ignored';
import type { Notification } from './notification';

/** What a processing job's state-change event says about where it came from and wrote to. */
export interface ProcessingJobFacts {
  readonly ProcessingJobName: string;
  readonly ExitMessage?: string | undefined;
  readonly MonitoringScheduleArn?: string | undefined;
}

/**
 * Why a processing job's state change warns of nothing, or undefined when it does: a job of a
 * schedule this stack watches that found violations.
 *
 * @example
 * unwatchedViolations(detail, config.modelMonitor); // { ignore: 'job x found no violations' }
 */
export function unwatchedViolations(
  job: ProcessingJobFacts,
  modelMonitor: ModelMonitorConfig,
): Ignored | undefined {
  if (!job.ExitMessage?.startsWith('CompletedWithViolations')) {
    return { ignore: `job ${job.ProcessingJobName} found no violations` };
  }
  return foreignModelMonitorJob(job, modelMonitor);
}

/**
 * Whether a Model Monitor job is one this stack was configured to watch: its schedule is listed
 * (schedule names compare case-insensitively, as SageMaker may lower-case them in ARNs) or its
 * name starts with a listed prefix. The rule already filters; this is the second line of defence,
 * for events delivered by hand or by a rule someone widened.
 *
 * @example
 * foreignModelMonitorJob(detail, { scheduleNames: ['scoring-input'], jobNamePrefixes: [], reportPrefix: 'monitoring/' });
 * // undefined when ours, else { ignore: 'job ... is not one of ...' }
 */
export function foreignModelMonitorJob(
  job: ProcessingJobFacts,
  modelMonitor: ModelMonitorConfig,
): Ignored | undefined {
  const scheduleName = job.MonitoringScheduleArn?.split(':monitoring-schedule/')[1];
  const ofListedSchedule =
    scheduleName !== undefined &&
    modelMonitor.scheduleNames.some((name) => name.toLowerCase() === scheduleName.toLowerCase());
  const withListedPrefix = modelMonitor.jobNamePrefixes.some((prefix) =>
    job.ProcessingJobName.startsWith(prefix),
  );
  if (ofListedSchedule || withListedPrefix) return undefined;
  const schedule = scheduleName === undefined ? 'no schedule' : `schedule ${scheduleName}`;
  return {
    ignore: `job ${job.ProcessingJobName} (${schedule}) is not of a configured Model Monitor schedule or job-name prefix`,
  };
}

/**
 * Where a Model Monitor job's `constraint_violations.json` is, if it is where this stack may read:
 * under `reportPrefix` of the stack's data bucket. A report elsewhere is not read (the functions
 * may not read it, and a denied read would only dead-letter the event).
 *
 * @example
 * violationsReportUri('s3://bucket/monitoring/x/2026/11/23/03', { dataBucket: 'bucket', modelMonitor });
 * // { reportUri: 's3://bucket/monitoring/x/2026/11/23/03/constraint_violations.json' }
 */
export function violationsReportUri(
  outputUri: string,
  config: { readonly dataBucket: string; readonly modelMonitor: ModelMonitorConfig },
): { readonly reportUri: string } | Ignored {
  const readable = `s3://${config.dataBucket}/${config.modelMonitor.reportPrefix}`;
  const reportUri = `${outputUri.replace(/\/$/, '')}/constraint_violations.json`;
  if (!reportUri.startsWith(readable)) {
    return {
      ignore: `detail.ProcessingOutputConfig.Outputs[].S3Output.S3Uri ${outputUri} is outside ${readable}: its report is not read`,
    };
  }
  return { reportUri };
}

/** The drift warning of a Model Monitor job, from its violations report. */
export function modelMonitorDriftWarning(
  jobName: string,
  report: DataQualityReport,
  config: Pick<MonitoringFunctionConfig, 'stage' | 'maxDriftViolations' | 'datasetFeatures'>,
): Notification {
  return driftWarning({
    stage: config.stage,
    report,
    maxViolations: config.maxDriftViolations,
    where: `Model Monitor job ${jobName}`,
    checkedBy: `The Model Monitor job ${jobName}`,
    scored: [['Monitoring job', jobName]],
    unreadable: [],
    links: [],
    datasetFeatures: config.datasetFeatures,
  });
}
