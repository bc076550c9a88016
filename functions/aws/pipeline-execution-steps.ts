import {
  ListPipelineExecutionStepsCommand,
  type PipelineExecutionStep,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { GET_APPROVED_MODEL_STEP_NAME } from '../../pipeline-definitions/batch-inference-contract';
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

/** What a scoring run's data-quality check found, and which model version the run used. */
export interface QualityCheckOutcome {
  /** Where the check wrote its violation report; SageMaker names one only when it found some. */
  readonly reportUri?: string;
  /** `v3 (arn:...)`: the version the run's GetApprovedModel step chose, when it ran. */
  readonly modelVersion?: string;
}

/**
 * The check's violation report and the run's model version, from one listing of the run's steps.
 *
 * @example
 * const { reportUri } = await readQualityCheck(client, executionArn, 'CheckInputDataQuality');
 */
export async function readQualityCheck(
  client: SageMakerClient,
  executionArn: string,
  stepName: string,
): Promise<QualityCheckOutcome> {
  const steps = await listSteps(client, executionArn);
  const report = steps.find((step) => step.StepName === stepName)?.Metadata?.QualityCheck
    ?.ViolationReport;
  const chosen = steps.find((step) => step.StepName === GET_APPROVED_MODEL_STEP_NAME)?.Metadata
    ?.Lambda?.OutputParameters;
  const output = (name: string) => chosen?.find((parameter) => parameter.Name === name)?.Value;
  const version = output('ModelPackageVersion');
  const arn = output('ModelPackageArn');
  return {
    ...(report === undefined || report === '' ? {} : { reportUri: report }),
    ...(version ? { modelVersion: `v${version}${arn ? ` (${arn})` : ''}` } : {}),
  };
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
