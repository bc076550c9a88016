// `npm run event -- <sample>`: delivers a sample of events/ to the running local cloud, adapted
// to its stack, as the AWS service that sends such an event would deliver it.
import './silence-sdk-node-notice';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { controlClient } from './control-client';
import type { AwsEvent, Delivery } from './event-bus';
import { localCloudSettings } from './local-cloud-settings';
import { readLocalStack } from './local-stack';
import { runningLocalCloud } from './running-local-cloud';
import { type AdaptedSample, adaptSample } from './sample-event';

const SAMPLES = join(__dirname, '..', '..', 'events');

/** The sample a user means: a path (from where npm was run), or a file of events/ with or without .json. */
function sampleFile(given: string): string {
  const candidates = [
    resolve(process.env.INIT_CWD ?? process.cwd(), given),
    join(SAMPLES, given),
    join(SAMPLES, `${given}.json`),
  ];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (found === undefined) {
    throw new Error(`No sample ${given}. The samples:\n${sampleList()}`);
  }
  return found;
}

function sampleList(): string {
  return readdirSync(SAMPLES)
    .filter((file) => file.endsWith('.json'))
    .map((file) => `  npm run event -- ${file.replace(/\.json$/, '')}`)
    .join('\n');
}

/** Delivers the adapted sample; resolves with the lines that say what became of it. */
async function deliver(adapted: AdaptedSample, controlUrl: string): Promise<string[]> {
  const control = controlClient(controlUrl);
  const { delivery } = adapted;
  if (delivery.kind === 'queue') {
    for (const body of delivery.bodies) await control.sendToQueue(delivery.queueArn, body);
    const queue = delivery.queueArn.split(':').pop();
    return [
      `→ ${delivery.bodies.length} message(s) on ${queue}; its function takes them within the batching window`,
    ];
  }
  if (delivery.kind === 'schedule') {
    const { id } = await control.fireSchedule(delivery.rule, new Date(delivery.time));
    return (await control.settledDeliveries(id)).map(describeDelivery);
  }
  // A fresh id, as EventBridge gives every event it receives: each post is followed on its own.
  const { id, rules } = await control.postEvent({ ...delivery.event, id: randomUUID() });
  if (rules.length === 0) throw new Error(noRuleTakes(delivery.event));
  return (await control.settledDeliveries(id)).map(describeDelivery);
}

function noRuleTakes(event: AwsEvent): string {
  const alarm =
    event['detail-type'] === 'CloudWatch Alarm State Change'
      ? String((event.detail as { alarmName?: unknown }).alarmName)
      : undefined;
  const hint =
    alarm === undefined
      ? ''
      : ` An alarm retrains only when custom.mlops.retraining.alarms lists it (- name: ${alarm}).`;
  return `No rule of the local stack matches it: it starts nothing, as on AWS.${hint}`;
}

function describeDelivery(delivery: Delivery): string {
  const target = delivery.targetArn.split(':').pop();
  const outcome = {
    delivered: delivery.targetArn.includes(':lambda:') ? 'ran' : 'received it',
    failed: delivery.targetArn.includes(':lambda:')
      ? 'failed (retried, then parked in its dead-letter queue)'
      : 'could not take it',
    delivering: 'still running',
  }[delivery.status];
  return `→ ${delivery.rule} → ${target}: ${outcome}`;
}

async function main([given]: string[]): Promise<void> {
  if (given === undefined) {
    throw new Error(`Usage: npm run event -- <sample of events/ or a file>\n${sampleList()}`);
  }
  const file = sampleFile(given);
  const cloud = await runningLocalCloud(localCloudSettings(process.env), 'run this again');
  const adapted = adaptSample(
    JSON.parse(readFileSync(file, 'utf8')),
    await readLocalStack(cloud.stack),
  );
  console.log(`${basename(file)}, adapted to the local stack:`);
  for (const change of adapted.changes) console.log(`  ${change}`);
  for (const line of await deliver(adapted, cloud.endpoints.control)) console.log(line);
  console.log('What the functions decided is in the npm start terminal.');
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
