import {
  CreateTableCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';

/** An AWS::DynamoDB::Table's properties, as the packaged template has them (intrinsics resolved). */
export interface TableProperties {
  readonly TableName: string;
  readonly BillingMode?: string;
  readonly AttributeDefinitions: CreateTableCommandInput['AttributeDefinitions'];
  readonly KeySchema: CreateTableCommandInput['KeySchema'];
  readonly GlobalSecondaryIndexes?: CreateTableCommandInput['GlobalSecondaryIndexes'];
}

/**
 * Creates a table as CloudFormation would from its template properties: keys, attributes,
 * indexes and billing mode. TTL, point-in-time recovery and encryption change nothing a function
 * can see, so a local endpoint (dynalite) does without them.
 *
 * @example
 * await createTableFromTemplate(client, wiring.tables[0]);
 */
export async function createTableFromTemplate(
  client: DynamoDBClient,
  table: TableProperties,
): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: table.TableName,
      BillingMode: table.BillingMode === 'PAY_PER_REQUEST' ? 'PAY_PER_REQUEST' : 'PROVISIONED',
      AttributeDefinitions: table.AttributeDefinitions,
      KeySchema: table.KeySchema,
      ...(table.GlobalSecondaryIndexes === undefined
        ? {}
        : { GlobalSecondaryIndexes: table.GlobalSecondaryIndexes }),
      ...(table.BillingMode === 'PAY_PER_REQUEST'
        ? {}
        : { ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } }),
    }),
  );
}
