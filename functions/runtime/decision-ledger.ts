import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { LedgerConfig } from '../config/ledger-config';
import type { Decision } from '../core/ledger/decision';
import { type DecisionEventEntry, decisionEvent } from '../core/ledger/decision-event';
import { type LedgerItem, ledgerItemOf } from '../core/ledger/ledger-item';

/** Where a handler puts what it decided; the invocation's end records and announces it. */
export interface DecisionSink {
  add(...decisions: Decision[]): void;
}

export interface DecisionLedgerDependencies {
  readonly config: LedgerConfig;
  readonly writeItems: (items: readonly LedgerItem[]) => Promise<unknown>;
  readonly putEvents: (entries: readonly DecisionEventEntry[]) => Promise<{
    readonly failed: ReadonlyArray<{ readonly detailType: string; readonly error: string }>;
  }>;
  readonly now: () => Date;
  readonly logger: Logger;
  readonly metrics: Metrics;
}

/**
 * Gathers an invocation's decisions and, at its end, writes them to the ledger in batches, then
 * puts them on the bus. A ledger failure is thrown (the invocation fails and its trigger comes
 * again: every decision is made again, idempotently); an event that could not be put is logged
 * and counted, never thrown, since its decision is recorded and its start (if any) stands.
 *
 * @example
 * const ledger = createDecisionLedger({ config, writeItems, putEvents, now: () => new Date(), logger, metrics });
 * ledger.add(decision); await ledger.flush();
 */
export function createDecisionLedger(deps: DecisionLedgerDependencies) {
  let pending: Decision[] = [];
  return {
    add(...decisions: Decision[]): void {
      pending.push(...decisions);
    },
    async flush(): Promise<void> {
      const decisions = pending;
      pending = [];
      if (decisions.length === 0) return;
      const { stage, retentionDays, events } = deps.config;
      const expiresAt = Math.floor(deps.now().getTime() / 1000) + retentionDays * 86_400;
      await deps.writeItems(
        decisions.map((decision) => ledgerItemOf(decision, { stage, expiresAt })),
      );
      deps.metrics.addMetric('DecisionsRecorded', MetricUnit.Count, decisions.length);
      const { failed } = await deps.putEvents(
        decisions.map((decision) => decisionEvent(decision, { source: events.source, stage })),
      );
      if (failed.length > 0) {
        deps.logger.error('Decision events not put on the bus; the decisions are in the ledger', {
          busName: events.busName,
          failed,
        });
        deps.metrics.addMetric('DecisionEventsFailed', MetricUnit.Count, failed.length);
      }
    },
  };
}

export type DecisionLedger = ReturnType<typeof createDecisionLedger>;
