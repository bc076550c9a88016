import { createServer } from 'node:net';
import { assertPortsFree, localCloudSettings } from '../../tooling/local/local-cloud-settings';
import { freeLoopbackPort, listenOnLoopback } from '../../tooling/local/loopback-port';
import { startIdleControlEndpoint } from '../support/running-local-cloud';

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
      dynamoDb: 8000,
      eventBridge: 4587,
      stackApi: 4581,
    });
    expect(settings.scenario).toBe('mine');
    expect(settings.stateDirectory).toMatch(/\.local$/);
  });

  it('packages the local stage with the feature store when LOCAL_FEATURE_STORE names a training source', () => {
    expect(localCloudSettings({}).featureStore).toBeUndefined();
    expect(localCloudSettings({ LOCAL_FEATURE_STORE: '' }).featureStore).toBeUndefined();
    expect(localCloudSettings({ LOCAL_FEATURE_STORE: 'offline-store' }).featureStore).toBe(
      'offline-store',
    );
    expect(() => localCloudSettings({ LOCAL_FEATURE_STORE: 'true' })).toThrow(
      'LOCAL_FEATURE_STORE=true is not a training source (input, offline-store)',
    );
  });

  it('takes the parameters of the local stage as serverless package does, and nothing else', () => {
    expect(
      localCloudSettings({}, [
        '--param=retrainCooldownHours=0',
        '--param',
        'opsEmail=a=b@x.example',
      ]).parameters,
    ).toEqual({ retrainCooldownHours: '0', opsEmail: 'a=b@x.example' });
    expect(() => localCloudSettings({}, ['--stage=dev'])).toThrow(
      '--stage=dev: the local cloud takes only --param="name=value"',
    );
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

  it('says when the ports are taken by another npm start, and how to run a second one', async () => {
    const control = await startIdleControlEndpoint(
      await freeLoopbackPort(),
      '/work/project/.local',
    );
    const ports = { ...localCloudSettings({}).ports, control: Number(new URL(control.url).port) };
    try {
      await expect(assertPortsFree(ports)).rejects.toThrow(
        `Another npm start is running (process ${process.pid}, state in /work/project/.local).\nUse it (npm run demo, npm run drop, npm run event), or stop it with Ctrl-C in its terminal.\nA second one needs ports and a state folder of its own: LOCAL_S3_PORT=5569 LOCAL_SAGEMAKER_PORT=5599`,
      );
    } finally {
      await control.close();
    }
  });
});
