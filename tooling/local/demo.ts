// `npm run demo`: plays the MLOps loop against the local cloud of `npm start` (or, when none is
// running, against one it starts for the occasion) and prints the timeline.
import './silence-sdk-node-notice';
import { join, relative } from 'node:path';
import { readPackagedService } from '../package-function';
import { consoleActivityLog } from './activity-log';
import { localCloudStatus } from './control-client';
import { emailFilesSince } from './email-delivery';
import { DemoStoppedError, type TimelineEntry, formatTimeline, playDemo } from './demo-story';
import { type LocalCloud, localEndpoints, startLocalCloud } from './local-cloud';
import { type LocalCloudSettings, localCloudSettings } from './local-cloud-settings';
import { readStackWiring } from './stack-wiring';

/** The story told on a used cloud: what to do for all of it again. */
const REPLAY =
  'For the whole story again, on a fresh local cloud: stop npm start (Ctrl-C), then npm run local:reset, npm start and npm run demo.';

async function main(): Promise<number> {
  const settings = localCloudSettings(process.env);
  let cloud: LocalCloud | undefined;
  const running = await localCloudStatus(localEndpoints(settings).control);
  if (running === undefined) {
    console.log('No local cloud is running: starting one for the demo (npm start keeps one up).');
    cloud = await startLocalCloud(settings, consoleActivityLog());
  }
  const started = new Date();
  const shown = await playStory(settings, running?.stateDirectory ?? settings.stateDirectory);
  console.log(`\nTimeline\n${formatTimeline(shown)}\n`);
  const told = shown.length > 0 && shown.every((entry) => entry.status === 'done');
  if (shown.some((entry) => entry.status === 'held back')) console.log(`${REPLAY}\n`);
  if (cloud === undefined) {
    console.log(`Read the e-mails at ${localEndpoints(settings).inbox}`);
  } else {
    await keepUpOrListMail(cloud, settings, started);
  }
  return told ? 0 : 1;
}

async function playStory(
  settings: LocalCloudSettings,
  stateDirectory: string,
): Promise<TimelineEntry[]> {
  const service = readPackagedService(join(stateDirectory, 'package'));
  const wiring = readStackWiring(service.template, { ...service, accountId: settings.accountId });
  const shown: TimelineEntry[] = [];
  try {
    await playDemo({
      endpoints: localEndpoints(settings),
      wiring,
      region: service.region,
      onEntry: (entry) => {
        shown.push(entry);
        console.log(`\n>>> ${formatTimeline(shown).split('\n').at(-1)}\n`);
      },
    });
  } catch (error) {
    if (!(error instanceof DemoStoppedError)) console.error(String(error));
  }
  return shown;
}

/**
 * The cloud the demo started holds the inbox: in a terminal it stays up until Ctrl-C, so that the
 * e-mails can be read; otherwise (a script, CI) it stops, and the e-mails' files are listed.
 */
async function keepUpOrListMail(
  cloud: LocalCloud,
  settings: LocalCloudSettings,
  since: Date,
): Promise<void> {
  if (process.stdout.isTTY) {
    console.log(
      `Read the e-mails at ${localEndpoints(settings).inbox} (also kept in ${relative(process.cwd(), join(settings.stateDirectory, 'mail'))}/); the local cloud stays up until Ctrl-C.`,
    );
    await new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
    console.log('Stopping the local cloud...');
  }
  await cloud.stop();
  if (!process.stdout.isTTY) {
    const files = emailFilesSince(join(settings.stateDirectory, 'mail'), since);
    console.log(`The e-mails of the demo:\n${files.map((file) => `  ${file}`).join('\n')}`);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
