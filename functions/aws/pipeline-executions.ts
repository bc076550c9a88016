import {
  DescribePipelineExecutionCommand,
  ListPipelineExecutionStepsCommand,
  ListPipelineParametersForExecutionCommand,
  type PipelineExecutionStep,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import type { FailedRunFacts, RunParameter } from '../core/pipeline-notifications';

/**
 * Why a run failed: the execution's reason, the failed steps with theirs, and the run's
 * parameters. Three reads, made only for a failed run.
 *
 * @example
 * const facts = await readFailedRun(client, event.detail.pipelineExecutionArn);
 */
export async function readFailedRun(
  client: SageMakerClient,
  executionArn: string,
): Promise<FailedRunFacts> {
  const [execution, steps, parameters] = await Promise.all([
    client.send(new DescribePipelineExecutionCommand({ PipelineExecutionArn: executionArn })),
    listSteps(client, executionArn),
    readRunParameters(client, executionArn),
  ]);
  return {
    ...(execution.FailureReason === undefined
      ? {}
      : { executionFailureReason: execution.FailureReason }),
    failedSteps: steps
      .filter((step) => step.StepStatus === 'Failed')
      .map((step) => ({
        name: step.StepName ?? '(unnamed step)',
        ...(step.Metadata === undefined ? {} : { type: stepTypeOf(step) }),
        ...(step.FailureReason === undefined ? {} : { failureReason: step.FailureReason }),
      })),
    parameters,
  };
}

/** The parameters a run was started with (all pages). */
export async function readRunParameters(
  client: SageMakerClient,
  executionArn: string,
): Promise<RunParameter[]> {
  const parameters: RunParameter[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new ListPipelineParametersForExecutionCommand({
        PipelineExecutionArn: executionArn,
        NextToken: nextToken,
      }),
    );
    for (const parameter of page.PipelineParameters ?? []) {
      parameters.push({ name: parameter.Name ?? '', value: parameter.Value ?? '' });
    }
    nextToken = page.NextToken;
  } while (nextToken !== undefined);
  return parameters;
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
  const step = (await listSteps(client, executionArn)).find(
    (candidate) => candidate.StepName === stepName,
  );
  const report = step?.Metadata?.QualityCheck?.ViolationReport;
  return report === undefined || report === '' ? undefined : report;
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
