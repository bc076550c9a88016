// `npm run drop -- <file> <key or s3://bucket/key>`: writes a file into the local S3 as a data
// engineer's upload would, so that it produces the "Object Created" event AWS would send.
import './silence-sdk-node-notice';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { readPackagedService } from '../package-function';
import { localCloudStatus } from './control-client';
import { LOCAL_CREDENTIALS, localEndpoints } from './local-cloud';
import { localCloudSettings } from './local-cloud-settings';
import { readStackWiring } from './stack-wiring';

const USAGE =
  'Usage: npm run drop -- <file> <key or s3://bucket/key>, e.g. npm run drop -- scores.csv data/inference/2026-11-21/scores.csv';

/** The bucket whose uploads start pipelines, from the template the running local cloud uses. */
function dataBucket(stateDirectory: string, accountId: string): string {
  const service = readPackagedService(join(stateDirectory, 'package'));
  const wiring = readStackWiring(service.template, { ...service, accountId });
  const bucket = wiring.buckets.find((candidate) => candidate.eventBridgeEnabled);
  if (bucket === undefined)
    throw new Error('The stack has no bucket with EventBridge notifications');
  return bucket.name;
}

async function main([given, target]: string[]): Promise<void> {
  if (given === undefined || target === undefined) throw new Error(USAGE);
  // npm runs scripts in the project folder; a relative path means the folder npm was run in.
  const file = resolve(process.env.INIT_CWD ?? process.cwd(), given);
  if (!existsSync(file)) throw new Error(`No file ${file} to drop.\n${USAGE}`);
  const settings = localCloudSettings(process.env);
  const endpoints = localEndpoints(settings);
  const running = await localCloudStatus(endpoints.control);
  if (running === undefined) {
    throw new Error(
      `No local cloud is running (nothing answers at ${endpoints.control}): start one with npm start in another terminal, then drop again.`,
    );
  }
  const [, givenBucket, givenKey] = /^s3:\/\/([^/]+)\/(.+)$/.exec(target) ?? [];
  const bucket = givenBucket ?? dataBucket(running.stateDirectory, settings.accountId);
  const path = givenKey ?? target;
  const key = path.endsWith('/') ? `${path}${basename(file)}` : path;
  const client = new S3Client({
    region: 'eu-west-1',
    endpoint: endpoints.s3,
    forcePathStyle: true,
    credentials: LOCAL_CREDENTIALS,
  });
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: readFileSync(file) }));
  console.log(`dropped ${given} as s3://${bucket}/${key}`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
