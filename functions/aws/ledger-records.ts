import { type AttributeValue, type DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { LEDGER_KEY, type LedgerValue, PIPELINE_INDEX } from '../core/ledger/ledger-item';

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

/**
 * The newest decisions that started or held back runs of one pipeline: one Query of the
 * by-pipeline index, newest first (no scan).
 *
 * @example
 * const latest = await readLatestPipelineDecisions(client, 'mlops-prod-ledger', 'mlops-prod-training', 5);
 */
export async function readLatestPipelineDecisions(
  client: DynamoDBClient,
  tableName: string,
  pipelineName: string,
  limit: number,
): Promise<LedgerRecord[]> {
  const output = await client.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: PIPELINE_INDEX.name,
      KeyConditionExpression: '#pipeline = :pipeline',
      ExpressionAttributeNames: { '#pipeline': PIPELINE_INDEX.partition },
      ExpressionAttributeValues: { ':pipeline': { S: pipelineName } },
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  return (output.Items ?? []).map(plainRecordOf);
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
