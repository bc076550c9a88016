import { createServer } from 'node:net';
import { assertPortsFree, localCloudSettings } from '../../tooling/local/local-cloud-settings';
import { freeLoopbackPort, listenOnLoopback } from '../../tooling/local/loopback-port';

describe('local cloud settings', () => {
  it('reads ports, state folder and scenario from LOCAL_* variables, with defaults', () => {
    const settings = localCloudSettings({ LOCAL_S3_PORT: '5569', LOCAL_SCENARIO: 'mine' });
    expect(settings.ports).toEqual({
      s3: 5569,
      sageMaker: 4599,
      sns: 4575,
      sqs: 4576,
      smtp: 1025,
      inbox: 1080,
      control: 4580,
    });
    expect(settings.scenario).toBe('mine');
    expect(settings.stateDirectory).toMatch(/\.local$/);
  });

  it('refuses a port that is not one', () => {
    expect(() => localCloudSettings({ LOCAL_SNS_PORT: 'http' })).toThrow(
      'LOCAL_SNS_PORT=http is not a port number',
    );
  });

  it('names the taken port, its service and the variable that moves it', async () => {
    const taken = createServer();
    await listenOnLoopback(taken, 0);
    const port = (taken.address() as { port: number }).port;
    const ports = { ...localCloudSettings({}).ports, s3: port };
    for (const name of ['sageMaker', 'sns', 'sqs', 'smtp', 'inbox', 'control'] as const)
      ports[name] = await freeLoopbackPort();
    try {
      await expect(assertPortsFree(ports)).rejects.toThrow(
        `port ${port} (S3 (s3rver)) is in use: stop what uses it or choose another, e.g. LOCAL_S3_PORT=${port + 1000} npm start`,
      );
    } finally {
      taken.close();
    }
  });
});
