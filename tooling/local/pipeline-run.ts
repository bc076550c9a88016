import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type DeclaredStep,
  declaredSteps,
} from '../../pipeline-definitions/checker/declared-steps';
import { findReferences } from '../../pipeline-definitions/checker/expressions';
import type { JsonValue } from '../../pipeline-definitions/checker/json-value';
import {
  CUSTOMER_METADATA_PROPERTY_FILE,
  CUSTOMER_METADATA_SCRIPT,
} from '../../pipeline-definitions/training-contract';
import { type AwsEvent, eventTime } from './event-bus';
import { type ExpressionScope, conditionHolds, evaluate } from './pipeline-expressions';
import { runProcessingScript } from './processing-script';
import { type Scenario, type StepOutcome, stepOutcome } from './scenario';

type ExecutionStatus = 'Executing' | 'Stopping' | 'Stopped' | 'Failed' | 'Succeeded';
export type StepStatus = 'Starting' | 'Executing' | 'Failed' | 'Succeeded';

/** One step of an execution, in the members ListPipelineExecutionSteps returns. */
export interface StepRecord {
  readonly name: string;
  readonly type: string;
  readonly description?: string;
  readonly startTime: Date;
  endTime?: Date;
  status: StepStatus;
  failureReason?: string;
  metadata: Record<string, unknown>;
}

/** One pipeline execution, as DescribePipelineExecution and the status events show it. */
export interface ExecutionRecord {
  readonly arn: string;
  readonly id: string;
  readonly pipelineName: string;
  /** Lower-case, as SageMaker writes pipeline ARNs. */
  readonly pipelineArn: string;
  readonly displayName: string;
  readonly description: string;
  readonly parameters: ReadonlyArray<{ readonly Name: string; readonly Value: string }>;
  readonly creationTime: Date;
  status: ExecutionStatus;
  failureReason?: string;
  lastModifiedTime: Date;
  readonly steps: StepRecord[];
}

/** What a running pipeline does outside itself. */
export interface PipelineRunHooks {
  readonly region: string;
  readonly accountId: string;
  readonly emit: (event: AwsEvent) => void;
  readonly invokeLambda: (functionArn: string, payload: unknown) => Promise<unknown>;
  readonly putObject: (s3Uri: string, body: string) => Promise<void>;
  /** Registers a model package version (CreateModelPackage members); returns its ARN. */
  readonly registerModel: (request: Record<string, unknown>, executionArn: string) => string;
}

interface StepResult {
  readonly properties: Record<string, unknown>;
  readonly metadata: Record<string, unknown>;
  readonly propertyFiles?: Record<string, unknown>;
  /** A step that ran but ends the run: a Fail step, a failed job. */
  readonly failureReason?: string;
}

interface PipelineDefinition {
  readonly Parameters?: ReadonlyArray<{ Name: string; Type: string; DefaultValue?: unknown }>;
  readonly Steps: JsonValue;
}

/** A step of the definition with what it waits for. */
interface PlannedStep {
  readonly step: DeclaredStep;
  readonly dependsOn: readonly string[];
}

const PARAMETER_TYPES: Readonly<Record<string, (value: string) => string | number | boolean>> = {
  String: (value) => value,
  Integer: (value) => Number.parseInt(value, 10),
  Float: (value) => Number(value),
  Boolean: (value) => value === 'true',
};

/**
 * Runs one execution of a pipeline definition locally: steps start in dependency order (DependsOn
 * and every property they read), independent ones together; condition branches run as the
 * condition decides; each step's outcome (failure, metrics in its property files, data-quality
 * violations) comes from the scenario, except the customer metadata a training run registers,
 * which its real step script writes. It emits the "Pipeline Execution Status Change" and "Step
 * Status Change" events SageMaker sends, writes the reports a step would write to S3, invokes the
 * function of a Lambda step and registers the model of a RegisterModel step.
 *
 * @example
 * await runPipeline(definitionText, execution, scenario, hooks);
 */
export async function runPipeline(
  definitionText: string,
  execution: ExecutionRecord,
  scenario: Scenario,
  hooks: PipelineRunHooks,
): Promise<void> {
  const definition = JSON.parse(definitionText) as PipelineDefinition;
  const plan = planSteps(definition);
  const scope = executionScope(definition, execution);
  const states = new Map<string, 'succeeded' | 'failed'>();
  const chosenBranches = new Map<string, boolean>();

  emitExecutionStatus(execution, undefined, hooks);
  const isReady = ({ step, dependsOn }: PlannedStep) =>
    !states.has(step.name) &&
    dependsOn.every((name) => states.get(name) === 'succeeded') &&
    (step.condition === undefined ||
      chosenBranches.get(step.condition) === isInIfBranch(step, plan));
  for (;;) {
    const ready = plan.filter(isReady);
    if (ready.length === 0 || [...states.values()].includes('failed')) break;
    await Promise.all(
      ready.map(async ({ step }) => {
        const outcome = stepOutcome(scenario, execution.pipelineName, step.name);
        const succeeded = await runStep(
          step,
          outcome,
          scenario.stepDurationMs,
          execution,
          scope,
          hooks,
        );
        states.set(step.name, succeeded ? 'succeeded' : 'failed');
        const properties = scope.stepProperties.get(step.name) as { Outcome?: string } | undefined;
        if (step.type === 'Condition' && properties?.Outcome !== undefined) {
          chosenBranches.set(step.name, properties.Outcome === 'True');
        }
      }),
    );
  }
  const previous = execution.status;
  const failed = execution.steps.some((step) => step.status === 'Failed');
  execution.status = failed ? 'Failed' : 'Succeeded';
  if (failed) execution.failureReason = 'Step failure: One or multiple steps failed.';
  execution.lastModifiedTime = new Date();
  emitExecutionStatus(execution, previous, hooks);
}

/** Every step with the steps it waits for: DependsOn, and the steps whose properties it reads. */
function planSteps(definition: PipelineDefinition): PlannedStep[] {
  const { steps, problems } = declaredSteps(definition.Steps);
  if (problems.length > 0) throw new Error(`Invalid pipeline definition: ${problems[0]?.message}`);
  return steps.map((step) => {
    // A Condition step reads only its conditions; its branches' reads belong to the branch steps.
    const reads =
      step.type === 'Condition'
        ? findReferences(
            (step.definition.Arguments as { Conditions?: JsonValue } | undefined)?.Conditions,
            '',
          )
        : findReferences(step.definition, '');
    const readSteps = reads.flatMap((reference) =>
      'step' in reference && reference.step !== step.name ? [reference.step] : [],
    );
    const declared = (step.definition.DependsOn ?? []) as string[];
    return { step, dependsOn: [...new Set([...declared, ...readSteps])] };
  });
}

function isInIfBranch(step: DeclaredStep, plan: readonly PlannedStep[]): boolean {
  const parent = plan.find((candidate) => candidate.step.name === step.condition)?.step;
  const ifSteps = (
    parent?.definition.Arguments as { IfSteps?: Array<{ Name?: string }> } | undefined
  )?.IfSteps;
  return (ifSteps ?? []).some((candidate) => candidate.Name === step.name);
}

function executionScope(definition: PipelineDefinition, execution: ExecutionRecord) {
  const given = new Map(execution.parameters.map((parameter) => [parameter.Name, parameter.Value]));
  const parameters = new Map(
    (definition.Parameters ?? []).map((parameter) => {
      const value = given.get(parameter.Name);
      const typed =
        value === undefined ? parameter.DefaultValue : PARAMETER_TYPES[parameter.Type]?.(value);
      return [parameter.Name, typed as string | number | boolean];
    }),
  );
  const scope: ExpressionScope & {
    stepProperties: Map<string, unknown>;
    propertyFiles: Map<string, Record<string, unknown>>;
  } = {
    parameters,
    execution: {
      PipelineName: execution.pipelineName,
      PipelineArn: execution.pipelineArn,
      PipelineExecutionId: execution.id,
      PipelineExecutionArn: execution.arn,
      StartDateTime: execution.creationTime.toISOString(),
      CurrentDateTime: new Date().toISOString(),
    },
    stepProperties: new Map(),
    propertyFiles: new Map(),
  };
  return scope;
}

type Scope = ReturnType<typeof executionScope>;

async function runStep(
  step: DeclaredStep,
  outcome: StepOutcome,
  durationMs: number,
  execution: ExecutionRecord,
  scope: Scope,
  hooks: PipelineRunHooks,
): Promise<boolean> {
  const record: StepRecord = {
    name: step.name,
    type: step.type,
    ...(typeof step.definition.Description === 'string'
      ? { description: step.definition.Description }
      : {}),
    startTime: new Date(),
    status: 'Starting',
    metadata: {},
  };
  execution.steps.push(record);
  emitStepStatus(execution, record, undefined, hooks);
  record.status = 'Executing';
  emitStepStatus(execution, record, 'Starting', hooks);
  await sleep(durationMs);
  let result: StepResult;
  try {
    if (outcome.fail !== undefined) throw new Error(outcome.fail);
    result =
      (await STEP_TYPES[step.type]?.(step, outcome, { execution, scope, hooks })) ??
      notEmulated(step);
  } catch (error) {
    result = {
      properties: {},
      metadata: {},
      failureReason: error instanceof Error ? error.message : String(error),
    };
  }
  scope.stepProperties.set(step.name, result.properties);
  if (result.propertyFiles !== undefined) scope.propertyFiles.set(step.name, result.propertyFiles);
  record.metadata = result.metadata;
  record.endTime = new Date();
  record.status = result.failureReason === undefined ? 'Succeeded' : 'Failed';
  if (result.failureReason !== undefined) record.failureReason = result.failureReason;
  execution.lastModifiedTime = record.endTime;
  emitStepStatus(execution, record, 'Executing', hooks);
  return record.status === 'Succeeded';
}

function notEmulated(step: DeclaredStep): StepResult {
  return {
    properties: {},
    metadata: {},
    failureReason: `Step type ${step.type} is not emulated locally`,
  };
}

interface StepContext {
  readonly execution: ExecutionRecord;
  readonly scope: Scope;
  readonly hooks: PipelineRunHooks;
}

type StepRunner = (
  step: DeclaredStep,
  outcome: StepOutcome,
  context: StepContext,
) => Promise<StepResult>;

/** A job name as pipelines name them: `pipelines-<execution id>-<step>-<random>`, lower case. */
function jobName(step: DeclaredStep, execution: ExecutionRecord): string {
  return `pipelines-${execution.id}-${step.name}-${randomBytes(5).toString('hex')}`
    .toLowerCase()
    .slice(0, 63);
}

function jobArn(kind: string, name: string, hooks: PipelineRunHooks): string {
  return `arn:aws:sagemaker:${hooks.region}:${hooks.accountId}:${kind}/${name}`;
}

function argumentsOf(step: DeclaredStep, scope: Scope): Record<string, unknown> {
  return evaluate(step.definition.Arguments ?? {}, scope) as Record<string, unknown>;
}

interface ProcessingOutput {
  readonly OutputName: string;
  readonly S3Output: { readonly S3Uri: string; readonly LocalPath: string };
}

function processingOutputs(args: Record<string, unknown>): ProcessingOutput[] {
  return (
    (args.ProcessingOutputConfig as { Outputs?: ProcessingOutput[] } | undefined)?.Outputs ?? []
  );
}

const STEP_TYPES: Readonly<Record<string, StepRunner>> = {
  async Processing(step, outcome, { execution, scope, hooks }) {
    const args = argumentsOf(step, scope);
    const name = jobName(step, execution);
    const outputs = processingOutputs(args);
    const propertyFiles: Record<string, unknown> = {};
    for (const file of (step.definition.PropertyFiles ?? []) as Array<Record<string, string>>) {
      const fileName = String(file.PropertyFileName);
      const output = outputs.find((candidate) => candidate.OutputName === file.OutputName);
      // Customer metadata depends on the run's parameters, not on data: the real script writes it,
      // so the local model registry sees what CreateModelPackage would get.
      const content =
        fileName === CUSTOMER_METADATA_PROPERTY_FILE
          ? await runProcessingScript(
              CUSTOMER_METADATA_SCRIPT,
              {
                ...args,
                ProcessingJobName: name,
                ProcessingJobArn: jobArn('processing-job', name, hooks),
              },
              `${String(output?.S3Output.LocalPath)}/${String(file.FilePath)}`,
            )
          : outcome.propertyFiles?.[fileName];
      if (content === undefined) {
        throw new Error(
          `The local scenario gives no content for property file ${fileName}: add pipelines.<pipeline>.steps.${step.name}.propertyFiles.${fileName}`,
        );
      }
      await hooks.putObject(
        `${String(output?.S3Output.S3Uri)}/${String(file.FilePath)}`,
        JSON.stringify(content, null, 2),
      );
      propertyFiles[fileName] = content;
    }
    return {
      properties: {
        ProcessingJobName: name,
        ProcessingJobArn: jobArn('processing-job', name, hooks),
        ProcessingOutputConfig: {
          Outputs: Object.fromEntries(outputs.map((output) => [output.OutputName, output])),
        },
      },
      metadata: { ProcessingJob: { Arn: jobArn('processing-job', name, hooks) } },
      propertyFiles,
    };
  },

  async QualityCheck(step, outcome, { execution, scope, hooks }) {
    const args = argumentsOf(step, scope);
    const definition = evaluate(step.definition, scope) as Record<string, unknown>;
    const name = jobName(step, execution);
    const output = processingOutputs(args)[0]?.S3Output.S3Uri ?? '';
    const calculated = {
      statistics: `${output}/statistics.json`,
      constraints: `${output}/constraints.json`,
    };
    await hooks.putObject(
      calculated.statistics,
      JSON.stringify({ version: 0, dataset: { item_count: 0 }, features: [] }),
    );
    await hooks.putObject(calculated.constraints, JSON.stringify({ version: 0, features: [] }));
    const driftCheck =
      definition.RegisterNewBaseline === true
        ? calculated
        : {
            statistics: String(definition.SuppliedBaselineStatistics ?? calculated.statistics),
            constraints: String(definition.SuppliedBaselineConstraints ?? calculated.constraints),
          };
    const checked = definition.SkipCheck !== true;
    const violations = checked ? (outcome.violations ?? []) : [];
    const report = `${output}/constraint_violations.json`;
    if (checked) await hooks.putObject(report, JSON.stringify({ violations }, null, 2));
    const failed = violations.length > 0 && definition.FailOnViolation !== false;
    return {
      properties: {
        CalculatedBaselineStatistics: calculated.statistics,
        CalculatedBaselineConstraints: calculated.constraints,
        BaselineUsedForDriftCheckStatistics: driftCheck.statistics,
        BaselineUsedForDriftCheckConstraints: driftCheck.constraints,
      },
      metadata: {
        QualityCheck: {
          CheckType: definition.CheckType,
          BaselineUsedForDriftCheckStatistics: driftCheck.statistics,
          BaselineUsedForDriftCheckConstraints: driftCheck.constraints,
          CalculatedBaselineStatistics: calculated.statistics,
          CalculatedBaselineConstraints: calculated.constraints,
          ModelPackageGroupName: definition.ModelPackageGroupName,
          // As the service documents it: the violation report's URI only when violations were found.
          ...(checked && violations.length > 0 ? { ViolationReport: report } : {}),
          CheckJobArn: jobArn('processing-job', name, hooks),
          SkipCheck: !checked,
          RegisterNewBaseline: definition.RegisterNewBaseline === true,
        },
      },
      ...(failed
        ? {
            failureReason: `ClientError: CompletedWithViolations: ${violations.length} violation(s), see ${report}`,
          }
        : {}),
    };
  },

  async Training(step, _outcome, { execution, scope, hooks }) {
    const args = argumentsOf(step, scope);
    const name = jobName(step, execution);
    const outputPath = String(
      (args.OutputDataConfig as { S3OutputPath?: string } | undefined)?.S3OutputPath,
    );
    return {
      properties: {
        TrainingJobName: name,
        TrainingJobArn: jobArn('training-job', name, hooks),
        ModelArtifacts: { S3ModelArtifacts: `${outputPath}/${name}/output/model.tar.gz` },
        OutputDataConfig: { S3OutputPath: outputPath },
      },
      metadata: { TrainingJob: { Arn: jobArn('training-job', name, hooks) } },
    };
  },

  async Tuning(step, _outcome, { execution, hooks }) {
    const name = jobName(step, execution).slice(0, 32);
    const best = `${name}-001-${randomBytes(4).toString('hex')}`;
    return {
      properties: {
        HyperParameterTuningJobName: name,
        HyperParameterTuningJobArn: jobArn('hyper-parameter-tuning-job', name, hooks),
        BestTrainingJob: { TrainingJobName: best },
        TrainingJobSummaries: [{ TrainingJobName: best }],
      },
      metadata: { TuningJob: { Arn: jobArn('hyper-parameter-tuning-job', name, hooks) } },
    };
  },

  async Model(step, _outcome, { execution, scope, hooks }) {
    // Evaluated for its references only: one that cannot resolve fails the step, as CreateModel would.
    argumentsOf(step, scope);
    const name = jobName(step, execution);
    return {
      properties: { ModelName: name, ModelArn: jobArn('model', name, hooks) },
      metadata: { Model: { Arn: jobArn('model', name, hooks) } },
    };
  },

  async Transform(step, _outcome, { execution, scope, hooks }) {
    const args = argumentsOf(step, scope);
    const name = jobName(step, execution);
    const outputPath = String(
      (args.TransformOutput as { S3OutputPath?: string } | undefined)?.S3OutputPath,
    );
    return {
      properties: {
        TransformJobName: name,
        TransformJobArn: jobArn('transform-job', name, hooks),
        TransformOutput: { S3OutputPath: outputPath },
      },
      metadata: { TransformJob: { Arn: jobArn('transform-job', name, hooks) } },
    };
  },

  async RegisterModel(step, _outcome, { execution, scope, hooks }) {
    const arn = hooks.registerModel(argumentsOf(step, scope), execution.arn);
    return {
      properties: { ModelPackageArn: arn, ModelPackageName: arn },
      metadata: { RegisterModel: { Arn: arn } },
    };
  },

  async Lambda(step, _outcome, { scope, hooks }) {
    const functionArn = String(step.definition.FunctionArn);
    const output = (await hooks.invokeLambda(functionArn, argumentsOf(step, scope))) as Record<
      string,
      unknown
    > | null;
    const declared = (
      (step.definition.OutputParameters ?? []) as Array<{ OutputName: string }>
    ).map((parameter) => parameter.OutputName);
    const missing = declared.filter((name) => output?.[name] === undefined);
    if (missing.length > 0) {
      throw new Error(`Lambda function ${functionArn} returned no output ${missing.join(', ')}`);
    }
    const values = Object.fromEntries(declared.map((name) => [name, output?.[name]]));
    return {
      properties: { OutputParameters: values },
      metadata: {
        Lambda: {
          Arn: functionArn,
          OutputParameters: declared.map((name) => ({ Name: name, Value: String(values[name]) })),
        },
      },
    };
  },

  async Condition(step, _outcome, { scope }) {
    const conditions = (step.definition.Arguments as { Conditions: Array<Record<string, unknown>> })
      .Conditions;
    const outcome = conditions.every((condition) => conditionHolds(condition, scope))
      ? 'True'
      : 'False';
    return { properties: { Outcome: outcome }, metadata: { Condition: { Outcome: outcome } } };
  },

  async Fail(step, _outcome, { scope }) {
    const message = String(
      evaluate(
        (step.definition.Arguments as { ErrorMessage?: unknown })?.ErrorMessage ?? '',
        scope,
      ),
    );
    return {
      properties: {},
      metadata: { Fail: { ErrorMessage: message } },
      failureReason: message,
    };
  },
};

/** Step metadata keys as the events write them: `processingJob.arn`, not `ProcessingJob.Arn`. */
function camelCaseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelCaseKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      `${key[0]?.toLowerCase()}${key.slice(1)}`,
      camelCaseKeys(item),
    ]),
  );
}

function pipelineEvent(
  execution: ExecutionRecord,
  detailType: string,
  detail: Record<string, unknown>,
  hooks: PipelineRunHooks,
): AwsEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': detailType,
    source: 'aws.sagemaker',
    account: hooks.accountId,
    time: eventTime(),
    region: hooks.region,
    resources: [execution.pipelineArn, execution.arn],
    detail: { ...detail, pipelineArn: execution.pipelineArn, pipelineExecutionArn: execution.arn },
  };
}

function emitExecutionStatus(
  execution: ExecutionRecord,
  previous: ExecutionStatus | undefined,
  hooks: PipelineRunHooks,
): void {
  const ended = execution.status !== 'Executing';
  hooks.emit(
    pipelineEvent(
      execution,
      'SageMaker Model Building Pipeline Execution Status Change',
      {
        pipelineExecutionDisplayName: execution.displayName,
        currentPipelineExecutionStatus: execution.status,
        ...(previous === undefined ? {} : { previousPipelineExecutionStatus: previous }),
        executionStartTime: eventTime(execution.creationTime),
        ...(ended ? { executionEndTime: eventTime(execution.lastModifiedTime) } : {}),
        pipelineExecutionDescription: execution.description,
      },
      hooks,
    ),
  );
}

function emitStepStatus(
  execution: ExecutionRecord,
  step: StepRecord,
  previous: StepStatus | undefined,
  hooks: PipelineRunHooks,
): void {
  hooks.emit(
    pipelineEvent(
      execution,
      'SageMaker Model Building Pipeline Execution Step Status Change',
      {
        metadata: camelCaseKeys(step.metadata),
        stepStartTime: eventTime(step.startTime),
        ...(step.endTime === undefined ? {} : { stepEndTime: eventTime(step.endTime) }),
        stepName: step.name,
        stepType: step.type,
        ...(previous === undefined ? {} : { previousStepStatus: previous }),
        currentStepStatus: step.status,
        ...(step.failureReason === undefined ? {} : { failureReason: step.failureReason }),
      },
      hooks,
    ),
  );
}
