import { ListPipelineExecutionsCommand, type SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { RecentExecution } from '../core/pipeline-start-guard';

/**
 * The newest runs of a pipeline (up to 100, newest first), for the start guards: one call. A run
 * still executing after a hundred newer ones is not a case this product meets.
 *
 * @example
 * const recent = await listRecentExecutions(client, 'mlops-prod-training-hpo');
 */
export async function listRecentExecutions(
  client: SageMakerClient,
  pipelineName: string,
): Promise<RecentExecution[]> {
  const output = await client.send(
    new ListPipelineExecutionsCommand({
      PipelineName: pipelineName,
      SortBy: 'CreationTime',
      SortOrder: 'Descending',
      MaxResults: 100,
    }),
  );
  return (output.PipelineExecutionSummaries ?? []).map((summary) => ({
    arn: summary.PipelineExecutionArn ?? '',
    status: summary.PipelineExecutionStatus ?? '',
    startTime: summary.StartTime?.toISOString(),
    displayName: summary.PipelineExecutionDisplayName,
    description: summary.PipelineExecutionDescription,
  }));
}
