import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { putDecisionEvents } from '../aws/decision-events';
import { createDynamoDbClient } from '../aws/dynamodb-client';
import { createEventBridgeClient } from '../aws/eventbridge-client';
import { writeLedgerItems } from '../aws/ledger-table';
import type { SdkClientSettings } from '../aws/sdk-client-options';
import { ledgerConfigSchema } from '../config/ledger-config';
import { parseConfigFromEnvironment } from '../config/parse-config';
import { createDecisionLedger } from './decision-ledger';

// The SDK retries throttling itself; these cover what a 200 reply leaves undone (unprocessed
// items, failed entries): four attempts within about a second.
const ATTEMPTS = 4;
const backoffMs = (retry: number) => 50 * 2 ** retry;

/**
 * What a function that records decisions builds at cold start from LEDGER_CONFIG: the ledger's
 * client and the decision ledger that writes to it and puts the events on the bus.
 */
export function createLedgerRuntime(
  environment: NodeJS.ProcessEnv,
  retry: SdkClientSettings,
  observability: { readonly logger: Logger; readonly metrics: Metrics },
) {
  const config = parseConfigFromEnvironment(ledgerConfigSchema, environment, 'LEDGER_CONFIG');
  const dynamoDb = createDynamoDbClient(retry);
  const eventBridge = createEventBridgeClient(retry);
  return {
    config,
    dynamoDb,
    decisions: createDecisionLedger({
      config,
      writeItems: (items) =>
        writeLedgerItems(dynamoDb, config.tableName, items, { attempts: ATTEMPTS, backoffMs }),
      putEvents: (entries) =>
        putDecisionEvents(eventBridge, entries, {
          busName: config.events.busName,
          attempts: ATTEMPTS,
          backoffMs,
        }),
      now: () => new Date(),
      ...observability,
    }),
  };
}
