import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { featureDisplayName } from '../../functions/core/feature-display-name';
import type { Notification } from '../../functions/core/notification';
import { createOnModelPackageStateChangeHandler } from '../../functions/handlers/on-model-package-state-change';
import { createOnMonitoringViolationHandler } from '../../functions/handlers/on-monitoring-violation';
import { createOnPipelineStatusChangeHandler } from '../../functions/handlers/on-pipeline-status-change';
import { registeredModelVersion } from '../support/model-versions';
import { monitoringConfig } from '../support/monitoring-fixtures';
import { keptDecisions, publishingEveryTime } from '../support/ledger-fixtures';
import { expectGolden, notifyConfig } from '../support/notification-fixtures';
import { sampleEvent } from '../support/upload-fixtures';

// The dataset schema of custom.mlops.dataset, as the functions receive it: names in column order.
const DATASET_FEATURES = [
  'tenure_months',
  'monthly_charges',
  'support_calls',
  'late_payments',
  'data_usage_gb',
  'contract_months',
];

// Model Monitor names the columns of a headerless CSV `_c0`, `_c1`, ... (the scoring input).
const positionalReport = {
  violations: [
    {
      feature_name: '_c2',
      constraint_check_type: 'baseline_drift_check',
      description: 'Baseline drift distance: 0.31 exceeds threshold: 0.1',
    },
    {
      feature_name: '_c5',
      constraint_check_type: 'completeness_check',
      description: 'Data completeness requirement is not met. Expected: 1.0, Observed: 0.82',
    },
    {
      feature_name: '_c9',
      constraint_check_type: 'extra_column_check',
      description: 'There are extra columns in current dataset.',
    },
  ],
};

const quiet = () => ({ logger: new Logger(), metrics: new Metrics() });

async function published(
  run: (publish: (notification: Notification) => Promise<string>) => Promise<unknown>,
): Promise<Notification[]> {
  const sent: Notification[] = [];
  await run(async (notification) => {
    sent.push(notification);
    return 'message-1';
  });
  return sent;
}

describe('featureDisplayName: the schema’s name for a positional column', () => {
  it.each([
    ['a positional name within the schema', DATASET_FEATURES, '_c2', 'support_calls'],
    ['the first column', DATASET_FEATURES, '_c0', 'tenure_months'],
    ['a position the schema does not have', DATASET_FEATURES, '_c9', '_c9'],
    ['no schema configured', undefined, '_c2', '_c2'],
    ['a name that is not positional', DATASET_FEATURES, 'income', 'income'],
    ['a metric name', DATASET_FEATURES, 'auc', 'auc'],
    ['something that only looks positional', DATASET_FEATURES, '_c2x', '_c2x'],
  ])('%s', (_why, features, name, shown) => {
    expect(featureDisplayName(features, name)).toBe(shown);
  });
});

describe('e-mails name features as the dataset schema does', () => {
  it('drift-warning-named-features: the QualityCheck step of a scoring run', async () => {
    const sent = await published(async (publish) => {
      const handle = createOnPipelineStatusChangeHandler({
        config: { ...notifyConfig, datasetFeatures: DATASET_FEATURES },
        region: 'eu-west-1',
        readExecutionFailureReason: async () => undefined,
        readFailedSteps: async () => [],
        readRunParameters: async () => [],
        readQualityCheck: async () => ({
          reportUri:
            's3://mlops-control-plane-dev-data/pipelines/batch-inference/p8w2n6c4r0ty/data-quality/constraint_violations.json',
        }),
        readJsonObject: async () => positionalReport,
        publish: publishingEveryTime(publish),
        decisions: keptDecisions(),
        ...quiet(),
      });
      await handle(sampleEvent('pipeline-step-data-quality-violations.json'));
    });
    expect(sent).toHaveLength(1);
    expect(sent[0]?.subject).toBe(
      '[dev] Data drift: 3 violations (support_calls, contract_months, _c9) in scoring',
    );
    expect(sent[0]?.body).not.toContain('_c2');
    expectGolden('drift-warning-named-features', sent[0]);
  });

  async function modelMonitorWarning(datasetFeatures?: string[]): Promise<string> {
    const sent = await published(async (publish) => {
      const handle = createOnMonitoringViolationHandler({
        config: { ...monitoringConfig, datasetFeatures },
        region: 'eu-west-1',
        now: () => new Date('2026-11-23T03:22:00Z'),
        listRecentExecutions: async () => [],
        startPipeline: async () => 'not started',
        readStepFailureMessage: async () => undefined,
        readJsonObject: async () => positionalReport,
        publish: publishingEveryTime(publish),
        decisions: keptDecisions(),
        ...quiet(),
      });
      await handle(sampleEvent('model-monitor-job-violations.json'));
    });
    return sent[0]?.body.replace(/\s+/g, ' ') ?? '';
  }

  it('the Model Monitor drift warning', async () => {
    const body = await modelMonitorWarning(DATASET_FEATURES);
    expect(body).toContain('3 violations in 3 features: support_calls, contract_months, _c9.');
    expect(body).toContain('- support_calls [baseline_drift_check]');
    expect(body).not.toContain('_c2');
  });

  it('without a schema, the positional names stay', async () => {
    expect(await modelMonitorWarning()).toContain('- _c2 [baseline_drift_check]');
  });

  it('review-request-feature-store: metrics by schema name, and the features it learned from', async () => {
    const sent = await published(async (publish) => {
      const handle = createOnModelPackageStateChangeHandler({
        config: { ...notifyConfig, datasetFeatures: DATASET_FEATURES },
        region: 'eu-west-1',
        findNewestApprovedArn: async () => undefined,
        readRunDescription: async () => undefined,
        describe: async () =>
          registeredModelVersion({
            version: 3,
            approvalStatus: 'PendingManualApproval',
            customerMetadata: {
              origin: 'recalibration',
              inputDataUrl: 's3://mlops-control-plane-dev-data/data/training/2026-11-01/',
              featureGroupName: 'mlops-control-plane-dev-features',
              trainingWindow: '2026-08-03T07:12:09Z/2026-11-01T07:12:09Z',
              queryExecutionId: 'c0ffee00-1d2e-4f3a-8b4c-5d6e7f8a9b0c',
            },
          }),
        // A model-metrics report may hold metrics per column, named as Model Monitor names them.
        readJsonObject: async () => ({
          binary_classification_metrics: { auc: { value: 0.9132, standard_deviation: 0.0061 } },
          feature_attribution: { _c1: { value: 0.41 }, _c2: { value: 0.23 } },
        }),
        startPipeline: async () => 'not started',
        publish: publishingEveryTime(publish),
        decisions: keptDecisions(),
        ...quiet(),
      });
      await handle(sampleEvent('model-package-pending-approval.json'));
    });
    expect(sent[0]?.body).toMatch(/^monthly_charges +0\.41$/m);
    expect(sent[0]?.body).toContain('Feature group:');
    expectGolden('review-request-feature-store', sent[0]);
  });
});
