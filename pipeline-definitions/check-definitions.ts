import { readFileSync } from 'node:fs';
import { declaredSteps } from './checker/declared-steps';
import { describeProblem, type DefinitionProblem } from './checker/definition-problem';
import { isJsonObject, stringsIn } from './checker/json-value';
import { declaredParameters } from './checker/parameters';
import { checkStep } from './checker/step-checks';
import { findCycles } from './checker/step-graph';
import type { FeatureStoreSettings, TrainingSource } from './feature-store-contract';
import { withFeatureStore } from './feature-store-variant';
import { PIPELINE_IDS, readDefinitionTemplate, renderPipeline } from './pipeline-catalog';
import { renderPipelineDefinition, type DeploymentValues } from './render-definition';

export type { DefinitionProblem } from './checker/definition-problem';
export { describeProblem } from './checker/definition-problem';

export const PIPELINE_DEFINITION_VERSION = '2020-12-01';

/** CreatePipeline and AWS::SageMaker::Pipeline take at most this many characters of definition. */
export const MAX_DEFINITION_LENGTH = 1_048_576;

/** Values of a fictitious deployment, for checking the templates without an AWS account. */
export const SAMPLE_DEPLOYMENT_VALUES: DeploymentValues = {
  region: 'eu-west-1',
  roleArn: 'arn:aws:iam::123456789012:role/mlops-dev-sagemaker-pipelines',
  dataBucket: 'mlops-dev-data-123456789012',
  modelPackageGroupName: 'mlops-dev-models',
  getApprovedModelFunctionArn:
    'arn:aws:lambda:eu-west-1:123456789012:function:mlops-dev-getApprovedModel',
};

/** A fictitious deployment's feature store, for checking the training pipelines with it on. */
export function sampleFeatureStoreSettings(trainingSource: TrainingSource): FeatureStoreSettings {
  return {
    featureGroupName: 'mlops-dev-features',
    region: SAMPLE_DEPLOYMENT_VALUES.region,
    dataset: {
      label: 'churned',
      features: [
        { name: 'tenure_months', type: 'Integral' },
        { name: 'monthly_charges', type: 'Fractional' },
        { name: 'support_calls', type: 'Integral' },
      ],
    },
    trainingSource,
    historyDays: 90,
    offlineStore: {
      database: 'mlops_dev_feature_store',
      table: 'mlops_dev_features',
      workGroup: 'mlops-dev-features',
    },
  };
}

/** The training pipelines with the feature store on, for each training source. */
const FEATURE_STORE_VARIANTS = (['training', 'training-hpo'] as const).flatMap((id) =>
  (['input', 'offline-store'] as const).map((source) => ({
    label: `${id}.json with the feature store, training source ${source}`,
    render: () =>
      renderPipelineDefinition(
        withFeatureStore(readDefinitionTemplate(id), sampleFeatureStoreSettings(source)),
        SAMPLE_DEPLOYMENT_VALUES,
      ),
  })),
);

/**
 * Everything wrong with a (rendered) pipeline definition that can be seen without running it:
 * step names unique and valid; every `Get`, `Std:JsonGet` and property-file reference resolving to
 * a declared parameter, a property of another step or a declared property file; DependsOn
 * naming steps; no cycle; parameter names and types valid, each parameter used; no leftover
 * `${...}` placeholder; the size limit. An empty list means the definition passed.
 *
 * @example
 * const problems = checkPipelineDefinition(JSON.parse(renderPipeline('training', values)));
 * problems.map(describeProblem); // ['step "Evaluate" at Steps[5]...: references unknown parameter "Foo"']
 */
export function checkPipelineDefinition(definition: unknown): DefinitionProblem[] {
  if (!isJsonObject(definition)) {
    return [{ path: '(root)', message: 'a pipeline definition is a JSON object' }];
  }
  const problems: DefinitionProblem[] = [];
  if (definition.Version !== PIPELINE_DEFINITION_VERSION) {
    problems.push({ path: 'Version', message: `Version must be "${PIPELINE_DEFINITION_VERSION}"` });
  }
  const parameters = declaredParameters(definition.Parameters);
  const steps = declaredSteps(definition.Steps);
  problems.push(...parameters.problems, ...steps.problems);

  const index = {
    parameters: parameters.names,
    steps: new Map(steps.steps.map((step) => [step.name, step])),
  };
  const runsAfter = new Map<string, ReadonlySet<string>>();
  const usedParameters = new Set<string>();
  for (const step of steps.steps) {
    const findings = checkStep(step, index);
    problems.push(...findings.problems);
    runsAfter.set(step.name, findings.runsAfter);
    findings.usedParameters.forEach((name) => usedParameters.add(name));
  }

  for (const name of parameters.names) {
    if (!usedParameters.has(name)) {
      problems.push({
        path: 'Parameters',
        message: `parameter "${name}" is declared but no step reads it`,
      });
    }
  }
  for (const cycle of findCycles(runsAfter)) {
    problems.push({
      step: cycle[0],
      path: index.steps.get(cycle[0] ?? '')?.path ?? 'Steps',
      message: `steps wait for each other in a cycle: ${cycle.join(' waits for ')}`,
    });
  }
  for (const [path, text] of stringsIn(definition.Parameters, 'Parameters')) {
    if (text.includes('${')) problems.push({ path, message: `leftover placeholder in "${text}"` });
  }
  const length = JSON.stringify(definition).length;
  if (length > MAX_DEFINITION_LENGTH) {
    problems.push({
      path: '(root)',
      message: `${length} characters, more than ${MAX_DEFINITION_LENGTH}`,
    });
  }
  return problems;
}

interface CheckedDefinition {
  readonly label: string;
  readonly problems: readonly string[];
  readonly length?: number;
}

/** Renders (with sample values) or reads a definition, then checks it. */
function checkSource(label: string, loadBody: () => string): CheckedDefinition {
  let body: string;
  let definition: unknown;
  try {
    body = loadBody();
    definition = JSON.parse(body);
  } catch (error) {
    return { label, problems: [error instanceof Error ? error.message : String(error)] };
  }
  return {
    label,
    problems: checkPipelineDefinition(definition).map(describeProblem),
    length: body.length,
  };
}

/**
 * `npm run check:pipelines`: without arguments, renders the three templates with sample values,
 * and the training pipelines with the feature store on, and checks them; with file arguments,
 * checks those rendered definitions. Exit code 1 on problems.
 */
function main(files: readonly string[]): number {
  const results =
    files.length === 0
      ? [
          ...PIPELINE_IDS.map((id) =>
            checkSource(`${id}.json`, () => renderPipeline(id, SAMPLE_DEPLOYMENT_VALUES)),
          ),
          ...FEATURE_STORE_VARIANTS.map((variant) => checkSource(variant.label, variant.render)),
        ]
      : files.map((file) => checkSource(file, () => readFileSync(file, 'utf8')));
  for (const result of results) {
    const size = result.length === undefined ? '' : ` (${(result.length / 1024).toFixed(1)} KiB)`;
    console.log(`${result.problems.length === 0 ? 'ok  ' : 'FAIL'} ${result.label}${size}`);
    result.problems.forEach((problem) => console.log(`     ${problem}`));
  }
  return results.some((result) => result.problems.length > 0) ? 1 : 0;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
