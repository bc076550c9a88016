/** Everything one StartPipelineExecution call sends; built by decisions, sent by the adapter. */
export interface PipelineStartRequest {
  readonly pipelineName: string;
  readonly parameters: ReadonlyArray<{ readonly name: string; readonly value: string }>;
  readonly displayName: string;
  readonly description: string;
  readonly clientRequestToken: string;
}

export const PIPELINE_EXECUTION_DESCRIPTION_MAX_LENGTH = 3072;

export const PIPELINE_PARAMETER_VALUE_MAX_LENGTH = 1024;
