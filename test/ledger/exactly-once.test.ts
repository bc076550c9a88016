import type { Server } from 'node:http';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { putDecisionEvents } from '../../functions/aws/decision-events';
import { emailsOnce } from '../../functions/aws/emails-once';
import { writeLedgerItems } from '../../functions/aws/ledger-table';
import type { LedgerConfig } from '../../functions/config/ledger-config';
import type { DecisionEventEntry } from '../../functions/core/ledger/decision-event';
import type { Notification } from '../../functions/core/notification';
import type { RecentExecution } from '../../functions/core/pipeline-start-guard';
import type { PipelineStartRequest } from '../../functions/core/pipeline-start-request';
import { createOnDataUploadHandler } from '../../functions/handlers/on-data-upload';
import { createOnModelPackageStateChangeHandler } from '../../functions/handlers/on-model-package-state-change';
import { createOnMonitoringViolationHandler } from '../../functions/handlers/on-monitoring-violation';
import { createOnPipelineStatusChangeHandler } from '../../functions/handlers/on-pipeline-status-change';
import { createOnScheduleHandler } from '../../functions/handlers/on-schedule';
import { createDecisionLedger } from '../../functions/runtime/decision-ledger';
import { asLambdaHandler } from '../../functions/runtime/lambda-handler';
import { createTableFromTemplate, type TableProperties } from '../../tooling/local/dynamodb-tables';
import { listenOnLoopback } from '../../tooling/local/loopback-port';
import {
  asDeliveredEvent,
  decisionEventValidators,
  schemaProblems,
} from '../support/decision-event-schemas';
import { registeredModelVersion } from '../support/model-versions';
import { monitoringConfig } from '../support/monitoring-fixtures';
import { notifyConfig } from '../support/notification-fixtures';
import { scheduleConfig } from '../support/schedule-fixtures';
import { packagedTemplate } from '../support/serverless-package';
import {
  acceptingQueues,
  BUCKET,
  eventBridgeObjectCreated,
  sampleEvent,
  sqsBatch,
  testConfig,
} from '../support/upload-fixtures';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- dynalite ships no types
const dynalite = require('dynalite') as (options: { createTableMs: number }) => Server;

const TABLE = 'ledger-exactly-once';
const DELIVERIES = 3;
/** Lambda and EventBridge retry a failed invocation; here until it succeeds, within reason. */
const MAX_ATTEMPTS = 30;
const SNS_FAILURE_RATE = 0.3;

/** A seeded generator: the same 30% of publishes fail on every run of the test. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** SNS that loses 30% of publishes: the caller sees an error, no e-mail goes out. */
function flakySns(random: () => number) {
  const accepted: Array<{ messageId: string; notification: Notification }> = [];
  let failures = 0;
  return {
    accepted,
    failures: () => failures,
    async publish(notification: Notification): Promise<string> {
      if (random() < SNS_FAILURE_RATE) {
        failures += 1;
        throw new Error('InternalErrorException: SNS failed the publish');
      }
      const messageId = `msg-${accepted.length + 1}`;
      accepted.push({ messageId, notification });
      return messageId;
    },
  };
}

/** SageMaker's runs as the guards see them: a token starts one run; its description records it. */
function fakeSageMaker(seeded: RecentExecution[]) {
  const runs = new Map<string, RecentExecution & { pipeline: string }>();
  return {
    starts: 0,
    async start(request: PipelineStartRequest): Promise<string> {
      const existing = runs.get(request.clientRequestToken);
      if (existing !== undefined) return existing.arn;
      this.starts += 1;
      const arn = `arn:aws:sagemaker:eu-west-1:123456789012:pipeline/${request.pipelineName}/execution/${request.clientRequestToken.slice(-12)}`;
      runs.set(request.clientRequestToken, {
        pipeline: request.pipelineName,
        arn,
        status: 'Executing',
        startTime: '2026-11-23T03:05:20.000Z',
        displayName: request.displayName,
        description: request.description,
      });
      return arn;
    },
    async recent(pipelineName: string): Promise<RecentExecution[]> {
      return [
        ...[...runs.values()].filter((run) => run.pipeline === pipelineName),
        ...seeded.filter((run) => run.arn.includes(`/${pipelineName}/`)),
      ];
    },
  };
}

const context = {
  functionName: 'exactly-once-test',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:exactly-once-test',
  awsRequestId: 'request',
  getRemainingTimeInMillis: () => 30_000,
} as unknown as Context;

describe('every decision recorded once, every e-mail sent once: three deliveries, SNS failing 30%, against dynalite', () => {
  let server: Server;
  let client: DynamoDBClient;
  const eventBridge = mockClient(EventBridgeClient);
  const putEntries: DecisionEventEntry[] = [];
  const sns = flakySns(seededRandom(20261121));
  const sageMaker = fakeSageMaker([
    {
      // A run of the training pipeline still executing: the drift alarm's retrain is held back.
      arn: 'arn:aws:sagemaker:eu-west-1:123456789012:pipeline/mlops-control-plane-dev-training/execution/busy01',
      status: 'Executing',
      startTime: '2026-11-22T22:00:00.000Z',
      displayName: 'training-busy01',
      description: 'Started by hand',
    },
  ]);
  let attempts = 0;

  beforeAll(async () => {
    server = dynalite({ createTableMs: 0 });
    await listenOnLoopback(server, 0);
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('dynalite has no port');
    client = new DynamoDBClient({
      region: 'eu-west-1',
      endpoint: `http://127.0.0.1:${address.port}`,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    // The table exactly as the packaged template defines it.
    const table = packagedTemplate('dev').Resources.LedgerTable
      ?.Properties as unknown as TableProperties;
    await createTableFromTemplate(client, { ...table, TableName: TABLE });
    eventBridge
      .on(PutEventsCommand)
      .callsFake((input: { Entries: Array<Record<string, string>> }) => {
        putEntries.push(
          ...input.Entries.map((entry) => ({
            source: entry.Source ?? '',
            detailType: entry.DetailType ?? '',
            detail: entry.Detail ?? '',
            resources: (entry.Resources ?? []) as unknown as string[],
          })),
        );
        return {
          FailedEntryCount: 0,
          Entries: input.Entries.map((_, index) => ({ EventId: `e${index}` })),
        };
      });

    const logger = new Logger();
    const metrics = new Metrics();
    const ledgerConfig: LedgerConfig = {
      tableName: TABLE,
      retentionDays: 90,
      events: { source: 'mlops.control-plane', busName: 'default' },
      stage: 'dev',
    };
    const decisions = createDecisionLedger({
      config: ledgerConfig,
      writeItems: (items) =>
        writeLedgerItems(client, TABLE, items, { attempts: 4, backoffMs: () => 0 }),
      putEvents: (entries) =>
        putDecisionEvents(new EventBridgeClient({ region: 'eu-west-1' }), entries, {
          busName: 'default',
          attempts: 3,
          backoffMs: () => 0,
        }),
      now: () => new Date('2026-11-23T05:00:00Z'),
      logger,
      metrics,
    });
    const emails = emailsOnce({ client, tableName: TABLE, expiresAfterSeconds: 90 * 86_400 });
    const publish = emails.wrap((notification) => sns.publish(notification));
    const shared = { publish, decisions, logger, metrics, region: 'eu-west-1' };
    const wired = <E, R>(handle: (event: E, context: Context) => Promise<R>) =>
      asLambdaHandler(handle, {
        logger,
        metrics,
        decisions,
        learnFrom: (invocation) => emails.registerLambdaContext(invocation),
      });
    const handlers = {
      schedule: wired(
        createOnScheduleHandler({
          ...shared,
          config: scheduleConfig,
          listRecentExecutions: (name) => sageMaker.recent(name),
          prefixHoldsObjects: async () => false,
          findNewestApprovedArn: async () =>
            'arn:aws:sagemaker:eu-west-1:123456789012:model-package/g/1',
          startPipeline: (request) => sageMaker.start(request),
        }),
      ),
      modelPackage: wired(
        createOnModelPackageStateChangeHandler({
          ...shared,
          config: notifyConfig,
          describe: async (arn) =>
            registeredModelVersion({ arn, version: Number(arn.split('/').pop()) }),
          findNewestApprovedArn: async () => undefined,
          readRunDescription: async () => 'Started by onDataUpload',
          readJsonObject: async () => ({}),
          startPipeline: (request) => sageMaker.start(request),
        }),
      ),
      monitoring: wired(
        createOnMonitoringViolationHandler({
          ...shared,
          config: monitoringConfig,
          now: () => new Date('2026-11-23T05:00:00Z'),
          listRecentExecutions: (name) => sageMaker.recent(name),
          startPipeline: (request) => sageMaker.start(request),
          readStepFailureMessage: async () => undefined,
          readJsonObject: async () => ({
            violations: [
              {
                feature_name: 'age',
                constraint_check_type: 'data_type_check',
                description: 'Integral',
              },
            ],
          }),
        }),
      ),
      pipelineStatus: wired(
        createOnPipelineStatusChangeHandler({
          ...shared,
          config: notifyConfig,
          readExecutionFailureReason: async () => 'Step failure',
          readFailedSteps: async () => [{ name: 'Train', failureReason: 'AlgorithmError' }],
          readRunParameters: async () => [{ name: 'InputDataUrl', value: `s3://${BUCKET}/x/` }],
          readQualityCheck: async () => ({ reportUri: `s3://${BUCKET}/report.json` }),
          readJsonObject: async () => ({
            violations: [
              {
                feature_name: 'age',
                constraint_check_type: 'data_type_check',
                description: 'Integral',
              },
            ],
          }),
        }),
      ),
      upload: wired(
        createOnDataUploadHandler({
          config: testConfig,
          startPipeline: (request) => sageMaker.start(request),
          decisions,
          ...acceptingQueues(),
          now: () => new Date(),
          logger,
          metrics,
        }),
      ),
    };
    const triggers: Array<[keyof typeof handlers, unknown]> = [
      ['schedule', sampleEvent('schedule-daily-scoring.json')],
      ['modelPackage', sampleEvent('model-package-pending-approval.json')],
      ['modelPackage', sampleEvent('model-package-approved.json')],
      ['modelPackage', sampleEvent('model-package-rejected.json')],
      ['monitoring', sampleEvent('pipeline-step-model-quality-violation.json')],
      ['monitoring', sampleEvent('cloudwatch-drift-alarm.json')],
      ['monitoring', sampleEvent('model-monitor-job-violations.json')],
      ['pipelineStatus', sampleEvent('pipeline-execution-failed.json')],
      ['pipelineStatus', sampleEvent('pipeline-step-data-quality-violations.json')],
      [
        'upload',
        sqsBatch([
          eventBridgeObjectCreated('data/training/2026-11-21/part-00000.csv', { sequencer: '0A1' }),
          eventBridgeObjectCreated('data/training/2026-11-21/part-00001.csv', { sequencer: '0A2' }),
          eventBridgeObjectCreated('data/inferense/2026-11-21/scores.csv', { sequencer: '0A3' }),
        ]),
      ],
    ];
    // Each trigger three times; each delivery retried (as Lambda and EventBridge do) until it succeeds.
    for (let delivery = 0; delivery < DELIVERIES; delivery += 1) {
      for (const [name, event] of triggers) {
        const handler = handlers[name] as (event: unknown, context: Context) => Promise<unknown>;
        for (let attempt = 1; ; attempt += 1) {
          attempts += 1;
          try {
            await handler(event, context);
            break;
          } catch (error) {
            if (attempt === MAX_ATTEMPTS) throw error;
          }
        }
      }
    }
  }, 60_000);

  afterAll(async () => {
    client?.destroy();
    eventBridge.restore();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  async function ledger(): Promise<Array<Record<string, string>>> {
    const { Items = [] } = await client.send(new ScanCommand({ TableName: TABLE }));
    return Items.map((item) =>
      Object.fromEntries(
        Object.entries(item).map(([name, value]) => [name, value.S ?? value.N ?? '']),
      ),
    );
  }

  it('SNS failed some publishes, so the retries were real', () => {
    expect(sns.failures()).toBeGreaterThan(0);
    expect(attempts).toBeGreaterThan(10 * DELIVERIES);
  });

  it('sent exactly one e-mail per identity', async () => {
    const sent = (await ledger()).filter((item) => item.decision === 'notification-sent');
    expect(sent.map((item) => `${item.notificationKind} ${item.pk}`).sort()).toEqual(
      [
        'drift-warning arn:aws:sagemaker:eu-west-1:123456789012:pipeline/mlops-control-plane-dev-batch-inference/execution/p8w2n6c4r0ty',
        'drift-warning processing-job#model-monitoring-202611230300-6c1f2a3e4b5d',
        'execution-failed arn:aws:sagemaker:eu-west-1:123456789012:pipeline/mlops-control-plane-dev-training/execution/f4q8s1u5w9y2',
        'model-approved arn:aws:sagemaker:eu-west-1:123456789012:model-package/mlops-control-plane-dev-models/3',
        'model-rejected arn:aws:sagemaker:eu-west-1:123456789012:model-package/mlops-control-plane-dev-models/3',
        'retrain-skipped trigger#drift-alarm#mlops-control-plane-dev-feature-drift#2026-11-23T04:10:02.871+0000',
        'retrain-started trigger#model-quality#arn:aws:sagemaker:eu-west-1:123456789012:pipeline/mlops-control-plane-dev-batch-inference/execution/p8w2n6c4r0ty#ModelQualityViolation',
        'review-request arn:aws:sagemaker:eu-west-1:123456789012:model-package/mlops-control-plane-dev-models/3',
        'schedule-skipped schedule#daily-scoring',
      ].sort(),
    );
    // SNS accepted one message per identity, and it is the one the ledger records.
    expect(sns.accepted.map((accepted) => accepted.messageId).sort()).toEqual(
      sent.map((item) => item.messageId).sort(),
    );
  });

  it('recorded exactly one record per decision', async () => {
    const records = (await ledger()).filter((item) => item.pk !== 'email-idempotency');
    expect(
      records
        .filter((item) => item.decision !== 'notification-sent')
        .map((item) => `${item.decision} ${item.pk}`)
        .sort(),
    ).toEqual(
      [
        'approval-acted-on arn:aws:sagemaker:eu-west-1:123456789012:model-package/mlops-control-plane-dev-models/3',
        'approval-acted-on arn:aws:sagemaker:eu-west-1:123456789012:model-package/mlops-control-plane-dev-models/3',
        'retrain-held-back trigger#drift-alarm#mlops-control-plane-dev-feature-drift#2026-11-23T04:10:02.871+0000',
        'retrain-started trigger#model-quality#arn:aws:sagemaker:eu-west-1:123456789012:pipeline/mlops-control-plane-dev-batch-inference/execution/p8w2n6c4r0ty#ModelQualityViolation',
        'run-requested s3://mlops-control-plane-dev-data-123456789012-eu-west-1/data/training/2026-11-21/',
        'scheduled-run-skipped schedule#daily-scoring',
        'upload-ignored s3://mlops-control-plane-dev-data-123456789012-eu-west-1/data/inferense/2026-11-21/scores.csv',
      ].sort(),
    );
    // Three deliveries, one retrain run and one scoring run: the starts stayed exactly once.
    expect(sageMaker.starts).toBe(3);
    // Nine e-mails and seven other decisions, each under its own key.
    expect(records).toHaveLength(16);
  });

  it('put every decision on the bus, each event valid against its schema', async () => {
    const validators = decisionEventValidators();
    expect(
      putEntries.flatMap((entry) => schemaProblems(validators, asDeliveredEvent(entry))),
    ).toEqual([]);
    const ids = new Set(
      putEntries.map((entry) => (JSON.parse(entry.detail) as { decisionId: string }).decisionId),
    );
    const records = (await ledger()).filter((item) => item.pk !== 'email-idempotency');
    expect([...ids].sort()).toEqual(records.map((item) => item.decisionId).sort());
  });
});
