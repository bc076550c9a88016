import type { PipelineId } from '../../pipeline-definitions/pipeline-catalog';

/** The stack's pipelines by id, as configured. */
export type StackPipelineNames = Readonly<Record<PipelineId, string>>;

export interface IdentifiedPipeline {
  readonly id: PipelineId;
  readonly name: string;
}

/**
 * Which of this stack's pipelines an ARN names. SageMaker writes pipeline ARNs in lower case, so
 * names compare case-insensitively.
 *
 * @example
 * identifyPipeline('arn:aws:sagemaker:eu-west-1:1:pipeline/mlops-dev-training', names)?.id; // 'training'
 */
export function identifyPipeline(
  pipelineArn: string,
  pipelines: StackPipelineNames,
): IdentifiedPipeline | undefined {
  const arnName = pipelineArn.slice(pipelineArn.lastIndexOf('/') + 1).toLowerCase();
  const match = Object.entries(pipelines).find(([, name]) => name.toLowerCase() === arnName);
  return match === undefined ? undefined : { id: match[0] as PipelineId, name: match[1] };
}

const PIPELINE_LABELS: Readonly<Record<PipelineId, string>> = {
  training: 'Training',
  'training-hpo': 'Retuning (training with HPO)',
  'batch-inference': 'Scoring (batch inference)',
};

const PIPELINE_NOUNS: Readonly<Record<PipelineId, string>> = {
  training: 'Training',
  'training-hpo': 'Retuning',
  'batch-inference': 'Scoring',
};

/** What a pipeline's run is, in one word for a subject: `Training`, `Retuning`, `Scoring`. */
export function pipelineNoun(id: PipelineId): string {
  return PIPELINE_NOUNS[id];
}

/** What a pipeline is for, in words: `Training`, `Scoring (batch inference)`. */
export function pipelineLabel(id: PipelineId): string {
  return PIPELINE_LABELS[id];
}

/** The execution id, the last segment of an execution ARN. */
export function executionIdOf(executionArn: string): string {
  return executionArn.slice(executionArn.lastIndexOf('/') + 1);
}

export function pipelineExecutionLink(
  region: string,
  pipelineName: string,
  executionArn: string,
): string {
  return `https://${region}.console.aws.amazon.com/sagemaker/home?region=${region}#/pipelines/${encodeURIComponent(pipelineName)}/executions/${executionIdOf(executionArn)}`;
}

export function modelPackageLink(
  region: string,
  groupName: string,
  version: number | undefined,
): string {
  const versionPath = version === undefined ? '' : `/versions/${version}`;
  return `https://${region}.console.aws.amazon.com/sagemaker/home?region=${region}#/model-registry/${encodeURIComponent(groupName)}${versionPath}`;
}

/** A link to an S3 object in the console (for reports). */
export function s3ObjectLink(s3Uri: string): string {
  const [, bucket = '', key = ''] = /^s3:\/\/([^/]+)\/(.*)$/.exec(s3Uri) ?? [];
  return `https://s3.console.aws.amazon.com/s3/object/${bucket}?prefix=${encodeURIComponent(key)}`;
}
