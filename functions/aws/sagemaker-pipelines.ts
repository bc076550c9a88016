import { type SageMakerClient, StartPipelineExecutionCommand } from '@aws-sdk/client-sagemaker';
import type { PipelineStartRequest } from '../core/pipeline-start-request';
import { PipelineStartError, describeError } from '../errors';

/**
 * Starts a pipeline execution and returns its ARN. A repeated token returns the ARN of the run the
 * first call started: that is what makes at-least-once delivery start a run exactly once, and what
 * makes it safe to abort a call (`abortSignal`) whose run may have started.
 *
 * @example
 * const arn = await startPipelineExecution(client, plan.starts[0].request);
 */
export async function startPipelineExecution(
  client: SageMakerClient,
  request: PipelineStartRequest,
  abortSignal?: AbortSignal,
): Promise<string> {
  let output;
  try {
    output = await client.send(
      new StartPipelineExecutionCommand({
        PipelineName: request.pipelineName,
        PipelineExecutionDisplayName: request.displayName,
        PipelineExecutionDescription: request.description,
        PipelineParameters: request.parameters.map(({ name, value }) => ({
          Name: name,
          Value: value,
        })),
        ClientRequestToken: request.clientRequestToken,
      }),
      { abortSignal },
    );
  } catch (error) {
    throw new PipelineStartError(
      `StartPipelineExecution of ${request.pipelineName} failed: ${describeError(error)}`,
      { cause: error },
    );
  }
  if (output.PipelineExecutionArn === undefined) {
    throw new PipelineStartError(
      `StartPipelineExecution of ${request.pipelineName} returned no execution ARN`,
    );
  }
  return output.PipelineExecutionArn;
}
