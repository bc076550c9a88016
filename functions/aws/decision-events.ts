import { setTimeout as sleep } from 'node:timers/promises';
import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { type DecisionEventEntry, putEventsCalls } from '../core/ledger/decision-event';

/** What became of a set of decision events: sent, or not (and why), never thrown. */
export interface DecisionEventsOutcome {
  readonly calls: number;
  readonly sent: number;
  readonly failed: ReadonlyArray<{ readonly detailType: string; readonly error: string }>;
}

export interface PutEventsOptions {
  readonly busName: string;
  /** Attempts for the entries PutEvents reports failed, the first included. */
  readonly attempts: number;
  readonly backoffMs: (retry: number) => number;
}

/**
 * Puts decision events on the bus, at most 10 entries and 256 KiB per call; entries the call
 * reports failed (throttled, internal errors) are sent again. A failure is returned, never thrown:
 * the decision is in the ledger already, and a start that succeeded must not be failed for its
 * announcement.
 *
 * @example
 * const outcome = await putDecisionEvents(client, entries, { busName: 'default', attempts: 3, backoffMs: () => 100 });
 */
export async function putDecisionEvents(
  client: EventBridgeClient,
  entries: readonly DecisionEventEntry[],
  options: PutEventsOptions,
): Promise<DecisionEventsOutcome> {
  const { calls: groups, tooLarge } = putEventsCalls(entries);
  const failed = tooLarge.map((entry) => ({
    detailType: entry.detailType,
    error: 'larger than the 256 KiB a PutEvents call takes',
  }));
  let calls = 0;
  let sent = 0;
  for (const group of groups) {
    let pending = group;
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      if (attempt > 1) await sleep(options.backoffMs(attempt - 1));
      calls += 1;
      let results;
      try {
        const output = await client.send(
          new PutEventsCommand({
            Entries: pending.map((entry) => toSdkEntry(entry, options.busName)),
          }),
        );
        results = output.Entries ?? [];
      } catch (error) {
        failed.push(
          ...pending.map((entry) => ({ detailType: entry.detailType, error: String(error) })),
        );
        break;
      }
      const rejected = pending
        .map((entry, index) => ({ entry, result: results[index] }))
        .filter(({ result }) => result?.ErrorCode !== undefined);
      sent += pending.length - rejected.length;
      if (rejected.length > 0 && attempt >= options.attempts) {
        failed.push(
          ...rejected.map(({ entry, result }) => ({
            detailType: entry.detailType,
            error: `${result?.ErrorCode}: ${result?.ErrorMessage}`,
          })),
        );
        break;
      }
      pending = rejected.map(({ entry }) => entry);
    }
  }
  return { calls, sent, failed };
}

function toSdkEntry(entry: DecisionEventEntry, busName: string): PutEventsRequestEntry {
  return {
    EventBusName: busName,
    Source: entry.source,
    DetailType: entry.detailType,
    Detail: entry.detail,
    Resources: [...entry.resources],
  };
}
