import { violatingScoringStep } from '../../functions/core/retraining';
import { pipelineStepStatusChangeSchema } from '../../functions/schemas/sagemaker-events';
import { monitoringConfig } from '../support/monitoring-fixtures';
import { sampleEvent } from '../support/upload-fixtures';

const violation = pipelineStepStatusChangeSchema.parse(
  sampleEvent('pipeline-step-model-quality-violation.json'),
).detail;

describe('violatingScoringStep: only the Fail step of our scoring pipeline retrains', () => {
  it('names the scoring run and the step of a genuine violation', () => {
    expect(violatingScoringStep(violation, monitoringConfig)).toEqual({
      executionArn: violation.pipelineExecutionArn,
      stepName: 'ModelQualityViolation',
    });
  });

  it.each<[string, Partial<typeof violation>]>([
    ['another step that failed (a missing file, say)', { stepName: 'Transform' }],
    ['the Fail step not failing', { currentStepStatus: 'Executing' }],
    [
      "another stack's scoring pipeline",
      {
        pipelineArn: 'arn:aws:sagemaker:eu-west-1:123456789012:pipeline/other-batch-inference',
      },
    ],
  ])('ignores %s, saying which step it was', (_why, change) => {
    const step = violatingScoringStep({ ...violation, ...change }, monitoringConfig);
    expect(step).toEqual({ ignore: expect.stringContaining('is not the model-quality violation') });
  });
});
