import { namesIn, valueAt, type JsonObject } from './json-value';

interface PropertyRule {
  readonly pattern: RegExp;
  /** For patterns that capture a name: what the name must be one of, and what it is called. */
  readonly declared?: { readonly what: string; readonly names: (step: JsonObject) => string[] };
}

export function processingOutputNames(step: JsonObject): string[] {
  return namesIn(valueAt(step, ['Arguments', 'ProcessingOutputConfig', 'Outputs']), 'OutputName');
}

const lambdaOutputNames = (step: JsonObject): string[] =>
  namesIn(step.OutputParameters, 'OutputName');

const fixed = (...properties: string[]): PropertyRule[] =>
  properties.map((property) => ({
    pattern: new RegExp(`^${property.replace(/[.[\]]/g, '\\$&')}$`),
  }));

/**
 * What `{"Get": "Steps.<step>.<property>"}` may read from each step type: the properties of the
 * matching Describe* response that pipelines use, after the SageMaker Python SDK's properties.
 * A property that names something (an output, a Lambda output) must name one the step declares.
 */
const PROPERTY_RULES: Readonly<Record<string, readonly PropertyRule[]>> = {
  Processing: [
    {
      pattern: /^ProcessingOutputConfig\.Outputs\['([^']+)'\]\.S3Output\.S3Uri$/,
      declared: { what: 'processing output', names: processingOutputNames },
    },
    ...fixed('ProcessingJobName', 'ProcessingJobArn'),
  ],
  QualityCheck: fixed(
    'CalculatedBaselineStatistics',
    'CalculatedBaselineConstraints',
    'BaselineUsedForDriftCheckStatistics',
    'BaselineUsedForDriftCheckConstraints',
  ),
  Training: fixed(
    'ModelArtifacts.S3ModelArtifacts',
    'TrainingJobName',
    'TrainingJobArn',
    'OutputDataConfig.S3OutputPath',
  ),
  Tuning: [
    // The service keeps the 50 best training jobs, best first.
    { pattern: /^TrainingJobSummaries\[([0-9]|[1-4][0-9])\]\.TrainingJobName$/ },
    ...fixed(
      'BestTrainingJob.TrainingJobName',
      'HyperParameterTuningJobName',
      'HyperParameterTuningJobArn',
    ),
  ],
  Model: fixed('ModelName', 'ModelArn'),
  Transform: fixed('TransformOutput.S3OutputPath', 'TransformJobName', 'TransformJobArn'),
  RegisterModel: fixed('ModelPackageArn', 'ModelPackageName'),
  Lambda: [
    {
      pattern: /^OutputParameters\['([^']+)'\]$/,
      declared: { what: 'Lambda output', names: lambdaOutputNames },
    },
  ],
  Condition: fixed('Outcome'),
  // A Fail step ends the run; nothing can read from it.
  Fail: [],
};

/** The step types the checker knows; any other type is reported. */
export const KNOWN_STEP_TYPES: readonly string[] = Object.keys(PROPERTY_RULES);

/** Why `property` cannot be read from `step`, or undefined when it can. */
export function propertyProblem(
  step: JsonObject,
  type: string,
  property: string,
): string | undefined {
  if (property.startsWith('PropertyFiles.')) {
    return 'property files are read with Std:JsonGet, not Get';
  }
  const rules = PROPERTY_RULES[type] ?? [];
  for (const rule of rules) {
    const match = rule.pattern.exec(property);
    if (match === null) continue;
    const name = match[1];
    if (rule.declared === undefined || name === undefined) return undefined;
    const names = rule.declared.names(step);
    return names.includes(name)
      ? undefined
      : `no ${rule.declared.what} named "${name}" (declared: ${names.join(', ') || 'none'})`;
  }
  return `"${property}" is not a property of a ${type} step`;
}
