import {
  ListPipelineParametersForExecutionCommand,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import type { RunParameter } from '../core/pipeline-notifications';

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
