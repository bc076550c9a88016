import { join } from 'node:path';
import { readPackagedService } from '../package-function';
import { localCloudStatus } from './control-client';
import { LOCAL_CREDENTIALS, type LocalEndpoints, localEndpoints } from './local-cloud';
import type { LocalCloudSettings } from './local-cloud-settings';
import type { LocalStackLocation } from './local-stack';
import { readStackWiring } from './stack-wiring';

/** A local cloud that `npm start` runs, as the tools that act on it from outside see it. */
export interface RunningLocalCloud {
  readonly endpoints: LocalEndpoints;
  /** Its stack, read from the template it was packaged with (in its state folder). */
  readonly stack: LocalStackLocation;
}

/**
 * The local cloud listening at the settings' control port, with the wiring of the stack it runs;
 * fails, saying how to start one, when none answers. `then` ends the error's message: what to do
 * once one runs.
 *
 * @example
 * const cloud = await runningLocalCloud(localCloudSettings(process.env), 'run this again');
 * const stack = await readLocalStack(cloud.stack);
 */
export async function runningLocalCloud(
  settings: LocalCloudSettings,
  then: string,
): Promise<RunningLocalCloud> {
  const endpoints = localEndpoints(settings);
  const running = await localCloudStatus(endpoints.control);
  if (running === undefined) {
    throw new Error(
      `No local cloud is running (nothing answers at ${endpoints.control}): start one with npm start in another terminal, then ${then}.`,
    );
  }
  const service = readPackagedService(join(running.stateDirectory, 'package'));
  return {
    endpoints,
    stack: {
      wiring: readStackWiring(service.template, { ...service, accountId: settings.accountId }),
      stackName: service.stackName,
      accountId: settings.accountId,
      region: service.region,
      sageMakerUrl: endpoints.sageMaker,
      credentials: LOCAL_CREDENTIALS,
    },
  };
}
