import { PIPELINE_IDS, readDefinitionTemplate } from '../pipeline-definitions/pipeline-catalog';
import type { ModelMonitorConfig } from '../functions/config/retraining-config';
import type { StackPipelines } from './deployment-config';

// Where in the data bucket the functions read reports, as IAM key patterns, derived from the
// pipeline definitions (a renamed step moves its grant with it) and the Model Monitor settings:
// the notification functions read these prefixes only, not the whole bucket.

interface DefinitionStep {
  readonly Name: string;
  readonly Type: string;
  readonly Arguments?: {
    readonly IfSteps?: readonly DefinitionStep[];
    readonly ElseSteps?: readonly DefinitionStep[];
    readonly ProcessingOutputConfig?: { readonly Outputs: ReadonlyArray<{ S3Output?: unknown }> };
    readonly ModelMetrics?: unknown;
  };
}

/** The report key patterns of each kind of report a function reads. */
export interface ReportKeys {
  /** QualityCheck steps' `constraint_violations.json` (onPipelineStatusChange). */
  readonly qualityChecks: readonly string[];
  /** The evaluation reports registered as model metrics (onModelPackageStateChange). */
  readonly evaluations: readonly string[];
  /** Model Monitor's `constraint_violations.json` (onMonitoringViolation). */
  readonly modelMonitor: readonly string[];
}

/**
 * The key patterns under which the stack's pipelines write the reports the functions read
 * (`pipelines/<pipeline>/<any execution>/<step>/<anything>`), and the Model Monitor report prefix.
 *
 * @example
 * reportKeys(pipelines, modelMonitor).modelMonitor; // ['monitoring/*']
 */
export function reportKeys(
  pipelines: StackPipelines,
  modelMonitor: ModelMonitorConfig,
): ReportKeys {
  const definitions = PIPELINE_IDS.map((id) => {
    const { Steps } = JSON.parse(readDefinitionTemplate(id)) as { Steps: DefinitionStep[] };
    return { name: pipelines[id], steps: stepsWithin(Steps) };
  });
  return {
    qualityChecks: definitions.flatMap(({ name, steps }) =>
      steps
        .filter((step) => step.Type === 'QualityCheck')
        .flatMap((step) => outputKeys(step, name)),
    ),
    evaluations: definitions.flatMap(({ name, steps }) =>
      steps
        .filter((step) => step.Type === 'RegisterModel')
        .flatMap((register) => stepsReferencedBy(register.Arguments?.ModelMetrics, steps))
        .flatMap((step) => outputKeys(step, name)),
    ),
    modelMonitor: [`${modelMonitor.reportPrefix}*`],
  };
}

/** Every step, those in the branches of Condition steps included. */
function stepsWithin(steps: readonly DefinitionStep[]): DefinitionStep[] {
  return steps.flatMap((step) => [
    step,
    ...stepsWithin([...(step.Arguments?.IfSteps ?? []), ...(step.Arguments?.ElseSteps ?? [])]),
  ]);
}

/** The steps whose outputs a value refers to (`Steps.Evaluate.ProcessingOutputConfig...`). */
function stepsReferencedBy(value: unknown, steps: readonly DefinitionStep[]): DefinitionStep[] {
  const names = new Set(
    [
      ...JSON.stringify(value ?? null).matchAll(
        /"Steps\.([A-Za-z0-9_-]+)\.ProcessingOutputConfig/g,
      ),
    ].map(([, name]) => name),
  );
  return steps.filter((step) => names.has(step.Name));
}

/**
 * A step's output locations as key patterns: the definitions join `s3:/`, the bucket, then
 * `pipelines`, the pipeline's name, the execution id and the step's folder.
 */
function outputKeys(step: DefinitionStep, pipelineName: string): string[] {
  return (step.Arguments?.ProcessingOutputConfig?.Outputs ?? []).map((output) => {
    const join = (output.S3Output as { S3Uri?: { 'Std:Join'?: { On: string; Values: unknown[] } } })
      ?.S3Uri?.['Std:Join'];
    const [scheme, bucket, ...parts] = join?.Values ?? [];
    if (join?.On !== '/' || scheme !== 's3:/' || bucket !== '${DataBucket}') {
      throw new Error(
        `Step ${step.Name} of ${pipelineName} writes its output outside the data bucket's pipelines/ folder: no read grant can be derived`,
      );
    }
    const key = parts.map((part) => {
      if (typeof part === 'string') return part;
      return (part as { Get?: string }).Get === 'Execution.PipelineName' ? pipelineName : '*';
    });
    return `${key.join('/')}/*`;
  });
}
