import type { Server } from 'node:http';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ActivityLog } from './activity-log';
import { type TableProperties, createTableFromTemplate } from './dynamodb-tables';
import { listenOnLoopback } from './loopback-port';

// dynalite ships no types: a factory of an http.Server speaking the DynamoDB API.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require('dynalite') as (options: { createTableMs: number }) => Server;

/**
 * DynamoDB on 127.0.0.1 (dynalite, in memory: a restart forgets the ledger, like the local
 * SageMaker's runs), with the stack's tables created from the packaged template.
 *
 * @example
 * const dynamoDb = await startLocalDynamoDb({ port: 8000, tables: wiring.tables, region, log });
 */
export async function startLocalDynamoDb(options: {
  readonly port: number;
  readonly tables: readonly TableProperties[];
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly log: ActivityLog;
}) {
  const server = dynalite({ createTableMs: 0 });
  await listenOnLoopback(server, options.port);
  const url = `http://127.0.0.1:${options.port}`;
  const client = new DynamoDBClient({
    region: options.region,
    endpoint: url,
    credentials: options.credentials,
  });
  try {
    for (const table of options.tables) {
      await createTableFromTemplate(client, table);
      options.log('local', `DynamoDB table ${table.TableName} created (dynalite, in memory)`);
    }
  } finally {
    client.destroy();
  }
  return {
    url,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
