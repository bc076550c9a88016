import {
  ListPipelineExecutionStepsCommand,
  type PipelineExecutionStep,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import type { FailedStep } from '../core/pipeline-notifications';

/**
 * The failed steps of a run, with their reasons (all pages of ListPipelineExecutionSteps).
 *
 * @example
 * const failed = await readFailedSteps(client, executionArn);
 */
export async function readFailedSteps(
  client: SageMakerClient,
  executionArn: string,
): Promise<FailedStep[]> {
  return (await listSteps(client, executionArn))
    .filter((step) => step.StepStatus === 'Failed')
    .map((step) => {
      const failureReason = failureReasonOf(step);
      return {
        name: step.StepName ?? '(unnamed step)',
        ...(step.Metadata === undefined ? {} : { type: stepTypeOf(step) }),
        ...(failureReason === undefined ? {} : { failureReason }),
      };
    });
}

/**
 * The message a step failed with, read when its status event carried none: for a Fail step, the
 * message it was given (`Metadata.Fail.ErrorMessage`, where the API documents it), else the
 * step's failure reason.
 *
 * @example
 * const message = await readStepFailureMessage(client, executionArn, 'ModelQualityViolation');
 */
export async function readStepFailureMessage(
  client: SageMakerClient,
  executionArn: string,
  stepName: string,
): Promise<string | undefined> {
  const step = await findStep(client, executionArn, stepName);
  return step === undefined ? undefined : failureReasonOf(step);
}

// A Fail step's own message says more than its FailureReason, which may be generic.
function failureReasonOf(step: PipelineExecutionStep): string | undefined {
  return step.Metadata?.Fail?.ErrorMessage ?? step.FailureReason;
}

/**
 * Where a QualityCheck step wrote its violation report, or undefined when it wrote none (a skipped
 * check, or a baseline calculation).
 */
export async function findQualityCheckReportUri(
  client: SageMakerClient,
  executionArn: string,
  stepName: string,
): Promise<string | undefined> {
  const step = await findStep(client, executionArn, stepName);
  const report = step?.Metadata?.QualityCheck?.ViolationReport;
  return report === undefined || report === '' ? undefined : report;
}

async function findStep(
  client: SageMakerClient,
  executionArn: string,
  stepName: string,
): Promise<PipelineExecutionStep | undefined> {
  return (await listSteps(client, executionArn)).find((step) => step.StepName === stepName);
}

async function listSteps(
  client: SageMakerClient,
  executionArn: string,
): Promise<PipelineExecutionStep[]> {
  const steps: PipelineExecutionStep[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new ListPipelineExecutionStepsCommand({
        PipelineExecutionArn: executionArn,
        NextToken: nextToken,
      }),
    );
    steps.push(...(page.PipelineExecutionSteps ?? []));
    nextToken = page.NextToken;
  } while (nextToken !== undefined);
  return steps;
}

/** The metadata key names the step's kind (`TrainingJob`, `ProcessingJob`, `Fail`, ...). */
function stepTypeOf(step: PipelineExecutionStep): string | undefined {
  return Object.entries(step.Metadata ?? {}).find(([, value]) => value !== undefined)?.[0];
}
