import { ledgerConfigSchema } from '../../functions/config/ledger-config';
import {
  LEDGER_EXPIRY_ATTRIBUTE,
  LEDGER_KEY,
  PIPELINE_INDEX,
} from '../../functions/core/ledger/ledger-item';
import { packagedTemplate } from '../support/serverless-package';

describe('the ledger table, as packaged', () => {
  const template = packagedTemplate('dev');
  const table = template.Resources.LedgerTable;

  it('is on demand, expires items by the attribute the code writes, recovers to a point in time, encrypted', () => {
    expect(table?.Type).toBe('AWS::DynamoDB::Table');
    expect(table?.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: LEDGER_EXPIRY_ATTRIBUTE, Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
    });
    expect(table?.Properties.ProvisionedThroughput).toBeUndefined();
  });

  it('outlives the stack, like the data and the models', () => {
    expect(table).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  it("has the code's keys and the by-pipeline index, and no other index to pay for", () => {
    expect(table?.Properties.KeySchema).toEqual([
      { AttributeName: LEDGER_KEY.partition, KeyType: 'HASH' },
      { AttributeName: LEDGER_KEY.sort, KeyType: 'RANGE' },
    ]);
    expect(table?.Properties.GlobalSecondaryIndexes).toEqual([
      {
        IndexName: PIPELINE_INDEX.name,
        KeySchema: [
          { AttributeName: PIPELINE_INDEX.partition, KeyType: 'HASH' },
          { AttributeName: PIPELINE_INDEX.sort, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ]);
  });

  it('is the table every recording function is configured with, keeping records for the param', () => {
    const recorders = Object.values(template.Resources).filter(
      (resource) =>
        resource.Type === 'AWS::Lambda::Function' &&
        (resource.Properties.Environment as { Variables: Record<string, unknown> }).Variables
          .LEDGER_CONFIG !== undefined,
    );
    expect(recorders).toHaveLength(5);
    for (const fn of recorders) {
      const { LEDGER_CONFIG } = (fn.Properties.Environment as { Variables: Record<string, string> })
        .Variables;
      const config = ledgerConfigSchema.parse(JSON.parse(LEDGER_CONFIG ?? ''));
      expect(config).toMatchObject({ tableName: table?.Properties.TableName, retentionDays: 90 });
    }
  });
});
