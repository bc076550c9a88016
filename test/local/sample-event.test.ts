import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageService } from '../../tooling/package-function';
import { matchesEventPattern } from '../../tooling/local/event-pattern';
import {
  type LocalStack,
  SampleNotDeliverableError,
  adaptSample,
} from '../../tooling/local/sample-event';
import { readStackWiring } from '../../tooling/local/stack-wiring';

const samples = join(__dirname, '..', '..', 'events');
const sample = (file: string): unknown => JSON.parse(readFileSync(join(samples, file), 'utf8'));

// No rule takes these until the configuration names an alarm (retraining.alarms) or a Model
// Monitor schedule (retraining.modelMonitor): none by default.
const NO_RULE_BY_DEFAULT = ['cloudwatch-drift-alarm.json', 'model-monitor-job-violations.json'];

describe('adaptSample: each sample of events/, adapted to a local stack, reaches it', () => {
  const directory = mkdtempSync(join(tmpdir(), 'sample-event-'));
  let stack: LocalStack;

  beforeAll(() => {
    // A stage of its own: packaging shares no work folder with the other tests.
    const service = packageService({ stage: 'samples', directory });
    stack = {
      wiring: readStackWiring(service.template, { ...service, accountId: '000000000000' }),
      stackName: service.stackName,
      stage: 'samples',
      accountId: '000000000000',
      region: service.region,
      newestModelVersion: 1,
      newestRunIds: {
        'mlops-control-plane-samples-training': 'aaaa1111',
        'mlops-control-plane-samples-batch-inference': 'bbbb2222',
      },
    };
  }, 60_000);
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  const files = readdirSync(samples).filter((file) => file.endsWith('.json'));

  it.each(files)('%s names nothing of the dev stage any more', (file) => {
    const text = JSON.stringify(adaptSample(sample(file), stack).delivery);
    expect(text).not.toMatch(/mlops-control-plane-dev-|123456789012/);
  });

  it.each(files.filter((file) => !NO_RULE_BY_DEFAULT.includes(file)))(
    '%s goes where AWS would send it: a rule of the stack, a schedule or a consumed queue',
    (file) => {
      const { delivery } = adaptSample(sample(file), stack);
      const { rules, queueEventSources } = stack.wiring;
      if (delivery.kind === 'event') {
        const taking = rules.filter(
          (rule) => rule.eventPattern && matchesEventPattern(rule.eventPattern, delivery.event),
        );
        expect(taking.map((rule) => rule.logicalId)).not.toEqual([]);
      } else if (delivery.kind === 'schedule') {
        expect(rules.find((rule) => rule.name === delivery.rule)?.scheduleExpression).toBeDefined();
      } else {
        expect(queueEventSources.map((source) => source.queueArn)).toContain(delivery.queueArn);
      }
    },
  );

  it('a drift alarm reaches a rule only when the configuration lists it (none does)', () => {
    const { delivery } = adaptSample(sample('cloudwatch-drift-alarm.json'), stack);
    expect(delivery).toMatchObject({
      kind: 'event',
      event: { detail: { alarmName: 'mlops-control-plane-samples-feature-drift' } },
    });
  });

  it('says what it changed: names, account, the model version and the run', () => {
    const { changes, delivery } = adaptSample(sample('model-package-pending-approval.json'), stack);
    expect(changes).toEqual(
      expect.arrayContaining([
        '123456789012 → 000000000000',
        'mlops-control-plane-dev-models → mlops-control-plane-samples-models',
        'version 3 → 1 (the newest of mlops-control-plane-samples-models)',
        'run k3v9x2m7q1zd → aaaa1111 (the newest run of mlops-control-plane-samples-training)',
      ]),
    );
    expect(delivery).toMatchObject({
      kind: 'event',
      event: {
        resources: [
          'arn:aws:sagemaker:eu-west-1:000000000000:model-package/mlops-control-plane-samples-models/1',
        ],
        detail: { ModelPackageVersion: 1 },
      },
    });
  });

  it('sends an SQS batch as its messages, a classic notification to the queue of the bucket', () => {
    const buffer = stack.wiring.queues.find((queue) => queue.name.endsWith('-data-upload-buffer'));
    const batch = adaptSample(sample('inference-uploads.sqs.json'), stack).delivery;
    expect(batch).toMatchObject({ kind: 'queue', queueArn: buffer?.arn });
    expect(batch.kind === 'queue' && JSON.parse(batch.bodies[0] ?? '{}')).toMatchObject({
      detail: { bucket: { name: 'mlops-control-plane-samples-data-000000000000-eu-west-1' } },
    });
    expect(adaptSample(sample('s3-test-event.json'), stack).delivery).toMatchObject({
      kind: 'queue',
      queueArn: buffer?.arn,
      bodies: [
        expect.stringContaining(
          '"Bucket":"mlops-control-plane-samples-data-000000000000-eu-west-1"',
        ),
      ],
    });
  });

  it('fires a scheduled event as its rule, for the time of the sample', () => {
    expect(adaptSample(sample('schedule-daily-scoring.json'), stack).delivery).toEqual({
      kind: 'schedule',
      rule: 'mlops-control-plane-samples-daily-scoring',
      time: '2026-11-21T06:00:00Z',
    });
  });

  it('refuses, saying what to do, a sample about a version or a run the stack does not have yet', () => {
    const fresh = { ...stack, newestRunIds: {} };
    expect(() => adaptSample(sample('pipeline-execution-failed.json'), fresh)).toThrow(
      new SampleNotDeliverableError(
        'No run of mlops-control-plane-samples-training yet, and the functions read the run a sample names: npm run demo starts runs of every pipeline (or drop data with npm run drop), then try again',
      ),
    );
    const noVersion = { ...stack, newestModelVersion: undefined };
    expect(() => adaptSample(sample('model-package-approved.json'), noVersion)).toThrow(
      'No model version is registered in mlops-control-plane-samples-models yet',
    );
  });
});
