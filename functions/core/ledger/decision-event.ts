import { type Decision, DETAIL_TYPE_OF } from './decision';
import { decisionIdOf } from './ledger-item';

/** A decision as an EventBridge entry, before the SDK's shape. */
export interface DecisionEventEntry {
  readonly source: string;
  readonly detailType: string;
  readonly detail: string;
  readonly resources: readonly string[];
}

/** PutEvents takes at most 10 entries and 256 KiB per call. */
export const PUT_EVENTS_MAX_ENTRIES = 10;
export const PUT_EVENTS_MAX_BYTES = 256 * 1024;

/**
 * The event of a decision: `detail-type` names the kind of decision, the detail carries the
 * decision's id (for consumers to deduplicate: the event is delivered at least once), the stage,
 * what it is about, when, a sentence, and the facts.
 *
 * @example
 * decisionEvent(decision, { source: 'mlops.control-plane', stage: 'prod' });
 */
export function decisionEvent(
  decision: Decision,
  context: { readonly source: string; readonly stage: string },
): DecisionEventEntry {
  return {
    source: context.source,
    detailType: DETAIL_TYPE_OF[decision.kind],
    detail: JSON.stringify({
      decisionId: decisionIdOf(decision),
      decision: decision.kind,
      stage: context.stage,
      subject: decision.subject,
      at: decision.at,
      summary: decision.summary,
      ...decision.facts,
    }),
    resources: decision.resources,
  };
}

/**
 * The size PutEvents counts for an entry: its time (14 bytes), source, detail-type, detail and
 * resources in UTF-8 bytes.
 */
export function entrySize(entry: DecisionEventEntry): number {
  return (
    14 +
    Buffer.byteLength(entry.source) +
    Buffer.byteLength(entry.detailType) +
    Buffer.byteLength(entry.detail) +
    entry.resources.reduce((total, resource) => total + Buffer.byteLength(resource), 0)
  );
}

/**
 * Entries grouped into PutEvents calls: at most 10 and 256 KiB each. An entry too large for any
 * call is returned apart (it cannot be sent; its decision is in the ledger all the same).
 *
 * @example
 * const { calls, tooLarge } = putEventsCalls(entries);
 */
export function putEventsCalls(entries: readonly DecisionEventEntry[]): {
  readonly calls: DecisionEventEntry[][];
  readonly tooLarge: DecisionEventEntry[];
} {
  const calls: DecisionEventEntry[][] = [];
  const tooLarge: DecisionEventEntry[] = [];
  let current: DecisionEventEntry[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = entrySize(entry);
    if (size > PUT_EVENTS_MAX_BYTES) {
      tooLarge.push(entry);
      continue;
    }
    if (current.length === PUT_EVENTS_MAX_ENTRIES || bytes + size > PUT_EVENTS_MAX_BYTES) {
      calls.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entry);
    bytes += size;
  }
  if (current.length > 0) calls.push(current);
  return { calls, tooLarge };
}
