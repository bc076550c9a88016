import {
  isModelQualityViolation,
  parseModelQualityMessage,
} from '../../functions/core/model-quality-violation';
import type { PipelineId } from '../../pipeline-definitions/pipeline-catalog';
import { planExecutionEvent, planStepEvent } from '../../functions/core/pipeline-notifications';
import {
  pipelineExecutionStatusChangeSchema,
  pipelineStepStatusChangeSchema,
} from '../../functions/schemas/sagemaker-events';
import { notifyConfig } from '../support/notification-fixtures';
import { sampleEvent } from '../support/upload-fixtures';

const execution = pipelineExecutionStatusChangeSchema.parse(
  sampleEvent('pipeline-execution-succeeded.json'),
);
const step = pipelineStepStatusChangeSchema.parse(
  sampleEvent('pipeline-step-data-quality-violations.json'),
);

function withExecution(detail: Partial<typeof execution.detail>) {
  return { ...execution, detail: { ...execution.detail, ...detail } };
}

function withStep(detail: Partial<typeof step.detail>) {
  return { ...step, detail: { ...step.detail, ...detail } };
}

describe('planExecutionEvent: which run statuses send e-mail, and what is read for them', () => {
  it.each<[string, Partial<typeof execution.detail>, unknown]>([
    [
      'succeeded: e-mail, no reads',
      {},
      {
        pipeline: { id: 'training', name: 'mlops-control-plane-dev-training' },
        needsFailedRun: false,
      },
    ],
    [
      'failed: e-mail, read why',
      { currentPipelineExecutionStatus: 'Failed' },
      { needsFailedRun: true },
    ],
    [
      'stopped: e-mail, no reads',
      { currentPipelineExecutionStatus: 'Stopped' },
      { needsFailedRun: false },
    ],
    [
      'executing: not configured',
      { currentPipelineExecutionStatus: 'Executing' },
      { ignore: 'execution status Executing is not configured to send e-mail' },
    ],
    [
      'a pipeline of another stack',
      { pipelineArn: 'arn:aws:sagemaker:eu-west-1:123456789012:pipeline/somebody-elses' },
      {
        ignore:
          'arn:aws:sagemaker:eu-west-1:123456789012:pipeline/somebody-elses is not a pipeline of this stack',
      },
    ],
    [
      'pipeline names compare case-insensitively (ARNs are lower-case)',
      {
        pipelineArn:
          'arn:aws:sagemaker:eu-west-1:123456789012:pipeline/MLOPS-control-plane-dev-training',
      },
      { pipeline: { id: 'training' } },
    ],
  ])('%s', (_why, detail, expected) => {
    expect(planExecutionEvent(withExecution(detail), notifyConfig)).toMatchObject(
      expected as object,
    );
  });

  it('Executing sends e-mail when the configuration asks for it', () => {
    const config = {
      ...notifyConfig,
      executionStatuses: [...notifyConfig.executionStatuses, 'Executing' as const],
    };
    expect(
      planExecutionEvent(withExecution({ currentPipelineExecutionStatus: 'Executing' }), config),
    ).toMatchObject({
      needsFailedRun: false,
    });
  });
});

describe('planStepEvent: configured combinations and data-quality checks', () => {
  const trainingArn =
    'arn:aws:sagemaker:eu-west-1:123456789012:pipeline/mlops-control-plane-dev-training';
  it.each<[string, Partial<typeof step.detail>, unknown]>([
    [
      'a QualityCheck that succeeded: read its report',
      {},
      { templates: [], needsQualityReport: true, needsParameters: false },
    ],
    [
      'a QualityCheck still executing: nothing',
      { currentStepStatus: 'Executing' },
      { ignore: expect.stringContaining('no notification') },
    ],
    [
      'training Train Failed: its template, which uses {{parameters}}',
      {
        pipelineArn: trainingArn,
        stepName: 'Train',
        stepType: 'Training',
        currentStepStatus: 'Failed',
      },
      {
        needsQualityReport: false,
        needsParameters: true,
        templates: [expect.objectContaining({ step: 'Train' })],
      },
    ],
    [
      'training Train Succeeded: not configured',
      {
        pipelineArn: trainingArn,
        stepName: 'Train',
        stepType: 'Training',
        currentStepStatus: 'Succeeded',
      },
      {
        ignore: expect.stringContaining(
          'no notification is configured for training step Train Succeeded',
        ),
      },
    ],
    [
      'batch-inference Train Failed: the template names training only',
      { stepName: 'Train', stepType: 'Training', currentStepStatus: 'Failed' },
      { ignore: expect.any(String) },
    ],
  ])('%s', (_why, detail, expected) => {
    expect(planStepEvent(withStep(detail), notifyConfig)).toMatchObject(expected as object);
  });
});

describe('a model-quality violation rests on the Fail step of scoring, its message adds the numbers', () => {
  it.each<[string, PipelineId | undefined, string, string, boolean]>([
    [
      'the Fail step of scoring, failed',
      'batch-inference',
      'ModelQualityViolation',
      'Failed',
      true,
    ],
    ['the same step name in training', 'training', 'ModelQualityViolation', 'Failed', false],
    ['another pipeline altogether', undefined, 'ModelQualityViolation', 'Failed', false],
    [
      'a missing file in the quality calculation',
      'batch-inference',
      'CalculateModelQuality',
      'Failed',
      false,
    ],
    [
      'the Fail step still starting',
      'batch-inference',
      'ModelQualityViolation',
      'Executing',
      false,
    ],
  ])('%s', (_why, pipeline, stepName, status, expected) => {
    expect(isModelQualityViolation(pipeline, stepName, status)).toBe(expected);
  });

  it.each<[string, string | undefined, unknown]>([
    [
      'the marker message',
      'MODEL_QUALITY_VIOLATION: metric=auc value=0.6132 threshold=0.7',
      { metric: 'auc', value: 0.6132, threshold: 0.7 },
    ],
    [
      'the marker after a prefix SageMaker adds',
      'Step failure: MODEL_QUALITY_VIOLATION: metric=auc value=0.61 threshold=0.7',
      { metric: 'auc', value: 0.61, threshold: 0.7 },
    ],
    ['a generic reason', 'Step failure', undefined],
    ['no message at all', undefined, undefined],
    [
      'the marker with unreadable numbers',
      'MODEL_QUALITY_VIOLATION: metric=auc value=n/a threshold=0.7',
      undefined,
    ],
  ])('%s', (_why, message, expected) => {
    expect(parseModelQualityMessage(message)).toEqual(expected);
  });
});
