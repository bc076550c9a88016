import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import {
  BatchWriteItemCommand,
  type BatchWriteItemCommandInput,
  DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { putDecisionEvents } from '../../functions/aws/decision-events';
import { LedgerWriteError, writeLedgerItems } from '../../functions/aws/ledger-table';
import type { LedgerItem } from '../../functions/core/ledger/ledger-item';
import { createOnDataUploadHandler } from '../../functions/handlers/on-data-upload';
import { keptDecisions } from '../support/ledger-fixtures';
import { lambdaContext } from '../support/lambda-context';
import {
  acceptingQueues,
  eventBridgeObjectCreated,
  sqsBatch,
  testConfig,
} from '../support/upload-fixtures';

const item = (index: number): LedgerItem => ({ pk: `s3://b/k${index}`, sk: 'x', expiresAt: 1 });
const noWait = { attempts: 4, backoffMs: () => 0 };

describe('ledger writes: 25 records a call, unprocessed ones again, none lost silently', () => {
  const dynamoDb = mockClient(DynamoDBClient);
  afterEach(() => dynamoDb.reset());
  afterAll(() => dynamoDb.restore());

  it('500 records take 20 calls; a record written twice in one invocation is put once', async () => {
    dynamoDb.on(BatchWriteItemCommand).resolves({});
    const items = [...Array.from({ length: 500 }, (_, index) => item(index)), item(7)];
    const { calls } = await writeLedgerItems(new DynamoDBClient({}), 't', items, noWait);
    expect(calls).toBe(20);
    const sizes = dynamoDb
      .commandCalls(BatchWriteItemCommand)
      .map((call) => (call.args[0].input as BatchWriteItemCommandInput).RequestItems?.t?.length);
    expect(sizes).toEqual(Array.from({ length: 20 }, () => 25));
  });

  it('items DynamoDB leaves unprocessed are sent again, and only those', async () => {
    dynamoDb
      .on(BatchWriteItemCommand)
      .resolvesOnce({
        UnprocessedItems: {
          t: [{ PutRequest: { Item: { pk: { S: 's3://b/k1' }, sk: { S: 'x' } } } }],
        },
      })
      .resolves({});
    expect(await writeLedgerItems(new DynamoDBClient({}), 't', [item(0), item(1)], noWait)).toEqual(
      {
        calls: 2,
      },
    );
    expect(
      (dynamoDb.commandCalls(BatchWriteItemCommand)[1]?.args[0].input as BatchWriteItemCommandInput)
        .RequestItems?.t,
    ).toHaveLength(1);
  });

  it('records still unprocessed after the attempts fail the invocation', async () => {
    dynamoDb.on(BatchWriteItemCommand).resolves({
      UnprocessedItems: {
        t: [{ PutRequest: { Item: { pk: { S: 's3://b/k0' }, sk: { S: 'x' } } } }],
      },
    });
    await expect(writeLedgerItems(new DynamoDBClient({}), 't', [item(0)], noWait)).rejects.toThrow(
      LedgerWriteError,
    );
    expect(dynamoDb.commandCalls(BatchWriteItemCommand)).toHaveLength(4);
  });
});

describe('decision events: failed entries sent again, a failure returned, never thrown', () => {
  const eventBridge = mockClient(EventBridgeClient);
  afterEach(() => eventBridge.reset());
  afterAll(() => eventBridge.restore());
  const entries = Array.from({ length: 12 }, (_, index) => ({
    source: 'mlops.control-plane',
    detailType: 'Upload Ignored',
    detail: JSON.stringify({ index }),
    resources: [],
  }));

  it('entries reported failed are put again; 12 entries are two calls and one retry', async () => {
    eventBridge
      .on(PutEventsCommand)
      .resolvesOnce({
        FailedEntryCount: 1,
        Entries: [
          { ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' },
          ...Array(9).fill({ EventId: 'e' }),
        ],
      })
      .resolves({ FailedEntryCount: 0, Entries: Array(10).fill({ EventId: 'e' }) });
    const outcome = await putDecisionEvents(new EventBridgeClient({}), entries, {
      busName: 'default',
      ...noWait,
    });
    expect(outcome).toEqual({ calls: 3, sent: 12, failed: [] });
    expect(eventBridge.commandCalls(PutEventsCommand)[1]?.args[0].input.Entries).toHaveLength(1);
  });

  it('a bus that refuses everything: the failure is returned, not thrown', async () => {
    eventBridge.on(PutEventsCommand).rejects(new Error('AccessDeniedException'));
    const outcome = await putDecisionEvents(new EventBridgeClient({}), entries.slice(0, 2), {
      busName: 'default',
      ...noWait,
    });
    expect(outcome.sent).toBe(0);
    expect(outcome.failed).toHaveLength(2);
  });
});

describe('onDataUpload decisions: a folder is one record, each ignored object one', () => {
  it('500 part files of a folder and one stray file: one run requested, one upload ignored', async () => {
    const decisions = keptDecisions();
    const handle = createOnDataUploadHandler({
      config: testConfig,
      startPipeline: async (request) =>
        `arn:aws:sagemaker:eu-west-1:123456789012:pipeline/${request.pipelineName}/execution/x1`,
      decisions,
      ...acceptingQueues(),
      now: () => new Date(),
      logger: new Logger(),
      metrics: new Metrics(),
    });
    const parts = Array.from({ length: 500 }, (_, index) =>
      eventBridgeObjectCreated(`data/training/2026-11-21/part-${index}.csv`, {
        id: `evt-${index}`,
        sequencer: `0A${index}`,
      }),
    );
    await handle(
      sqsBatch([...parts, eventBridgeObjectCreated('data/inference/x.json')]),
      lambdaContext(() => 60_000),
    );
    expect(
      decisions.decisions.map((decision) => [decision.kind, decision.subject, decision.facts]),
    ).toEqual([
      [
        'upload-ignored',
        's3://mlops-control-plane-dev-data-123456789012-eu-west-1/data/inference/x.json',
        expect.objectContaining({
          reason: 'no-route',
          closestRoute: 'inference-data',
          closestRouteWants: 'suffix .csv',
        }),
      ],
      [
        'run-requested',
        's3://mlops-control-plane-dev-data-123456789012-eu-west-1/data/training/2026-11-21/',
        expect.objectContaining({ mode: 'folder', objectCount: 500 }),
      ],
    ]);
  });
});
