import { sageMakerImageUri } from './sagemaker-image-uris';

/**
 * Placeholders of the definition templates, written `${Name}` inside JSON strings.
 *
 * The syntax is CloudFormation's `Fn::Sub`, so a template can also be deployed as
 * `Fn::Sub: [<template text>, {RoleArn: ..., ...}]` and yields the same body as
 * {@link renderPipelineDefinition}. It cannot collide with SageMaker's own `{"Get": ...}` JSON
 * functions. A template therefore holds no other `${`: `Fn::Sub` would read it as a variable.
 */
export const PLACEHOLDER_NAMES = [
  'RoleArn',
  'DataBucket',
  'ModelPackageGroupName',
  'GetApprovedModelFunctionArn',
  'XgboostImageUri',
  'SklearnImageUri',
  'ModelMonitorImageUri',
] as const;

export type PlaceholderName = (typeof PLACEHOLDER_NAMES)[number];

/** What a deployment knows; the image URIs follow from the region. */
export interface DeploymentValues {
  readonly region: string;
  /** The role that SageMaker jobs and models of the pipelines assume. */
  readonly roleArn: string;
  /** Holds pipeline inputs and outputs, and the step scripts under `pipeline-code/`. */
  readonly dataBucket: string;
  readonly modelPackageGroupName: string;
  readonly getApprovedModelFunctionArn: string;
}

// Each pattern also keeps a value free of `"`, `\` and `${`, so that substituting it into the JSON
// text (as Fn::Sub does) cannot change the JSON structure.
const VALUE_PATTERNS: Readonly<Record<keyof DeploymentValues, RegExp>> = {
  region: /^[a-z]{2}(-[a-z]+)+-\d$/,
  roleArn: /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/,
  dataBucket: /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
  modelPackageGroupName: /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/,
  getApprovedModelFunctionArn:
    /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[\w-]{1,64}(:[\w$-]+)?$/,
};

// A name stops at `}`; it cannot hold a quote, backslash or space, so an unclosed `${` inside a JSON
// string is not mistaken for a placeholder that ends in some later string.
const PLACEHOLDER = /\$\{([^}"\\\s]*)\}/g;

/**
 * The value of every placeholder for one deployment, image URIs resolved for its region.
 * Throws an error naming the first value that has the wrong form.
 *
 * @example
 * const substitutions = placeholderValues({ region: 'eu-west-1', roleArn, dataBucket, ... });
 * // { RoleArn: ..., XgboostImageUri: '141502667606.dkr.ecr.eu-west-1.amazonaws.com/...', ... }
 */
export function placeholderValues(values: DeploymentValues): Record<PlaceholderName, string> {
  for (const [field, pattern] of Object.entries(VALUE_PATTERNS)) {
    const value = values[field as keyof DeploymentValues];
    if (!pattern.test(value)) {
      throw new Error(`Deployment value ${field} "${value}" does not match ${pattern.source}`);
    }
  }
  return {
    RoleArn: values.roleArn,
    DataBucket: values.dataBucket,
    ModelPackageGroupName: values.modelPackageGroupName,
    GetApprovedModelFunctionArn: values.getApprovedModelFunctionArn,
    XgboostImageUri: sageMakerImageUri('xgboost', values.region),
    SklearnImageUri: sageMakerImageUri('sklearn', values.region),
    ModelMonitorImageUri: sageMakerImageUri('model-monitor', values.region),
  };
}

/**
 * Replaces every `${Name}` in `template` by `values[Name]`. Throws an error listing every
 * placeholder without a value, and every `${` that is not a placeholder, before replacing any.
 *
 * @example
 * substitutePlaceholders('{"RoleArn": "${RoleArn}"}', { RoleArn: 'arn:aws:iam::123456789012:role/x' });
 */
export function substitutePlaceholders(
  template: string,
  values: Readonly<Record<string, string>>,
): string {
  const unknown = new Set<string>();
  for (const [, name] of template.matchAll(PLACEHOLDER)) {
    if (name === undefined || !Object.hasOwn(values, name)) unknown.add(`\${${name ?? ''}}`);
  }
  const strayCount = template.split('${').length - 1 - [...template.matchAll(PLACEHOLDER)].length;
  if (unknown.size > 0 || strayCount > 0) {
    const problems = [...unknown].map((placeholder) => `unknown placeholder ${placeholder}`);
    if (strayCount > 0) problems.push(`${strayCount} "\${" without a closing "}"`);
    throw new Error(
      `Cannot render the pipeline definition: ${problems.join(', ')} ` +
        `(known placeholders: ${Object.keys(values).join(', ')})`,
    );
  }
  return template.replace(PLACEHOLDER, (_, name: string) => values[name] ?? '');
}

/**
 * The `PipelineDefinitionBody` of one deployment: the template with every placeholder
 * substituted, as compact JSON.
 *
 * @example
 * const body = renderPipelineDefinition(readDefinitionTemplate('training'), deploymentValues);
 */
export function renderPipelineDefinition(template: string, values: DeploymentValues): string {
  const rendered = substitutePlaceholders(template, placeholderValues(values));
  return JSON.stringify(JSON.parse(rendered));
}
