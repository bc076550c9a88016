import { type AwsEvent, startEventBus } from '../../tooling/local/event-bus';
import type { LocalRule } from '../../tooling/local/stack-wiring';

const functionArn = 'arn:aws:lambda:eu-west-1:000000000000:function:svc-onModelPackage';
const rules: LocalRule[] = [
  {
    logicalId: 'ModelPackageRule',
    name: 'model-package-rule',
    arn: 'arn:aws:events:eu-west-1:000000000000:rule/model-package-rule',
    enabled: true,
    eventPattern: {
      source: ['aws.sagemaker'],
      'detail-type': ['SageMaker Model Package State Change'],
    },
    targets: [
      { id: 'fn', arn: functionArn },
      { id: 'detail-only', arn: 'arn:aws:sqs:eu-west-1:000000000000:audit', inputPath: '$.detail' },
      {
        id: 'fifo',
        arn: 'arn:aws:sqs:eu-west-1:000000000000:decisions.fifo',
        messageGroupId: 'training',
      },
    ],
  },
  {
    logicalId: 'DisabledRule',
    name: 'disabled',
    arn: 'arn:aws:events:eu-west-1:000000000000:rule/disabled',
    enabled: false,
    eventPattern: { source: ['aws.sagemaker'] },
    targets: [{ id: 'fn', arn: functionArn }],
  },
  {
    logicalId: 'MonthlySchedule',
    name: 'monthly',
    arn: 'arn:aws:events:eu-west-1:000000000000:rule/monthly',
    enabled: true,
    scheduleExpression: 'cron(0 3 1 * ? *)',
    targets: [{ id: 'fn', arn: functionArn, input: '{"pipeline":"training"}' }],
  },
];

const event: AwsEvent = {
  version: '0',
  id: 'e-1',
  'detail-type': 'SageMaker Model Package State Change',
  source: 'aws.sagemaker',
  account: '000000000000',
  time: '2026-11-21T12:00:00Z',
  region: 'eu-west-1',
  resources: ['arn:aws:sagemaker:eu-west-1:000000000000:model-package/models/1'],
  detail: { ModelApprovalStatus: 'Approved' },
};

describe('local event bus: the template rules, matched and delivered', () => {
  const invoked: Array<{ arn: string; payload: unknown; trigger: string }> = [];
  const queued: Array<{ arn: string; body: string; group?: string }> = [];
  const logged: string[] = [];
  let succeed = true;
  const bus = startEventBus({
    rules,
    region: 'eu-west-1',
    accountId: '000000000000',
    deliver: {
      lambda: async (arn, payload, trigger) => {
        invoked.push({ arn, payload, trigger });
        if (arn !== functionArn) throw new Error('Function not found');
        return succeed;
      },
      sqs: async (arn, body, options) => {
        queued.push({
          arn,
          body,
          ...(options?.messageGroupId ? { group: options.messageGroupId } : {}),
        });
        return true;
      },
      sns: async () => undefined,
    },
    log: (source, message) => logged.push(`${source} ${message}`),
  });
  afterAll(() => bus.close());
  beforeEach(() => {
    invoked.length = 0;
    queued.length = 0;
  });
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  it('delivers to every target of each enabled matching rule, the input path and message group applied', async () => {
    bus.publish(event);
    await settle();
    expect(invoked).toEqual([{ arn: functionArn, payload: event, trigger: 'ModelPackageRule' }]);
    expect(queued).toEqual([
      {
        arn: 'arn:aws:sqs:eu-west-1:000000000000:audit',
        body: '{"ModelApprovalStatus":"Approved"}',
      },
      {
        arn: 'arn:aws:sqs:eu-west-1:000000000000:decisions.fifo',
        body: JSON.stringify(event),
        group: 'training',
      },
    ]);
    expect(
      bus.deliveries
        .filter((delivery) => delivery.event.id === 'e-1')
        .map((delivery) => [delivery.targetArn, delivery.status]),
    ).toEqual([
      [functionArn, 'delivered'],
      ['arn:aws:sqs:eu-west-1:000000000000:audit', 'delivered'],
      ['arn:aws:sqs:eu-west-1:000000000000:decisions.fifo', 'delivered'],
    ]);
  });

  it('a function that failed for good shows in the deliveries', async () => {
    succeed = false;
    bus.publish({ ...event, id: 'e-2' });
    await settle();
    succeed = true;
    expect(bus.deliveries.find((delivery) => delivery.event.id === 'e-2')?.status).toBe('failed');
  });

  it('fires a schedule on demand with the Scheduled Event and the target input', async () => {
    expect(bus.fireSchedule('MonthlySchedule')).toEqual(expect.any(String));
    await settle();
    expect(invoked).toEqual([
      { arn: functionArn, payload: { pipeline: 'training' }, trigger: 'MonthlySchedule' },
    ]);
    const scheduled = bus.deliveries.at(-1)?.event;
    expect(scheduled).toMatchObject({
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      resources: ['arn:aws:events:eu-west-1:000000000000:rule/monthly'],
      detail: {},
    });
    expect(bus.fireSchedule('ModelPackageRule')).toBeUndefined();
  });

  it('fires a schedule as if for another time: a missed day, a month to come', async () => {
    const id = bus.fireSchedule('MonthlySchedule', new Date('2026-12-01T12:00:00.000Z'));
    await settle();
    expect(bus.deliveries.find((delivery) => delivery.event.id === id)?.event.time).toBe(
      '2026-12-01T12:00:00Z',
    );
  });

  it('ignores events no rule matches, and tells the sender so', async () => {
    const rulesTaking = bus.publish({
      ...event,
      'detail-type': 'Object Created',
      source: 'aws.s3',
    });
    await settle();
    expect(rulesTaking).toEqual([]);
    expect([...invoked, ...queued]).toEqual([]);
    expect(bus.publish({ ...event, id: 'e-3' })).toEqual(['ModelPackageRule']);
  });

  it('says where each event went, with the object or resource it is about', async () => {
    logged.length = 0;
    bus.publish({ ...event, id: 'e-4' });
    await settle();
    expect(logged).toContainEqual(
      'events SageMaker Model Package State Change arn:aws:sagemaker:eu-west-1:000000000000:model-package/models/1 → ModelPackageRule → svc-onModelPackage, audit, decisions.fifo',
    );
  });
});
