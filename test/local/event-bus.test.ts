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
  const queued: Array<{ arn: string; body: string }> = [];
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
      sqs: (arn, body) => queued.push({ arn, body }),
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

  it('delivers to every target of each enabled matching rule, the input path applied', async () => {
    bus.publish(event);
    await settle();
    expect(invoked).toEqual([{ arn: functionArn, payload: event, trigger: 'ModelPackageRule' }]);
    expect(queued).toEqual([
      {
        arn: 'arn:aws:sqs:eu-west-1:000000000000:audit',
        body: '{"ModelApprovalStatus":"Approved"}',
      },
    ]);
    expect(
      bus.deliveries
        .filter((delivery) => delivery.event.id === 'e-1')
        .map((delivery) => [delivery.targetArn, delivery.status]),
    ).toEqual([
      [functionArn, 'delivered'],
      ['arn:aws:sqs:eu-west-1:000000000000:audit', 'delivered'],
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

  it('ignores events no rule matches, and says so each time with what they are about', async () => {
    logged.length = 0;
    const upload = {
      ...event,
      'detail-type': 'Object Created',
      source: 'aws.s3',
      detail: { bucket: { name: 'data' }, object: { key: 'other/store+42.csv' } },
    };
    bus.publish(upload);
    bus.publish(upload);
    await settle();
    expect([...invoked, ...queued]).toEqual([]);
    expect(logged).toEqual([
      'events Object Created (aws.s3) s3://data/other/store 42.csv: no rule matches',
      'events Object Created (aws.s3) s3://data/other/store 42.csv: no rule matches',
    ]);
  });

  it('says once per kind that no rule wants the status events of a run in progress', async () => {
    logged.length = 0;
    const step = {
      ...event,
      'detail-type': 'SageMaker Model Building Pipeline Execution Step Status Change',
      resources: ['arn:aws:sagemaker:eu-west-1:000000000000:pipeline/p', 'execution/1'],
    };
    bus.publish(step);
    bus.publish(step);
    await settle();
    expect(logged).toEqual([
      'events SageMaker Model Building Pipeline Execution Step Status Change (aws.sagemaker) arn:aws:sagemaker:eu-west-1:000000000000:pipeline/p: no rule matches (said once)',
    ]);
  });
});
