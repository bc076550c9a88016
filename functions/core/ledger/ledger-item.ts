import { createHash } from 'node:crypto';
import type { Decision } from './decision';

/** A value the ledger stores: DynamoDB's S, N and a list of S. */
export type LedgerValue = string | number | readonly string[];

/** One record of the ledger, before marshalling: its key, its index keys, its facts. */
export type LedgerItem = Readonly<Record<string, LedgerValue>> & {
  readonly pk: string;
  readonly sk: string;
  readonly expiresAt: number;
};

/** The ledger's key and index attributes: facts never use these names. */
export const LEDGER_KEY = { partition: 'pk', sort: 'sk' } as const;
/** Epoch seconds after which DynamoDB's TTL deletes the record (and an e-mail's identity lapses). */
export const LEDGER_EXPIRY_ATTRIBUTE = 'expiresAt';
/** The by-pipeline index: the pipeline a decision started or held back, and when. */
export const PIPELINE_INDEX = { name: 'byPipeline', partition: 'pipeline', sort: 'at' } as const;

/**
 * The id of a decision, the same for every delivery that makes it: consumers of the events
 * deduplicate by it.
 *
 * @example
 * decisionIdOf(decision); // 64 hex characters
 */
export function decisionIdOf(decision: Pick<Decision, 'subject' | 'key'>): string {
  return createHash('sha256').update(`${decision.subject}\u0000${decision.key}`).digest('hex');
}

/**
 * The record of a decision: partition `pk` the subject, sort key `sk` the decision, `pipeline`
 * and `at` for the by-pipeline index (only decisions about a pipeline are in it), and the facts.
 *
 * @example
 * ledgerItemOf(decision, { stage: 'prod', expiresAt: nowSeconds + 90 * 86_400 });
 */
export function ledgerItemOf(
  decision: Decision,
  context: { readonly stage: string; readonly expiresAt: number },
): LedgerItem {
  return {
    ...(decision.facts as Readonly<Record<string, LedgerValue>>),
    pk: decision.subject,
    sk: decision.key,
    decisionId: decisionIdOf(decision),
    decision: decision.kind,
    at: decision.at,
    summary: decision.summary,
    stage: context.stage,
    ...(decision.pipeline === undefined ? {} : { pipeline: decision.pipeline }),
    expiresAt: context.expiresAt,
  };
}
