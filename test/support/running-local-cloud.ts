import { startControlEndpoint } from '../../tooling/local/control-endpoint';
import { startEventBus } from '../../tooling/local/event-bus';

/**
 * The control API of a local cloud with no rules and no queues: enough for a command that asks
 * whether a local cloud is running, and where it keeps its state.
 */
export async function startIdleControlEndpoint(port: number, stateDirectory: string) {
  const bus = startEventBus({
    rules: [],
    region: 'eu-west-1',
    accountId: '000000000000',
    deliver: { lambda: async () => true, sqs: async () => true, sns: async () => undefined },
    log: () => undefined,
  });
  const control = await startControlEndpoint({
    port,
    bus,
    sendToQueue: () => false,
    region: 'eu-west-1',
    accountId: '000000000000',
    stateDirectory,
    stackName: 'mlops-control-plane-local',
    endpoints: {},
    log: () => undefined,
    adaptSample: () => Promise.reject(new Error('An idle local cloud has no stack to adapt to')),
  });
  return {
    url: control.url,
    close: async () => {
      bus.close();
      await control.close();
    },
  };
}
