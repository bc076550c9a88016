// `npm run local:reset`: forgets everything local mode kept (S3 objects, e-mails, queues, runs,
// model versions, the package).
import { rmSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { localCloudStatus } from './control-client';
import { localEndpoints } from './local-cloud';
import { localCloudSettings } from './local-cloud-settings';

async function main(): Promise<void> {
  const settings = localCloudSettings(process.env);
  const { stateDirectory } = settings;
  const shown = relative(process.cwd(), stateDirectory) || stateDirectory;
  const running = await localCloudStatus(localEndpoints(settings).control);
  // A running cloud writes its queues, runs and model versions back when it stops.
  if (running !== undefined && resolve(running.stateDirectory) === resolve(stateDirectory)) {
    throw new Error(
      `npm start (process ${running.pid}) is using ${shown}/: stop it first (Ctrl-C in its terminal), then npm run local:reset.`,
    );
  }
  rmSync(stateDirectory, { recursive: true, force: true });
  console.log(`Removed ${shown}/`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
