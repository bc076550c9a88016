// `npm run demo`: plays the MLOps loop against the local cloud of `npm start` (or, when none is
// running, against one it starts for the occasion) and prints the timeline.
import { join } from 'node:path';
import { readPackagedService } from '../package-function';
import { consoleActivityLog } from './activity-log';
import { DemoStoppedError, type TimelineEntry, formatTimeline, playDemo } from './demo-story';
import { type LocalCloud, localEndpoints, startLocalCloud } from './local-cloud';
import { localCloudSettings } from './local-cloud-settings';
import { isPortTaken } from './loopback-port';
import { readStackWiring } from './stack-wiring';

async function main(): Promise<number> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const settings = localCloudSettings(process.env);
  let cloud: LocalCloud | undefined;
  if (!(await isPortTaken(settings.ports.control))) {
    console.log('No local cloud is running: starting one for the demo (npm start keeps one up).');
    cloud = await startLocalCloud(settings, consoleActivityLog());
  }
  const service = readPackagedService(join(settings.stateDirectory, 'package'));
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
    return 0;
  } catch (error) {
    if (!(error instanceof DemoStoppedError)) console.error(String(error));
    return 1;
  } finally {
    console.log(`\nTimeline\n${formatTimeline(shown)}\n`);
    console.log(`Read the e-mails at ${localEndpoints(settings).inbox}`);
    await cloud?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
