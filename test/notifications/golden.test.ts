import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Notification } from '../../functions/core/notification';
import type { FailedRunFacts } from '../../functions/core/pipeline-notifications';
import { createOnModelPackageStateChangeHandler } from '../../functions/handlers/on-model-package-state-change';
import { createOnPipelineStatusChangeHandler } from '../../functions/handlers/on-pipeline-status-change';
import { registeredModelVersion } from '../support/model-versions';
import { expectGolden, notifyConfig } from '../support/notification-fixtures';
import { sampleEvent } from '../support/upload-fixtures';
import { keptDecisions, publishingEveryTime } from '../support/ledger-fixtures';

const failedTraining: FailedRunFacts = {
  executionFailureReason: 'Step failure: One or multiple steps failed.',
  failedSteps: [
    {
      name: 'Train',
      type: 'TrainingJob',
      failureReason:
        "ClientError: ClientError: Unable to read data channel 'train'. Requested content-type is 'text/csv'. Please verify the data matches the requested content-type. (caused by ValueError) Caused by: could not convert string to float: 'age'",
    },
  ],
  parameters: [
    { name: 'InputDataUrl', value: 's3://mlops-control-plane-dev-data/data/training/2026-11-01/' },
    { name: 'LabelColumn', value: '0' },
    { name: 'AucThreshold', value: '0.75' },
  ],
  unreadable: [],
};

const failedScoring: FailedRunFacts = {
  executionFailureReason: 'Step failure: One or multiple steps failed.',
  failedSteps: [
    {
      name: 'ModelQualityViolation',
      type: 'Fail',
      failureReason: 'MODEL_QUALITY_VIOLATION: metric=auc value=0.6132 threshold=0.7',
    },
  ],
  parameters: [
    {
      name: 'InputDataUrl',
      value: 's3://mlops-control-plane-dev-data/data/inference/2026-11-22/scores.csv',
    },
  ],
  unreadable: [],
};

/** What a failed training run looks like when ListPipelineExecutionSteps is throttled. */
const failedTrainingStepsUnreadable: FailedRunFacts = {
  ...failedTraining,
  failedSteps: [],
  unreadable: [
    {
      what: 'the failed steps',
      error: 'ListPipelineExecutionSteps: ThrottlingException: Rate exceeded',
    },
  ],
};

/** A scoring run stopped by the Fail step, whose message SageMaker did not return. */
const failedScoringWithoutMessage: FailedRunFacts = {
  ...failedScoring,
  failedSteps: [{ name: 'ModelQualityViolation', type: 'Fail', failureReason: 'Step failure' }],
};

const violationsReport = {
  violations: [
    {
      feature_name: 'age',
      constraint_check_type: 'data_type_check',
      description:
        'Data type match requirement is not met. Expected: Integral, Observed: Only 91.2% of data is Integral.',
    },
    {
      feature_name: 'income',
      constraint_check_type: 'baseline_drift_check',
      description: 'Baseline drift distance: 0.31 exceeds threshold: 0.1',
    },
    {
      feature_name: 'income',
      constraint_check_type: 'completeness_check',
      description: 'Data completeness requirement is not met. Expected: 1.0, Observed: 0.97',
    },
  ],
};

const evaluationReport = {
  binary_classification_metrics: {
    auc: { value: 0.9132, standard_deviation: 0.0061 },
    accuracy: { value: 0.874, standard_deviation: 0.0093 },
    precision: { value: 0.8112 },
    recall: { value: 0.7704 },
    f1: { value: 0.7903 },
    confusion_matrix: { '0': { '0': 1490, '1': 91 }, '1': { '0': 117, '1': 392 } },
  },
};

function pipelineStatusHandler(facts: FailedRunFacts, report: unknown = violationsReport) {
  const published: Notification[] = [];
  const unreadable = (what: string) => facts.unreadable.find((fact) => fact.what === what);
  const readOr = async <T>(what: string, value: T): Promise<T> => {
    const fact = unreadable(what);
    if (fact === undefined) return value;
    const [, name = 'Error', message = ''] = /: (\w+): (.*)$/.exec(fact.error) ?? [];
    throw Object.assign(new Error(message), { name });
  };
  const handle = createOnPipelineStatusChangeHandler({
    config: notifyConfig,
    region: 'eu-west-1',
    readExecutionFailureReason: () => readOr('why the run failed', facts.executionFailureReason),
    readFailedSteps: () => readOr('the failed steps', facts.failedSteps.slice()),
    readRunParameters: () => readOr('the run parameters', facts.parameters.slice()),
    readQualityCheck: async () => ({
      reportUri:
        's3://mlops-control-plane-dev-data/pipelines/batch-inference/p8w2n6c4r0ty/data-quality/constraint_violations.json',
      modelVersion:
        'v3 (arn:aws:sagemaker:eu-west-1:123456789012:model-package/mlops-control-plane-dev-models/3)',
    }),
    readJsonObject: async () => report,
    publish: publishingEveryTime(async (notification) => {
      published.push(notification);
      return 'message-1';
    }),
    decisions: keptDecisions(),
    logger: new Logger(),
    metrics: new Metrics(),
  });
  return { handle, published };
}

const APPROVED_V2 =
  'arn:aws:sagemaker:eu-west-1:123456789012:model-package/mlops-control-plane-dev-models/2';

const approvedEvaluationReport = {
  binary_classification_metrics: {
    auc: { value: 0.8904 },
    accuracy: { value: 0.861 },
    precision: { value: 0.8112 },
    recall: { value: 0.7902 },
  },
};

function modelPackageHandler() {
  const published: Notification[] = [];
  const handle = createOnModelPackageStateChangeHandler({
    config: notifyConfig,
    region: 'eu-west-1',
    findNewestApprovedArn: async () => APPROVED_V2,
    readRunDescription: async () =>
      'Started by onMonitoringViolation: drift alarm mlops-control-plane-dev-feature-drift entered ALARM at 2026-10-31T22:04:40.989+0000 [trigger retrain-5f0c]',
    describe: async (arn) =>
      arn === APPROVED_V2
        ? registeredModelVersion({
            arn: APPROVED_V2,
            version: 2,
            approvalStatus: 'Approved',
            modelQualityStatisticsUrl: 's3://mlops-control-plane-dev-data/evaluation/v2.json',
          })
        : registeredModelVersion({
            arn: 'arn:aws:sagemaker:eu-west-1:123456789012:model-package/mlops-control-plane-dev-models/3',
            groupName: 'mlops-control-plane-dev-models',
            version: 3,
            approvalStatus: 'PendingManualApproval',
            modelDataUrl:
              's3://mlops-control-plane-dev-data/pipelines/training/k3v9x2m7q1zd/model/model.tar.gz',
            creationTime: '2026-11-01T07:40:51.000Z',
            customerMetadata: {
              origin: 'recalibration',
              inputDataUrl: 's3://mlops-control-plane-dev-data/data/training/2026-11-01/',
              sourceExecutionArn:
                'arn:aws:sagemaker:eu-west-1:123456789012:pipeline/mlops-control-plane-dev-training/execution/k3v9x2m7q1zd',
            },
          }),
    readJsonObject: async (uri) =>
      uri.endsWith('/v2.json') ? approvedEvaluationReport : evaluationReport,
    startPipeline: async () =>
      'arn:aws:sagemaker:eu-west-1:123456789012:pipeline/mlops-control-plane-dev-batch-inference/execution/a1b2c3d4e5f6',
    publish: publishingEveryTime(async (notification) => {
      published.push(notification);
      return 'message-1';
    }),
    decisions: keptDecisions(),
    logger: new Logger(),
    metrics: new Metrics(),
  });
  return { handle, published };
}

describe('golden e-mails: each kind, rendered from the sample events', () => {
  it.each<[string, string, FailedRunFacts]>([
    ['execution-succeeded', 'pipeline-execution-succeeded.json', failedTraining],
    ['execution-failed', 'pipeline-execution-failed.json', failedTraining],
    ['drift-warning', 'pipeline-step-data-quality-violations.json', failedScoring],
    [
      'execution-failed-steps-unreadable',
      'pipeline-execution-failed.json',
      failedTrainingStepsUnreadable,
    ],
  ])('%s', async (name, sample, facts) => {
    const { handle, published } = pipelineStatusHandler(facts);
    await handle(sampleEvent(sample));
    expect(published).toHaveLength(1);
    expectGolden(name, published[0]);
  });

  it.each([
    ['with its message', failedScoring],
    ['without its message', failedScoringWithoutMessage],
  ])(
    'a scoring run stopped by its quality check (%s) is left to the retrain e-mail',
    async (_how, facts) => {
      const { handle, published } = pipelineStatusHandler(facts);
      await expect(
        handle(sampleEvent('pipeline-execution-failed-model-quality.json')),
      ).resolves.toEqual({ published: 0 });
      expect(published).toEqual([]);
    },
  );

  it('drift-warning-report-missing', async () => {
    const { handle, published } = pipelineStatusHandler(failedScoring, undefined);
    await handle(sampleEvent('pipeline-step-data-quality-violations.json'));
    expect(published).toHaveLength(1);
    expectGolden('drift-warning-report-missing', published[0]);
  });

  it('step template (configured for training Train Failed)', async () => {
    const { handle, published } = pipelineStatusHandler(failedTraining);
    const event = sampleEvent('pipeline-step-model-quality-violation.json') as {
      detail: Record<string, unknown>;
    };
    Object.assign(event.detail, {
      pipelineArn:
        'arn:aws:sagemaker:eu-west-1:123456789012:pipeline/mlops-control-plane-dev-training',
      pipelineExecutionArn:
        'arn:aws:sagemaker:eu-west-1:123456789012:pipeline/mlops-control-plane-dev-training/execution/f4q8s1u5w9y2',
      stepName: 'Train',
      stepType: 'Training',
      failureReason: failedTraining.failedSteps[0]?.failureReason,
    });
    await handle(event);
    expectGolden('step-template', published[0]);
  });

  it.each([
    ['review-request', 'model-package-pending-approval.json'],
    ['model-approved', 'model-package-approved.json'],
    ['model-rejected', 'model-package-rejected.json'],
  ])('%s', async (name, sample) => {
    const { handle, published } = modelPackageHandler();
    await handle(sampleEvent(sample));
    expect(published).toHaveLength(1);
    expectGolden(name, published[0]);
  });
});
