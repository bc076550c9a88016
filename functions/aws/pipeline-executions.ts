import {
  DescribePipelineExecutionCommand,
  ListPipelineParametersForExecutionCommand,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import type { FailedRunFacts, RunParameter } from '../core/pipeline-notifications';
import { readFailedSteps } from './pipeline-execution-steps';

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
  const [execution, failedSteps, parameters] = await Promise.all([
    client.send(new DescribePipelineExecutionCommand({ PipelineExecutionArn: executionArn })),
    readFailedSteps(client, executionArn),
    readRunParameters(client, executionArn),
  ]);
  return {
    ...(execution.FailureReason === undefined
      ? {}
      : { executionFailureReason: execution.FailureReason }),
    failedSteps,
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
