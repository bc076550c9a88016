import { DescribePipelineExecutionCommand, type SageMakerClient } from '@aws-sdk/client-sagemaker';

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

/**
 * What a run says of itself: its description, where the functions that start runs say why.
 *
 * @example
 * const description = await readRunDescription(client, version.generatedBy);
 */
export async function readRunDescription(
  client: SageMakerClient,
  executionArn: string,
): Promise<string | undefined> {
  const execution = await client.send(
    new DescribePipelineExecutionCommand({ PipelineExecutionArn: executionArn }),
  );
  return execution.PipelineExecutionDescription;
}
