import { controlClient } from '../../tooling/local/control-client';
import { startControlEndpoint } from '../../tooling/local/control-endpoint';
import { type AwsEvent, startEventBus } from '../../tooling/local/event-bus';
import { freeLoopbackPort } from '../../tooling/local/loopback-port';

describe('the control API of the local cloud, through its client', () => {
  const sent: Array<[string, string]> = [];
  const logged: string[] = [];
  const bus = startEventBus({
    rules: [
      {
        logicalId: 'ModelPackageRule',
        name: 'svc-local-model-package',
        arn: 'arn:aws:events:eu-west-1:000000000000:rule/svc-local-model-package',
        enabled: true,
        eventPattern: { source: ['aws.sagemaker'] },
        targets: [{ id: 'audit', arn: 'arn:aws:sqs:eu-west-1:000000000000:audit' }],
      },
    ],
    region: 'eu-west-1',
    accountId: '000000000000',
    deliver: {
      lambda: async () => true,
      sqs: async (arn, body) => {
        sent.push([arn, body]);
        return true;
      },
      sns: async () => undefined,
    },
    log: () => undefined,
  });
  let control: Awaited<ReturnType<typeof startControlEndpoint>>;

  beforeAll(async () => {
    control = await startControlEndpoint({
      port: await freeLoopbackPort(),
      bus,
      sendToQueue: (queue, body) => queue === 'svc-local-buffer' && sent.push([queue, body]) > 0,
      region: 'eu-west-1',
      accountId: '000000000000',
      stateDirectory: '/tmp/state',
      stackName: 'svc-local',
      endpoints: { sqs: 'http://127.0.0.1:4576' },
      log: (source, message) => logged.push(`${source} ${message}`),
      // The stage's names of a sample, as the local cloud adapts them (sample-event.test.ts).
      adaptSample: async (sample) => {
        const event = {
          ...(sample as AwsEvent),
          account: '000000000000',
          detail: { adapted: true },
        };
        return {
          sample: event,
          delivery: { kind: 'event', event },
          changes: ['123456789012 → 000000000000'],
        };
      },
    });
  });
  afterAll(async () => {
    bus.close();
    await control.close();
  });

  it('puts an event on the bus and answers with the rules that took it; says when none did', async () => {
    const client = controlClient(control.url);
    const taken = await client.postEvent({ source: 'aws.sagemaker', 'detail-type': 'X' });
    expect(taken.rules).toEqual(['ModelPackageRule']);
    expect((await client.settledDeliveries(taken.id)).map((d) => d.status)).toEqual(['delivered']);
    const ignored = await client.postEvent({
      source: 'aws.cloudwatch',
      'detail-type': 'CloudWatch Alarm State Change',
      resources: ['arn:aws:cloudwatch:eu-west-1:000000000000:alarm:drift'],
    });
    expect(ignored.rules).toEqual([]);
    expect(logged).toEqual([
      'events CloudWatch Alarm State Change arn:aws:cloudwatch:eu-west-1:000000000000:alarm:drift: no rule matches',
    ]);
  });

  it("adapts a sample of events/ (the samples' account) to the stack before it goes on the bus", async () => {
    const client = controlClient(control.url);
    const before = sent.length;
    const taken = await client.postEvent({
      source: 'aws.sagemaker',
      'detail-type': 'SageMaker Model Package State Change',
      account: '123456789012',
      detail: {},
    });
    expect(taken).toMatchObject({
      rules: ['ModelPackageRule'],
      changes: ['123456789012 → 000000000000'],
    });
    await client.settledDeliveries(taken.id);
    expect(JSON.parse(sent[before]?.[1] ?? '{}')).toMatchObject({
      account: '000000000000',
      detail: { adapted: true },
    });
  });

  it("sends a message to one of the stack's queues, and refuses a queue it does not have", async () => {
    const client = controlClient(control.url);
    await expect(client.sendToQueue('svc-local-buffer', '{"Records":[]}')).resolves.toEqual({
      sent: 'svc-local-buffer',
    });
    expect(sent).toContainEqual(['svc-local-buffer', '{"Records":[]}']);
    await expect(client.sendToQueue('other', 'x')).rejects.toThrow(
      'No queue other in the local stack',
    );
  });

  it('says who it is, for a second start that finds the ports taken', async () => {
    const response = await fetch(`${control.url}/status`);
    expect(await response.json()).toEqual({
      localCloud: 'mlops-control-plane',
      pid: process.pid,
      stateDirectory: '/tmp/state',
      stackName: 'svc-local',
      region: 'eu-west-1',
      endpoints: { sqs: 'http://127.0.0.1:4576' },
    });
  });

  it('refuses a schedule time that is not one', async () => {
    await expect(
      fetch(`${control.url}/schedules/svc-local-model-package?time=tomorrow`, { method: 'POST' }),
    ).resolves.toMatchObject({ status: 400 });
  });
});
