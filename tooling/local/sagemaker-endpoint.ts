import {
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
  createServer,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AwsEvent } from './event-bus';
import { type ModelPackage, localModelRegistry } from './local-model-registry';
import { listenOnLoopback } from './loopback-port';
import { readBody } from './request-body';
import { type LocalPipeline, type SavedExecution, pipelineExecutions } from './pipeline-executions';
import type { ExecutionRecord } from './pipeline-run';
import type { Scenario } from './scenario';
import { type SageMakerRequest, ServiceError } from './sagemaker-request';
import { seededRandom } from './seeded-random';

export type { LocalPipeline, StartedExecution } from './pipeline-executions';

/** A request as it arrived on the wire, for tests that assert what the SDK sent. */
export interface ReceivedRequest {
  readonly target: string | undefined;
  readonly headers: IncomingHttpHeaders;
  readonly body: Record<string, unknown>;
}

/** An error reply served instead of the next request's answer (throttling, a 5xx). */
export interface InjectedFault {
  readonly status: number;
  readonly type: string;
  readonly message: string;
  /** Only a request of this operation (`StartPipelineExecution`) gets the fault. */
  readonly operation?: string;
}

/**
 * The request is served (a run it starts does start) but its reply leaves only after `stallMs`:
 * the hung call whose effect happened anyway, which only a client timeout ends.
 */
export interface InjectedStall {
  readonly stallMs: number;
  readonly operation?: string;
}

/**
 * Faults drawn at random for every request of `operation`, each with its probability; the seed
 * makes the sequence of draws repeat from run to run.
 */
export interface RandomFaults {
  readonly operation: string;
  readonly seed: number;
  readonly faults: ReadonlyArray<{
    readonly probability: number;
    readonly fault: InjectedFault | InjectedStall;
  }>;
}

/**
 * The service's own rate limit: a token bucket of `burst` requests refilled at `perSecond`; a
 * request of `operation` that finds it empty is throttled, as an account's API limit does.
 */
export interface RateLimit {
  readonly operation: string;
  readonly perSecond: number;
  readonly burst: number;
}

export const THROTTLING_FAULT: InjectedFault = {
  status: 400,
  type: 'ThrottlingException',
  message: 'Rate exceeded',
};

export const INTERNAL_FAILURE_FAULT: InjectedFault = {
  status: 500,
  type: 'InternalFailure',
  message: 'We encountered an internal error. Please try again.',
};

/** How executions walk their pipeline definition (without it they are only recorded). */
export interface LocalPipelineRuns {
  readonly scenario: Scenario;
  readonly invokeLambda: (functionArn: string, payload: unknown) => Promise<unknown>;
  readonly putObject: (s3Uri: string, body: string) => Promise<void>;
  readonly onRunError: (execution: ExecutionRecord, error: unknown) => void;
}

export interface LocalSageMakerOptions {
  readonly region?: string;
  readonly accountId?: string;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  readonly modelPackageGroups?: readonly string[];
  /** Receives the events SageMaker sends to EventBridge (status changes, model package states). */
  readonly emit?: (event: AwsEvent) => void;
  readonly runs?: LocalPipelineRuns;
  /** Executions and model versions of an earlier session, as `saved()` returned them. */
  readonly saved?: SavedSageMaker;
}

/** What the local SageMaker keeps across restarts, as JSON. */
export interface SavedSageMaker {
  readonly executions: readonly SavedExecution[];
  readonly modelPackages: readonly ModelPackage[];
}

/**
 * A loopback SageMaker control plane speaking the AWS JSON 1.1 protocol, so the unchanged SDK reaches
 * it through AWS_ENDPOINT_URL_SAGEMAKER. It serves the operations this product uses: pipeline
 * executions (start, describe, list, steps, parameters) and the model registry (list, describe,
 * update). With `runs`, a started execution walks its definition and emits the events SageMaker
 * sends. Tests can inject faults (error replies, stalled replies, or seeded random ones) and read
 * every request received.
 *
 * @example
 * const sageMaker = await startLocalSageMaker([{ name: 'training', parameterNames: ['InputDataUrl'] }]);
 * process.env.AWS_ENDPOINT_URL_SAGEMAKER = sageMaker.url;
 */
export async function startLocalSageMaker(
  pipelines: readonly LocalPipeline[],
  options: LocalSageMakerOptions = {},
) {
  const region = options.region ?? 'eu-west-1';
  const accountId = options.accountId ?? '000000000000';
  const emit = options.emit ?? (() => undefined);
  const requests: ReceivedRequest[] = [];
  const faults: Array<InjectedFault | InjectedStall> = [];
  let randomFaults: ((target: string) => InjectedFault | InjectedStall | undefined) | undefined;
  let rateLimited: ((target: string) => boolean) | undefined;
  const registry = localModelRegistry({
    groups: options.modelPackageGroups ?? [],
    region,
    accountId,
    emit,
    ...(options.saved === undefined ? {} : { saved: options.saved.modelPackages }),
  });
  const runs = options.runs;
  const executions = pipelineExecutions(pipelines, {
    region,
    accountId,
    ...(options.saved === undefined ? {} : { saved: options.saved.executions }),
    ...(runs === undefined
      ? {}
      : {
          runtime: {
            scenario: runs.scenario,
            onRunError: runs.onRunError,
            hooks: {
              region,
              accountId,
              emit,
              invokeLambda: runs.invokeLambda,
              putObject: runs.putObject,
              registerModel: registry.register,
            },
          },
        }),
  });

  const operations: Record<string, (request: SageMakerRequest) => unknown> = Object.fromEntries(
    Object.entries({ ...executions.operations, ...registry.operations }).map(
      ([name, operation]) => [`SageMaker.${name}`, operation],
    ),
  );

  function nextFault(target: string): InjectedFault | InjectedStall | undefined {
    const index = faults.findIndex(
      (fault) => fault.operation === undefined || `SageMaker.${fault.operation}` === target,
    );
    if (index !== -1) return faults.splice(index, 1)[0];
    if (rateLimited?.(target) === true) return THROTTLING_FAULT;
    return randomFaults?.(target);
  }

  async function serve(target: string, body: Record<string, unknown>): Promise<unknown> {
    const fault = nextFault(target);
    if (fault !== undefined && 'status' in fault) {
      throw new ServiceError(fault.type, fault.message, fault.status);
    }
    const operation = operations[target];
    if (operation === undefined) {
      throw new ServiceError('ValidationException', `Operation ${target} is not emulated`);
    }
    const answer = operation(body);
    if (fault !== undefined) await sleep(fault.stallMs, undefined, { ref: false });
    return answer;
  }

  const server = createServer((request, response) => {
    readJson(request)
      .then((body) => {
        requests.push({
          target: request.headers['x-amz-target'] as string | undefined,
          headers: request.headers,
          body,
        });
        return serve(String(request.headers['x-amz-target']), body);
      })
      .then((answer) => reply(response, 200, answer))
      .catch((error: unknown) => {
        const known = error instanceof ServiceError ? error : undefined;
        reply(response, known?.status ?? 400, {
          __type: known?.type ?? 'ValidationException',
          message: error instanceof Error ? error.message : String(error),
        });
      });
  });
  await listenOnLoopback(server, options.port ?? 0);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    executions: executions.executions,
    requests,
    /** Resolves once no execution is walking its steps. */
    idle: executions.idle,
    /** Whether an execution is walking its steps. */
    busy: executions.busy,
    /** The next requests (of a fault's operation, if it names one) get these faults, in order. */
    injectFaults: (...next: Array<InjectedFault | InjectedStall>) => faults.push(...next),
    /** From now on every request of the operation draws its fault (or none) at random. */
    injectRandomFaults: (spec: RandomFaults) => {
      const random = seededRandom(spec.seed);
      randomFaults = (target) => {
        if (target !== `SageMaker.${spec.operation}`) return undefined;
        let draw = random();
        for (const { probability, fault } of spec.faults) {
          if (draw < probability) return fault;
          draw -= probability;
        }
        return undefined;
      };
    },
    /** From now on requests of the operation beyond the rate are throttled. */
    limitRate: (limit: RateLimit) => {
      let tokens = limit.burst;
      let refilledAt = performance.now();
      rateLimited = (target) => {
        if (target !== `SageMaker.${limit.operation}`) return false;
        const now = performance.now();
        tokens = Math.min(limit.burst, tokens + ((now - refilledAt) / 1000) * limit.perSecond);
        refilledAt = now;
        if (tokens < 1) return true;
        tokens -= 1;
        return false;
      };
    },
    /** Registers a model version as a pipeline's RegisterModel step would. */
    registerModelVersion: registry.register,
    /** Executions and model versions, to be given back as `saved` after a restart (JSON). */
    saved: (): SavedSageMaker => ({
      executions: executions.saved(),
      modelPackages: registry.saved(),
    }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // A stalled reply must not keep the server open until it leaves.
        server.closeAllConnections();
      }),
  };
}

export type LocalSageMaker = Awaited<ReturnType<typeof startLocalSageMaker>>;

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  return JSON.parse(await readBody(request)) as Record<string, unknown>;
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  // The client gave up on a stalled call: there is no one left to answer.
  if (response.destroyed) return;
  response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
  response.end(JSON.stringify(body));
}
