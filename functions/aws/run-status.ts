import { DescribePipelineExecutionCommand, type SageMakerClient } from '@aws-sdk/client-sagemaker';

/**
 * A run's status now (Executing, Succeeded, Failed, ...).
 *
 * @example
 * await readRunStatus(client, executionArn); // 'Succeeded'
 */
export async function readRunStatus(
  client: SageMakerClient,
  executionArn: string,
): Promise<string> {
  const execution = await client.send(
    new DescribePipelineExecutionCommand({ PipelineExecutionArn: executionArn }),
  );
  return execution.PipelineExecutionStatus ?? 'unknown';
}
