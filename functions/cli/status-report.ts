import type { LedgerRecord } from '../aws/ledger-records';
import type { ModelVersionSummary } from '../aws/model-versions';
import type { RecentExecution } from '../core/pipeline-start-guard';
import { renderTable } from './command-output';
import type { ScheduleState } from './schedules-command';

/** A run as `mlops status` shows it. */
export interface RunLine {
  readonly arn: string;
  readonly displayName: string | undefined;
  readonly status: string;
  readonly startTime: string | undefined;
  /** Since it started, in the largest whole unit (`42s`, `5m`, `3h`, `2d`). */
  readonly age: string;
  /** What started it, from its description (`upload route inference-data`, `schedule daily-scoring`). */
  readonly trigger: string;
}

export interface PipelineStatus {
  readonly pipeline: string;
  readonly name: string;
  readonly executing: readonly RunLine[];
  readonly lastFinished: RunLine | undefined;
}

export interface DeadLetterDepth {
  /** The stack output that names the queue, without its `Url` suffix. */
  readonly queue: string;
  readonly waiting: number;
  readonly inFlight: number;
}

export interface DecisionLine {
  readonly at: string;
  readonly pipeline: string;
  readonly decision: string;
  readonly summary: string;
}

/** Everything `mlops status` shows, as `--json` prints it. */
export interface StatusReport {
  readonly stackName: string;
  readonly at: string;
  readonly pipelines: readonly PipelineStatus[];
  readonly schedules: readonly ScheduleState[];
  readonly pendingVersions: readonly ModelVersionSummary[];
  readonly deadLetterQueues: readonly DeadLetterDepth[];
  readonly decisions: readonly DecisionLine[];
}

// The statuses a run ends in (DescribePipelineExecution); Executing and Stopping are under way.
const FINISHED = new Set(['Succeeded', 'Failed', 'Stopped']);
// The functions that start runs say so first in the description they give each run.
const STARTED_BY = /^Started by (on[A-Za-z]+)(?:, route ([^\s:]+))?[^:]*: ?(.*)$/;
const DECISION_SUMMARY_WIDTH = 72;
const STARTERS: Readonly<Record<string, string>> = {
  onMonitoringViolation: 'retraining after a quality violation',
  onModelPackageStateChange: 'approval of a model version',
};

/**
 * One pipeline's runs under way and its newest finished one, from its newest runs first.
 *
 * @example
 * pipelineStatus('training', 'mlops-prod-training', await listRecentExecutions(client, name), now);
 */
export function pipelineStatus(
  pipeline: string,
  name: string,
  recent: readonly RecentExecution[],
  now: Date,
): PipelineStatus {
  const line = (execution: RecentExecution): RunLine => ({
    arn: execution.arn,
    displayName: execution.displayName,
    status: execution.status,
    startTime: execution.startTime,
    age: execution.startTime === undefined ? '?' : ageOf(new Date(execution.startTime), now),
    trigger: runTrigger(execution.description, execution.displayName),
  });
  const finished = recent.find((execution) => FINISHED.has(execution.status));
  return {
    pipeline,
    name,
    executing: recent.filter((execution) => !FINISHED.has(execution.status)).map(line),
    lastFinished: finished === undefined ? undefined : line(finished),
  };
}

/**
 * What started a run, in a few words, from the description the control plane gave it; a run
 * started by someone else is named by its display name.
 *
 * @example
 * runTrigger('Started by onSchedule: daily-scoring (cron(0 6 * * ? *)) for 2026-11-21T06:00:00Z ...', 'x');
 * // 'schedule daily-scoring'
 */
export function runTrigger(
  description: string | undefined,
  displayName: string | undefined,
): string {
  const started = STARTED_BY.exec(description ?? '');
  const [, by, route, rest] = started ?? [];
  if (by === 'onDataUpload') return `upload, route ${route ?? '?'}`;
  if (by === 'onSchedule') return `schedule ${(rest ?? '').split(' ')[0] ?? '?'}`;
  const known = by === undefined ? undefined : STARTERS[by];
  return known ?? `outside the control plane (${displayName ?? 'no display name'})`;
}

/** `42s`, `5m`, `3h`, `2d`: how long ago, in the largest whole unit. */
export function ageOf(since: Date, now: Date): string {
  const seconds = Math.max(0, Math.floor((now.getTime() - since.getTime()) / 1000));
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86_400)}d`;
}

/** The ledger's records as decision lines, newest first, at most `limit`. */
export function latestDecisions(records: readonly LedgerRecord[], limit: number): DecisionLine[] {
  return records
    .map((record) => ({
      at: String(record.at ?? ''),
      pipeline: String(record.pipeline ?? ''),
      decision: String(record.decision ?? ''),
      summary: String(record.summary ?? ''),
    }))
    .sort((a, b) => b.at.localeCompare(a.at))
    .slice(0, limit);
}

/** One screen: runs, schedules, versions to review, dead letters, decisions. */
export function statusText(report: StatusReport): string {
  const runRow = (pipeline: string, run: RunLine) => [
    pipeline,
    run.status,
    run.age,
    run.trigger,
    run.displayName ?? run.arn,
  ];
  const runs = report.pipelines.flatMap((status) => {
    const rows = [...status.executing, ...(status.lastFinished ? [status.lastFinished] : [])];
    return rows.length === 0
      ? [[status.pipeline, 'no run', '-', '-', '-']]
      : rows.map((run) => runRow(status.pipeline, run));
  });
  return [
    `${report.stackName} at ${report.at}`,
    '',
    'Runs (executing, and the last finished)',
    renderTable(['pipeline', 'status', 'age', 'trigger', 'run'], runs),
    '',
    'Schedules',
    renderTable(
      ['schedule', 'state', 'next fire (UTC)', 'next fire (local)'],
      report.schedules.map((schedule) => [
        schedule.name,
        schedule.enabled ? 'enabled' : 'paused',
        schedule.nextFireTime ?? '-',
        schedule.nextFireTime === undefined
          ? '-'
          : new Date(schedule.nextFireTime).toString().slice(0, 24),
      ]),
    ),
    '',
    `Model versions waiting for review${report.pendingVersions.length === 0 ? ': none' : ''}`,
    ...report.pendingVersions.map(
      (version) =>
        `  v${version.version ?? '?'} registered ${version.creationTime === undefined ? '?' : ageOf(new Date(version.creationTime), new Date(report.at))} ago: mlops approve ${version.version ?? version.arn} --reason "..."`,
    ),
    '',
    'Dead-letter queues',
    renderTable(
      ['queue', 'waiting', 'in flight'],
      report.deadLetterQueues.map((queue) => [
        queue.queue,
        String(queue.waiting),
        String(queue.inFlight),
      ]),
    ),
    '',
    'Last decisions',
    report.decisions.length === 0
      ? '  none recorded'
      : renderTable(
          ['at', 'decision', 'summary'],
          report.decisions.map((decision) => [
            decision.at,
            decision.decision,
            decision.summary.length > DECISION_SUMMARY_WIDTH
              ? `${decision.summary.slice(0, DECISION_SUMMARY_WIDTH - 1)}…`
              : decision.summary,
          ]),
        ),
  ].join('\n');
}
