import type { DeclaredStep } from './declared-steps';
import type { DefinitionProblem } from './definition-problem';
import { findReferences, type Reference } from './expressions';
import {
  isJsonObject,
  namesIn,
  objectsOf,
  stringsIn,
  valueAt,
  type JsonObject,
} from './json-value';
import { KNOWN_STEP_TYPES, processingOutputNames, propertyProblem } from './step-properties';

/** What a step can refer to. */
export interface PipelineIndex {
  readonly parameters: ReadonlySet<string>;
  readonly steps: ReadonlyMap<string, DeclaredStep>;
}

export interface StepFindings {
  readonly problems: DefinitionProblem[];
  /** Steps this one waits for: those it reads from, its DependsOn, the condition it is a branch of. */
  readonly runsAfter: Set<string>;
  readonly usedParameters: Set<string>;
}

type Report = (path: string, message: string) => void;

const LAMBDA_OUTPUT_TYPES = new Set(['String', 'Integer', 'Boolean', 'Float']);
const RETRYABLE_EXCEPTIONS = new Set([
  'Step.SERVICE_FAULT',
  'Step.THROTTLING',
  'SageMaker.JOB_INTERNAL_ERROR',
  'SageMaker.CAPACITY_ERROR',
  'SageMaker.RESOURCE_LIMIT',
]);

/** Checks one step against the rest of the pipeline. */
export function checkStep(step: DeclaredStep, index: PipelineIndex): StepFindings {
  const findings: StepFindings = { problems: [], runsAfter: new Set(), usedParameters: new Set() };
  const report: Report = (path, message) => {
    findings.problems.push({ step: step.name, path, message });
  };
  if (!KNOWN_STEP_TYPES.includes(step.type)) {
    report(
      `${step.path}.Type`,
      `unknown step type "${step.type}" (known: ${KNOWN_STEP_TYPES.join(', ')})`,
    );
  }
  if (!isJsonObject(step.definition.Arguments)) {
    report(`${step.path}.Arguments`, 'a step needs an Arguments object');
  }
  if (step.condition !== undefined) findings.runsAfter.add(step.condition);
  const ownFields = withoutBranches(step);
  for (const reference of findReferences(ownFields, step.path)) {
    resolveReference(reference, step, index, findings, report);
  }
  checkDependsOn(step, index, findings, report);
  for (const [path, text] of stringsIn(ownFields, step.path)) {
    const placeholder = /\$\{[^}]*\}?/.exec(text);
    if (placeholder !== null) report(path, `leftover placeholder ${placeholder[0]}`);
  }
  checkStepTypeFields(step, report);
  return findings;
}

/** The step without the steps of its condition branches, which are checked as steps of their own. */
function withoutBranches(step: DeclaredStep): JsonObject {
  const argumentsValue = step.definition.Arguments;
  if (step.type !== 'Condition' || !isJsonObject(argumentsValue)) return step.definition;
  const conditionArguments = Object.fromEntries(
    Object.entries(argumentsValue).filter(([key]) => key !== 'IfSteps' && key !== 'ElseSteps'),
  );
  return { ...step.definition, Arguments: conditionArguments };
}

function resolveReference(
  reference: Reference,
  step: DeclaredStep,
  index: PipelineIndex,
  findings: StepFindings,
  report: Report,
): void {
  switch (reference.kind) {
    case 'malformed':
      report(reference.path, reference.message);
      return;
    case 'execution':
      return;
    case 'parameter':
      findings.usedParameters.add(reference.name);
      if (!index.parameters.has(reference.name)) {
        report(reference.path, `references unknown parameter "${reference.name}"`);
      }
      return;
    case 'step-property':
    case 'property-file': {
      const problem = stepReferenceProblem(reference, step, index);
      if (problem === undefined) {
        findings.runsAfter.add(reference.step);
      } else {
        report(reference.path, problem);
      }
    }
  }
}

function stepReferenceProblem(
  reference: Extract<Reference, { kind: 'step-property' | 'property-file' }>,
  step: DeclaredStep,
  index: PipelineIndex,
): string | undefined {
  const what =
    reference.kind === 'property-file'
      ? `Steps.${reference.step}.PropertyFiles.${reference.file}`
      : `Steps.${reference.step}.${reference.property}`;
  const target = index.steps.get(reference.step);
  if (target === undefined) return `references ${what}, but there is no step "${reference.step}"`;
  if (target.name === step.name) return `references ${what}, a property of the step itself`;
  const problem =
    reference.kind === 'property-file'
      ? propertyFileProblem(target, reference.file)
      : propertyProblem(target.definition, target.type, reference.property);
  return problem === undefined ? undefined : `${what}: ${problem}`;
}

function propertyFileProblem(target: DeclaredStep, file: string): string | undefined {
  const declared = namesIn(target.definition.PropertyFiles, 'PropertyFileName');
  return declared.includes(file)
    ? undefined
    : `step "${target.name}" declares no property file "${file}" (declared: ${declared.join(', ') || 'none'})`;
}

function checkDependsOn(
  step: DeclaredStep,
  index: PipelineIndex,
  findings: StepFindings,
  report: Report,
): void {
  const dependsOn = step.definition.DependsOn;
  if (dependsOn === undefined) return;
  if (!Array.isArray(dependsOn)) {
    report(`${step.path}.DependsOn`, 'DependsOn must be an array of step names');
    return;
  }
  dependsOn.forEach((name, position) => {
    const path = `${step.path}.DependsOn[${position}]`;
    const target = typeof name === 'string' ? index.steps.get(name) : undefined;
    if (typeof name !== 'string' || target === undefined) {
      report(path, `DependsOn ${JSON.stringify(name)} names no step of this pipeline`);
    } else if (target.name === step.name) {
      report(path, 'a step cannot depend on itself');
    } else if (target.type === 'Condition' || target.type === 'Fail') {
      // CreatePipeline rejects a dependency on a Condition step; a Fail step ends the run.
      report(path, `a step cannot depend on the ${target.type} step "${name}"`);
    } else {
      findings.runsAfter.add(name);
    }
  });
}

function checkStepTypeFields(step: DeclaredStep, report: Report): void {
  const { definition, path } = step;
  if (step.type === 'Fail' && valueAt(definition, ['Arguments', 'ErrorMessage']) === undefined) {
    report(`${path}.Arguments.ErrorMessage`, 'a Fail step needs an ErrorMessage');
  }
  if (step.type === 'Condition') {
    const conditions = valueAt(definition, ['Arguments', 'Conditions']);
    if (!Array.isArray(conditions) || conditions.length === 0) {
      report(`${path}.Arguments.Conditions`, 'a Condition step needs at least one condition');
    }
  }
  if (step.type === 'Lambda') checkLambdaFields(step, report);
  if (step.type === 'Processing') checkProcessingLimits(step, report);
  if (definition.PropertyFiles !== undefined) checkPropertyFiles(step, report);
  for (const [position, policy] of objectsOf(definition.RetryPolicies)) {
    const exceptions = Array.isArray(policy.ExceptionType) ? policy.ExceptionType : [];
    const unknown = exceptions.filter((exception) => !RETRYABLE_EXCEPTIONS.has(String(exception)));
    if (exceptions.length === 0 || unknown.length > 0) {
      report(
        `${path}.RetryPolicies[${position}].ExceptionType`,
        `retry on a non-empty list of ${[...RETRYABLE_EXCEPTIONS].join(', ')}`,
      );
    }
  }
}

function checkLambdaFields(step: DeclaredStep, report: Report): void {
  if (typeof step.definition.FunctionArn !== 'string') {
    report(`${step.path}.FunctionArn`, 'a Lambda step needs a FunctionArn');
  }
  const seen = new Set<string>();
  for (const [position, output] of objectsOf(step.definition.OutputParameters)) {
    const name = output.OutputName;
    const outputPath = `${step.path}.OutputParameters[${position}]`;
    if (typeof name !== 'string' || seen.has(name)) {
      report(outputPath, `Lambda output names must be unique strings, got ${JSON.stringify(name)}`);
    }
    if (!LAMBDA_OUTPUT_TYPES.has(String(output.OutputType))) {
      report(`${outputPath}.OutputType`, `use one of ${[...LAMBDA_OUTPUT_TYPES].join(', ')}`);
    }
    seen.add(String(name));
  }
}

/**
 * CreateProcessingJob's limits (SageMaker API model, botocore service-2.json): at most 100
 * container arguments (`ContainerArguments`) of at most 256 characters each (`ContainerArgument`),
 * 10 inputs (`ProcessingInputs`) and 10 outputs (`ProcessingOutputs`). A step that passes long
 * lists to its script (the dataset schema's features) must cut them to fit.
 */
const PROCESSING_LIMITS = { arguments: 100, argumentLength: 256, inputs: 10, outputs: 10 } as const;

function checkProcessingLimits(step: DeclaredStep, report: Report): void {
  const path = `${step.path}.Arguments`;
  const containerArguments = valueAt(step.definition, [
    'Arguments',
    'AppSpecification',
    'ContainerArguments',
  ]);
  if (Array.isArray(containerArguments)) {
    if (containerArguments.length > PROCESSING_LIMITS.arguments) {
      report(
        `${path}.AppSpecification.ContainerArguments`,
        `${containerArguments.length} container arguments, more than ${PROCESSING_LIMITS.arguments}`,
      );
    }
    containerArguments.forEach((argument, position) => {
      if (typeof argument === 'string' && argument.length > PROCESSING_LIMITS.argumentLength) {
        report(
          `${path}.AppSpecification.ContainerArguments[${position}]`,
          `${argument.length} characters, more than ${PROCESSING_LIMITS.argumentLength}`,
        );
      }
    });
  }
  const inputs = valueAt(step.definition, ['Arguments', 'ProcessingInputs']);
  if (Array.isArray(inputs) && inputs.length > PROCESSING_LIMITS.inputs) {
    report(
      `${path}.ProcessingInputs`,
      `${inputs.length} inputs, more than ${PROCESSING_LIMITS.inputs}`,
    );
  }
  const outputs = processingOutputNames(step.definition);
  if (outputs.length > PROCESSING_LIMITS.outputs) {
    report(
      `${path}.ProcessingOutputConfig.Outputs`,
      `${outputs.length} outputs, more than ${PROCESSING_LIMITS.outputs}`,
    );
  }
}

function checkPropertyFiles(step: DeclaredStep, report: Report): void {
  const path = `${step.path}.PropertyFiles`;
  if (step.type !== 'Processing') {
    report(path, 'only Processing steps write property files');
    return;
  }
  const outputs = processingOutputNames(step.definition);
  const seen = new Set<string>();
  for (const [position, file] of objectsOf(step.definition.PropertyFiles)) {
    const { PropertyFileName: name, OutputName: output, FilePath: filePath } = file;
    const entryPath = `${path}[${position}]`;
    if (typeof name !== 'string' || seen.has(name) || typeof filePath !== 'string') {
      report(entryPath, 'a property file needs a unique PropertyFileName and a FilePath');
    }
    if (typeof output !== 'string' || !outputs.includes(output)) {
      report(`${entryPath}.OutputName`, `${JSON.stringify(output)} is not an output of this step`);
    }
    seen.add(String(name));
  }
}
