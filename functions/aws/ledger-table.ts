import { setTimeout as sleep } from 'node:timers/promises';
import {
  type AttributeValue,
  BatchWriteItemCommand,
  type DynamoDBClient,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import type { LedgerItem, LedgerValue } from '../core/ledger/ledger-item';

/** BatchWriteItem takes at most 25 puts per call. */
export const BATCH_WRITE_MAX_ITEMS = 25;

/** The ledger could not take every record, after the SDK's retries and ours of unprocessed items. */
export class LedgerWriteError extends Error {
  override readonly name = 'LedgerWriteError';
}

export interface LedgerWriteOptions {
  /** Attempts for the items DynamoDB returns unprocessed (throttled), the first included. */
  readonly attempts: number;
  /** Pause before the n-th retry of unprocessed items. */
  readonly backoffMs: (retry: number) => number;
}

/**
 * Writes records to the ledger, 25 per BatchWriteItem call. A put replaces the item of the same
 * key, so writing a decision again (a redelivered trigger) leaves one record. Items DynamoDB
 * returns unprocessed are retried; what remains after that is thrown, so the invocation fails and
 * its trigger is delivered again.
 *
 * @example
 * await writeLedgerItems(client, 'mlops-prod-ledger', items, { attempts: 4, backoffMs: (n) => 50 * 2 ** n });
 */
export async function writeLedgerItems(
  client: DynamoDBClient,
  tableName: string,
  items: readonly LedgerItem[],
  options: LedgerWriteOptions,
): Promise<{ calls: number }> {
  let calls = 0;
  const unique = [...new Map(items.map((item) => [`${item.pk}\u0000${item.sk}`, item])).values()];
  for (let start = 0; start < unique.length; start += BATCH_WRITE_MAX_ITEMS) {
    let pending: WriteRequest[] = unique
      .slice(start, start + BATCH_WRITE_MAX_ITEMS)
      .map((item) => ({ PutRequest: { Item: marshallItem(item) } }));
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      if (attempt > options.attempts) {
        throw new LedgerWriteError(
          `${pending.length} ledger records stayed unprocessed after ${options.attempts} BatchWriteItem attempts`,
        );
      }
      if (attempt > 1) await sleep(options.backoffMs(attempt - 1));
      const output = await client.send(
        new BatchWriteItemCommand({ RequestItems: { [tableName]: pending } }),
      );
      calls += 1;
      pending = output.UnprocessedItems?.[tableName] ?? [];
    }
  }
  return { calls };
}

function marshallItem(item: LedgerItem): Record<string, AttributeValue> {
  return Object.fromEntries(
    Object.entries(item).map(([name, value]) => [name, attributeValueOf(value)]),
  );
}

function attributeValueOf(value: LedgerValue): AttributeValue {
  if (typeof value === 'number') return { N: String(value) };
  if (typeof value === 'string') return { S: value };
  return { L: value.map((part) => ({ S: part })) };
}
