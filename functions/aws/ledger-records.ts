import { type AttributeValue, type DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { LEDGER_KEY, type LedgerValue } from '../core/ledger/ledger-item';

/** A record read back from the ledger: its attributes as plain values. */
export type LedgerRecord = Readonly<Record<string, LedgerValue>>;

/**
 * Every record of one subject (an object's or a folder's S3 URI, `schedule#<name>`), oldest
 * first: one Query, paged to the end.
 *
 * @example
 * const records = await readLedgerPartition(client, 'mlops-prod-ledger', 's3://bucket/data/x.csv');
 */
export async function readLedgerPartition(
  client: DynamoDBClient,
  tableName: string,
  subject: string,
): Promise<LedgerRecord[]> {
  const records: LedgerRecord[] = [];
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const output = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: '#pk = :subject',
        ExpressionAttributeNames: { '#pk': LEDGER_KEY.partition },
        ExpressionAttributeValues: { ':subject': { S: subject } },
        ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
      }),
    );
    records.push(...(output.Items ?? []).map(plainRecordOf));
    startKey = output.LastEvaluatedKey;
  } while (startKey !== undefined);
  return records;
}

function plainRecordOf(item: Record<string, AttributeValue>): LedgerRecord {
  return Object.fromEntries(
    Object.entries(item).map(([name, value]) => [
      name,
      value.S ??
        (value.N === undefined ? (value.L ?? []).map((part) => part.S ?? '') : Number(value.N)),
    ]),
  );
}
