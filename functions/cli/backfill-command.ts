import { findNewestApprovedModelPackageArn } from '../aws/approved-model-lookup';
import { writeLedgerItems } from '../aws/ledger-table';
import { describeRuleState } from '../aws/schedule-rules';
import { listRecentExecutions } from '../aws/recent-executions';
import { prefixHoldsObjects } from '../aws/s3-prefixes';
import { startPipelineExecution } from '../aws/sagemaker-pipelines';
import type { Schedule } from '../config/schedules-config';
import { assertNever } from '../core/assert-never';
import { ledgerItemOf } from '../core/ledger/ledger-item';
import { scheduledRunSkipped, scheduledRunStarted } from '../core/ledger/run-decisions';
import {
  decideScheduledRun,
  scheduledRunReads,
  scheduledStartRequest,
} from '../core/scheduled-run';
import { eventTime } from './event-time';
import { type CommandOutput, renderTable } from './command-output';
import { UsageError } from './operator-errors';
import { parseDay, scheduleTicks } from './schedule-ticks';
import type { StackContext } from './stack-context';

export interface BackfillOptions {
  readonly schedule: string;
  readonly from: Date;
  readonly to: Date;
  readonly dryRun: boolean;
  readonly concurrency: number;
}

/** What one tick of a backfill came to. */
export interface TickOutcome {
  readonly tick: string;
  readonly outcome: 'started' | 'would-start' | 'already-ran' | 'skipped';
  /** The run started, or the one that already ran. */
  readonly executionArn?: string;
  /** Why the tick was skipped. */
  readonly reason?: string;
}

const MAX_CONCURRENCY = 20;
const LEDGER_WRITES = { attempts: 4, backoffMs: (retry: number) => 50 * 2 ** retry } as const;

/** The backfill's options, validated: each error names its option. */
export function parseBackfillOptions(
  schedule: string,
  raw: Readonly<Record<string, string | boolean | undefined>>,
): BackfillOptions {
  const day = (option: 'from' | 'to'): Date => {
    const value = parseDay(String(raw[option]));
    if (value === undefined) {
      throw new UsageError(`--${option} ${String(raw[option])} is not a day YYYY-MM-DD.`);
    }
    return value;
  };
  const concurrency = Number(raw.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) {
    throw new UsageError(
      `--concurrency ${String(raw.concurrency)} must be a whole number from 1 to ${MAX_CONCURRENCY}.`,
    );
  }
  return { schedule, from: day('from'), to: day('to'), dryRun: raw.dryRun === true, concurrency };
}

/**
 * `mlops backfill`: one run per tick of the schedule in the range, decided exactly as onSchedule
 * decides a tick (its date templates, its preconditions, its token), so a tick that already ran,
 * by the schedule or an earlier backfill, starts nothing. Runs this backfill starts do not hold
 * back its later ticks: the runs executing before it do (the schedule's own guard). Every start
 * and skip is recorded in the ledger as the schedule records it.
 */
export async function backfillCommand(
  stack: StackContext,
  options: BackfillOptions,
  progress: (done: number, total: number) => void,
): Promise<CommandOutput> {
  const [config, ledger] = await Promise.all([stack.scheduleConfig(), stack.ledgerConfig()]);
  const schedule = config.schedules.find((candidate) => candidate.name === options.schedule);
  if (schedule === undefined) {
    throw new UsageError(
      `No schedule ${options.schedule} in stack ${stack.stackName}: the schedules are ${config.schedules.map((s) => s.name).join(', ') || 'none'}.`,
    );
  }
  const chosen: Schedule = schedule;
  const ticks = scheduleTicks(schedule.expression, options.from, options.to);
  if ('problem' in ticks)
    throw new UsageError(`Cannot backfill ${schedule.name}: ${ticks.problem}.`);
  const pipelineName = config.pipelines[schedule.pipeline];
  const [recent, approvedModelArn] = await Promise.all([
    listRecentExecutions(stack.clients.sageMaker, pipelineName),
    schedule.pipeline === 'batch-inference'
      ? findNewestApprovedModelPackageArn(stack.clients.sageMaker, config.modelPackageGroup)
      : Promise.resolve(undefined),
  ]);
  const { arn: ruleArn } = await describeRuleState(
    stack.clients.eventBridge,
    `${config.ruleNamePrefix}${schedule.name}`,
  );

  async function backfillTick(tick: Date): Promise<TickOutcome> {
    const event = {
      id: `mlops-backfill-${tick.toISOString()}`,
      source: 'aws.events' as const,
      'detail-type': 'Scheduled Event' as const,
      time: eventTime(tick),
      resources: [ruleArn],
    };
    const request = scheduledStartRequest(chosen, event, config);
    const { inputPrefix } = scheduledRunReads(chosen, request, config);
    const decision = decideScheduledRun(chosen, request, {
      recent,
      inputHasObjects:
        inputPrefix !== undefined && (await prefixHoldsObjects(stack.clients.s3, inputPrefix)),
      ...(approvedModelArn === undefined ? {} : { approvedModelArn }),
    });
    switch (decision.kind) {
      case 'duplicate':
        return { tick: event.time, outcome: 'already-ran', executionArn: decision.executionArn };
      case 'held-back':
        if (!options.dryRun) {
          await record(scheduledRunSkipped(chosen.name, event.time, request, decision));
        }
        return { tick: event.time, outcome: 'skipped', reason: decision.skip };
      case 'start': {
        if (options.dryRun) return { tick: event.time, outcome: 'would-start' };
        const executionArn = await startPipelineExecution(
          stack.clients.sageMaker,
          decision.request,
        );
        await record(scheduledRunStarted(chosen.name, event.time, request, executionArn));
        return { tick: event.time, outcome: 'started', executionArn };
      }
      default:
        return assertNever(decision);
    }
  }

  async function record(decision: Parameters<typeof ledgerItemOf>[0]): Promise<void> {
    const expiresAt = Math.floor(Date.now() / 1000) + ledger.retentionDays * 86_400;
    await writeLedgerItems(
      stack.clients.dynamoDb,
      ledger.tableName,
      [ledgerItemOf(decision, { stage: ledger.stage, expiresAt })],
      LEDGER_WRITES,
    );
  }

  const outcomes = await inOrderWithConcurrency(ticks, options.concurrency, backfillTick, progress);
  return {
    data: {
      schedule: schedule.name,
      dryRun: options.dryRun,
      ticks: outcomes,
      totals: totalsOf(outcomes),
    },
    text: backfillText(schedule.name, outcomes),
  };
}

/** Each item through `work`, at most `limit` at once; results in the items' order. */
async function inOrderWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
  progress: (done: number, total: number) => void,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  let done = 0;
  async function worker(): Promise<void> {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await work(items[index] as T);
      done += 1;
      progress(done, items.length);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function totalsOf(outcomes: readonly TickOutcome[]): Record<TickOutcome['outcome'], number> {
  const totals = { started: 0, 'would-start': 0, 'already-ran': 0, skipped: 0 };
  for (const { outcome } of outcomes) totals[outcome] += 1;
  return totals;
}

function backfillText(scheduleName: string, outcomes: readonly TickOutcome[]): string {
  const totals = totalsOf(outcomes);
  return [
    renderTable(
      ['tick (UTC)', 'outcome', 'run, or why not'],
      outcomes.map((outcome) => [
        outcome.tick,
        outcome.outcome,
        outcome.executionArn ?? outcome.reason ?? '',
      ]),
    ),
    `${scheduleName}: ${outcomes.length} tick(s): ${totals.started} started, ${totals['would-start']} would start, ${totals['already-ran']} already ran, ${totals.skipped} skipped`,
  ].join('\n');
}
