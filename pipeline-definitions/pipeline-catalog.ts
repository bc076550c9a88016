import { readFileSync } from 'node:fs';
import path from 'node:path';
import { renderPipelineDefinition, type DeploymentValues } from './render-definition';

/** The pipelines this project deploys; each has a definition template `<id>.json` beside this file. */
export const PIPELINE_IDS = ['training', 'training-hpo', 'batch-inference'] as const;

export type PipelineId = (typeof PIPELINE_IDS)[number];

/** Where the step scripts live in the data bucket; deployment uploads `scripts/*.py` there. */
export const PIPELINE_CODE_PREFIX = 'pipeline-code/';

export function definitionTemplatePath(id: PipelineId): string {
  return path.join(__dirname, `${id}.json`);
}

/**
 * The template as compact JSON text with its `${Name}` placeholders, ready for `Fn::Sub`.
 *
 * @example
 * const body = { 'Fn::Sub': [readDefinitionTemplate('training'), { RoleArn: roleArn, ... }] };
 */
export function readDefinitionTemplate(id: PipelineId): string {
  return JSON.stringify(JSON.parse(readFileSync(definitionTemplatePath(id), 'utf8')));
}

/**
 * The finished `PipelineDefinitionBody` of a pipeline for one deployment.
 *
 * @example
 * const body = renderPipeline('batch-inference', { region: 'eu-west-1', ... });
 */
export function renderPipeline(id: PipelineId, values: DeploymentValues): string {
  return renderPipelineDefinition(readDefinitionTemplate(id), values);
}

/**
 * The parameter names a pipeline declares, so that configuration naming a parameter can be
 * checked against the definition when the stack is packaged.
 *
 * @example
 * declaredParameterNames('batch-inference').includes('GroundTruthUrl'); // true
 */
export function declaredParameterNames(id: PipelineId): string[] {
  const definition = JSON.parse(readDefinitionTemplate(id)) as { Parameters: { Name: string }[] };
  return definition.Parameters.map((parameter) => parameter.Name);
}

/**
 * The default value a pipeline declares for a parameter, as text.
 *
 * @example
 * parameterDefault('batch-inference', 'AucThreshold'); // '0.7'
 */
export function parameterDefault(id: PipelineId, name: string): string | undefined {
  const definition = JSON.parse(readDefinitionTemplate(id)) as {
    Parameters: { Name: string; DefaultValue?: unknown }[];
  };
  const parameter = definition.Parameters.find((candidate) => candidate.Name === name);
  return parameter?.DefaultValue === undefined ? undefined : String(parameter.DefaultValue);
}
