import { createHash, randomBytes } from 'node:crypto';
import {
  type ExecutionRecord,
  type PipelineRunHooks,
  type StepRecord,
  runPipeline,
} from './pipeline-run';
import type { Scenario } from './scenario';
import {
  type SageMakerRequest,
  ServiceError,
  epochSeconds,
  invalidMember,
  optionalEnum,
  optionalTime,
  page,
  requiredString,
} from './sagemaker-request';

/** A pipeline the local control plane knows, with the parameters its definition declares. */
export interface LocalPipeline {
  readonly name: string;
  readonly parameterNames: readonly string[];
  /** The definition (PipelineDefinitionBody) to walk when an execution starts; without it, runs only record. */
  readonly definition?: string;
}

export interface StartedExecution {
  readonly pipelineName: string;
  readonly executionArn: string;
  readonly request: Record<string, unknown>;
}

/**
 * One execution as the local SageMaker keeps it across restarts (JSON): its record, the request
 * that started it and the token's fingerprint, so that a retried start still finds it.
 */
export interface SavedExecution {
  readonly record: ExecutionRecord;
  readonly request: Record<string, unknown>;
  readonly fingerprint: string;
}

/** What executions need to walk their definition; without it they stay Executing. */
export interface PipelineRuntime {
  readonly scenario: Scenario;
  readonly hooks: PipelineRunHooks;
  /** A run ended with an error of the emulation itself (not a step failure). */
  readonly onRunError: (execution: ExecutionRecord, error: unknown) => void;
}

// From the SageMaker API model (botocore 1.43.107), see shared/reference/constraints.md.
const LIMITS = {
  pipelineName: /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}$/,
  pipelineNameOrArn:
    /^(arn:aws[a-z-]*:sagemaker:[a-z0-9-]*:[0-9]{12}:pipeline\/)?([a-zA-Z0-9](-*[a-zA-Z0-9]){0,255})$/,
  executionArn: /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]*:[0-9]{12}:pipeline\/.*\/execution\/.*$/,
  displayName: /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,81}$/,
  parameterName: /^[A-Za-z0-9\-_]{1,256}$/,
};

/**
 * The pipeline executions of the local SageMaker: StartPipelineExecution (validated against the
 * documented limits, idempotent per ClientRequestToken like the service: the same token and request
 * return the same execution, the same token with another request is refused), then
 * DescribePipelineExecution, ListPipelineExecutions, ListPipelineExecutionSteps and
 * ListPipelineParametersForExecution over what the runs did.
 *
 * @example
 * const executions = pipelineExecutions(pipelines, { region: 'eu-west-1', accountId: '000000000000' });
 */
export function pipelineExecutions(
  pipelines: readonly LocalPipeline[],
  settings: {
    readonly region: string;
    readonly accountId: string;
    readonly runtime?: PipelineRuntime;
    /** Executions of an earlier session, as `saved()` returned them. */
    readonly saved?: readonly SavedExecution[];
  },
) {
  const known = new Map(pipelines.map((pipeline) => [pipeline.name.toLowerCase(), pipeline]));
  const byToken = new Map<string, { fingerprint: string; execution: StartedExecution }>();
  const started: StartedExecution[] = [];
  const records: ExecutionRecord[] = [];
  const running = new Set<Promise<void>>();
  for (const saved of settings.saved ?? []) {
    const record = restoredRecord(saved.record);
    const execution = {
      pipelineName: record.pipelineName,
      executionArn: record.arn,
      request: saved.request,
    };
    byToken.set(String(saved.request.ClientRequestToken), {
      fingerprint: saved.fingerprint,
      execution,
    });
    started.push(execution);
    records.push(record);
  }

  function pipelineOf(nameOrArn: string): LocalPipeline {
    const pipeline = known.get(nameOrArn.replace(/^arn:.*:pipeline\//, '').toLowerCase());
    if (pipeline === undefined) {
      throw new ServiceError('ResourceNotFound', `Pipeline '${nameOrArn}' does not exist.`);
    }
    return pipeline;
  }

  function recordOf(request: SageMakerRequest): ExecutionRecord {
    const arn = requiredString(request, 'PipelineExecutionArn', LIMITS.executionArn, 2048);
    const record = records.find((candidate) => candidate.arn === arn);
    if (record === undefined) {
      throw new ServiceError('ResourceNotFound', `Pipeline execution '${arn}' does not exist.`);
    }
    return record;
  }

  function startRun(pipeline: LocalPipeline, record: ExecutionRecord): void {
    const runtime = settings.runtime;
    if (runtime === undefined || pipeline.definition === undefined) return;
    const run = runPipeline(pipeline.definition, record, runtime.scenario, runtime.hooks)
      .catch((error: unknown) => {
        record.status = 'Failed';
        record.failureReason = error instanceof Error ? error.message : String(error);
        runtime.onRunError(record, error);
      })
      .finally(() => running.delete(run));
    running.add(run);
  }

  function StartPipelineExecution(request: SageMakerRequest) {
    const pipeline = validateStart(request, pipelineOf);
    const token = request.ClientRequestToken as string;
    const fingerprint = createHash('sha256')
      .update(JSON.stringify({ ...request, ClientRequestToken: undefined }))
      .digest('hex');
    const previous = byToken.get(token);
    if (previous !== undefined) {
      if (previous.fingerprint !== fingerprint) {
        throw new ServiceError(
          'ValidationException',
          `ClientRequestToken ${token} was already used with different parameters`,
        );
      }
      return { PipelineExecutionArn: previous.execution.executionArn };
    }
    const id = randomBytes(6).toString('hex');
    const pipelineArn = `arn:aws:sagemaker:${settings.region}:${settings.accountId}:pipeline/${pipeline.name.toLowerCase()}`;
    const execution: StartedExecution = {
      pipelineName: pipeline.name,
      executionArn: `${pipelineArn}/execution/${id}`,
      request,
    };
    const now = new Date();
    const record: ExecutionRecord = {
      arn: execution.executionArn,
      id,
      pipelineName: pipeline.name,
      pipelineArn,
      displayName: String(request.PipelineExecutionDisplayName ?? `execution-${now.getTime()}`),
      description: String(request.PipelineExecutionDescription ?? ''),
      parameters: (request.PipelineParameters ?? []) as ExecutionRecord['parameters'],
      creationTime: now,
      lastModifiedTime: now,
      status: 'Executing',
      steps: [],
    };
    byToken.set(token, { fingerprint, execution });
    started.push(execution);
    records.push(record);
    startRun(pipeline, record);
    return { PipelineExecutionArn: execution.executionArn };
  }

  return {
    /** Every execution started, in order, with the request that started it. */
    executions: started,
    /** Every execution, to be given back as `saved` after a restart (JSON). */
    saved: (): SavedExecution[] =>
      started.map((execution) => ({
        record: records.find((record) => record.arn === execution.executionArn) as ExecutionRecord,
        request: execution.request,
        fingerprint: byToken.get(String(execution.request.ClientRequestToken))?.fingerprint ?? '',
      })),
    /** Resolves once no run is walking its steps. */
    idle: async (): Promise<void> => {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
    /** Whether a run is walking its steps. */
    busy: (): boolean => running.size > 0,
    operations: {
      StartPipelineExecution,

      DescribePipelineExecution(request: SageMakerRequest) {
        const record = recordOf(request);
        return {
          PipelineArn: record.pipelineArn,
          PipelineExecutionArn: record.arn,
          PipelineExecutionDisplayName: record.displayName,
          PipelineExecutionStatus: record.status,
          PipelineExecutionDescription: record.description,
          ...(record.failureReason === undefined ? {} : { FailureReason: record.failureReason }),
          CreationTime: epochSeconds(record.creationTime),
          LastModifiedTime: epochSeconds(record.lastModifiedTime),
        };
      },

      ListPipelineExecutions(request: SageMakerRequest) {
        const pipeline = pipelineOf(
          requiredString(request, 'PipelineName', LIMITS.pipelineNameOrArn, 2048),
        );
        const after = optionalTime(request, 'CreatedAfter');
        const before = optionalTime(request, 'CreatedBefore');
        const sortBy =
          optionalEnum(request, 'SortBy', ['CreationTime', 'PipelineExecutionArn']) ??
          'CreationTime';
        // The service documents no default order; newest first is what its console shows.
        const sortOrder =
          optionalEnum(request, 'SortOrder', ['Ascending', 'Descending']) ?? 'Descending';
        const matching = records.filter(
          (record) =>
            record.pipelineName === pipeline.name &&
            (after === undefined || record.creationTime > after) &&
            (before === undefined || record.creationTime < before),
        );
        const sorted = sortRecords(
          matching,
          sortBy === 'CreationTime'
            ? (record) => record.creationTime.getTime()
            : (record) => record.arn,
          sortOrder,
        );
        const { items, nextToken } = page(sorted, request, 50);
        return {
          PipelineExecutionSummaries: items.map((record) => ({
            PipelineExecutionArn: record.arn,
            StartTime: epochSeconds(record.creationTime),
            PipelineExecutionStatus: record.status,
            PipelineExecutionDescription: record.description,
            PipelineExecutionDisplayName: record.displayName,
            ...(record.failureReason === undefined
              ? {}
              : { PipelineExecutionFailureReason: record.failureReason }),
          })),
          ...(nextToken === undefined ? {} : { NextToken: nextToken }),
        };
      },

      ListPipelineExecutionSteps(request: SageMakerRequest) {
        const record = recordOf(request);
        const sortOrder =
          optionalEnum(request, 'SortOrder', ['Ascending', 'Descending']) ?? 'Descending';
        const sorted = sortRecords(record.steps, (step) => step.startTime.getTime(), sortOrder);
        const { items, nextToken } = page(sorted, request, 50);
        return {
          PipelineExecutionSteps: items.map(stepSummary),
          ...(nextToken === undefined ? {} : { NextToken: nextToken }),
        };
      },

      ListPipelineParametersForExecution(request: SageMakerRequest) {
        const record = recordOf(request);
        const { items, nextToken } = page(record.parameters, request, 50);
        return {
          PipelineParameters: items,
          ...(nextToken === undefined ? {} : { NextToken: nextToken }),
        };
      },
    },
  };
}

/**
 * A record read back from JSON: its times as dates again. A run that was still executing when
 * the process died cannot go on: it failed, and says why.
 */
function restoredRecord(saved: ExecutionRecord): ExecutionRecord {
  const time = (value: Date | string) => new Date(value);
  const record: ExecutionRecord = {
    ...saved,
    creationTime: time(saved.creationTime),
    lastModifiedTime: time(saved.lastModifiedTime),
    steps: saved.steps.map((step) => ({
      ...step,
      startTime: time(step.startTime),
      ...(step.endTime === undefined ? {} : { endTime: time(step.endTime) }),
    })),
  };
  if (record.status === 'Executing') {
    record.status = 'Failed';
    record.failureReason = 'The local cloud stopped while this run was executing';
  }
  return record;
}

function sortRecords<T>(
  items: readonly T[],
  key: (item: T) => number | string,
  order: 'Ascending' | 'Descending',
): T[] {
  const direction = order === 'Ascending' ? 1 : -1;
  // Stable for equal keys: the order in which they happened.
  return items
    .map((item, index) => ({ item, index }))
    .sort((left, right) => {
      const [a, b] = [key(left.item), key(right.item)];
      return (a < b ? -1 : a > b ? 1 : left.index - right.index) * direction;
    })
    .map(({ item }) => item);
}

function stepSummary(step: StepRecord) {
  return {
    StepName: step.name,
    ...(step.description === undefined ? {} : { StepDescription: step.description }),
    StartTime: epochSeconds(step.startTime),
    ...(step.endTime === undefined ? {} : { EndTime: epochSeconds(step.endTime) }),
    StepStatus: step.status,
    ...(step.failureReason === undefined ? {} : { FailureReason: step.failureReason }),
    Metadata: step.metadata,
    AttemptCount: 1,
  };
}

function validateStart(
  request: SageMakerRequest,
  pipelineOf: (nameOrArn: string) => LocalPipeline,
): LocalPipeline {
  const name = requiredString(request, 'PipelineName', LIMITS.pipelineNameOrArn, 2048);
  const token = request.ClientRequestToken;
  if (typeof token !== 'string' || token.length < 32 || token.length > 128) {
    throw invalidMember('ClientRequestToken', token, 'Member must have length between 32 and 128');
  }
  const displayName = request.PipelineExecutionDisplayName;
  if (
    displayName !== undefined &&
    (typeof displayName !== 'string' || !LIMITS.displayName.test(displayName))
  ) {
    throw invalidMember(
      'PipelineExecutionDisplayName',
      displayName,
      `Member must satisfy regular expression pattern: ${LIMITS.displayName.source}`,
    );
  }
  const description = request.PipelineExecutionDescription;
  if (description !== undefined && (typeof description !== 'string' || description.length > 3072)) {
    throw invalidMember(
      'PipelineExecutionDescription',
      description,
      'Member must have length less than or equal to 3072',
    );
  }
  const pipeline = pipelineOf(name);
  const parameters = (request.PipelineParameters ?? []) as Array<{
    Name?: unknown;
    Value?: unknown;
  }>;
  if (parameters.length > 200) {
    throw invalidMember(
      'PipelineParameters',
      `${parameters.length} items`,
      'Member must have length less than or equal to 200',
    );
  }
  for (const parameter of parameters) {
    if (typeof parameter.Name !== 'string' || !LIMITS.parameterName.test(parameter.Name)) {
      throw invalidMember(
        'PipelineParameters.member.Name',
        parameter.Name,
        `Member must satisfy regular expression pattern: ${LIMITS.parameterName.source}`,
      );
    }
    if (typeof parameter.Value !== 'string' || parameter.Value.length > 1024) {
      throw invalidMember(
        'PipelineParameters.member.Value',
        parameter.Value,
        'Member must have length less than or equal to 1024',
      );
    }
    if (!pipeline.parameterNames.includes(parameter.Name)) {
      throw new ServiceError(
        'ValidationException',
        `Parameter '${parameter.Name}' is not declared by pipeline '${pipeline.name}'`,
      );
    }
  }
  return pipeline;
}
