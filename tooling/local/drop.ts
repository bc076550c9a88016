// `npm run drop -- <file> <key or s3://bucket/key>`: writes a file into the local S3 as a data
// engineer's upload would, so that it produces the "Object Created" event AWS would send.
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { readPackagedService } from '../package-function';
import { LOCAL_CREDENTIALS } from './local-cloud';
import { localCloudSettings } from './local-cloud-settings';
import { readStackWiring } from './stack-wiring';

/** The bucket whose uploads start pipelines, from the template the running local cloud uses. */
function dataBucket(stateDirectory: string, accountId: string): string {
  const service = readPackagedService(join(stateDirectory, 'package'));
  const wiring = readStackWiring(service.template, { ...service, accountId });
  const bucket = wiring.buckets.find((candidate) => candidate.eventBridgeEnabled);
  if (bucket === undefined)
    throw new Error('The stack has no bucket with EventBridge notifications');
  return bucket.name;
}

async function main([file, target]: string[]): Promise<void> {
  if (file === undefined || target === undefined) {
    throw new Error('Usage: npm run drop -- <file> <key or s3://bucket/key>');
  }
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const settings = localCloudSettings(process.env);
  const [, givenBucket, givenKey] = /^s3:\/\/([^/]+)\/(.+)$/.exec(target) ?? [];
  const bucket = givenBucket ?? dataBucket(settings.stateDirectory, settings.accountId);
  const key = givenKey ?? (target.endsWith('/') ? `${target}${basename(file)}` : target);
  const client = new S3Client({
    region: 'eu-west-1',
    endpoint: `http://127.0.0.1:${settings.ports.s3}`,
    forcePathStyle: true,
    credentials: LOCAL_CREDENTIALS,
  });
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: readFileSync(file) }));
  console.log(`dropped ${file} as s3://${bucket}/${key}`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const refused = (error as { code?: string }).code === 'ECONNREFUSED';
  console.error(refused ? 'No local S3 is listening: run npm start first.' : String(error));
  process.exit(1);
});
