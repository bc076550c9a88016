import {
  DescribePipelineExecutionCommand,
  ListPipelineParametersForExecutionCommand,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import type { RunParameter } from '../core/pipeline-notifications';

/**
 * Why a run failed, in the execution's own words (often the generic "Step failure").
 *
 * @example
 * const reason = await readExecutionFailureReason(client, event.detail.pipelineExecutionArn);
 */
export async function readExecutionFailureReason(
  client: SageMakerClient,
  executionArn: string,
): Promise<string | undefined> {
  const execution = await client.send(
    new DescribePipelineExecutionCommand({ PipelineExecutionArn: executionArn }),
  );
  return execution.FailureReason;
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
