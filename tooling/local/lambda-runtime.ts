import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ActivityLog } from './activity-log';
import { describeFunctionOutput } from './function-output';
import type { InvokeMessage, WorkerMessage, WorkerSetup } from './lambda-worker';
import type { AsyncInvokeConfig, LocalFunction } from './stack-wiring';

/** A function failed: what Lambda reports as `errorType` and `errorMessage`. */
export class FunctionError extends Error {
  constructor(
    readonly functionName: string,
    readonly errorType: string,
    message: string,
  ) {
    super(message);
    this.name = errorType;
  }
}

export interface LambdaRuntimeOptions {
  readonly functions: readonly LocalFunction[];
  readonly asyncInvokeConfigs: readonly AsyncInvokeConfig[];
  /** Sends the record of an asynchronous invocation that failed for good to its destination. */
  readonly sendToDestination: (destinationArn: string, record: string) => void;
  /** Pauses before Lambda's retries of a failed asynchronous invocation (about 1 and 2 minutes on AWS). */
  readonly retryDelaysMs: readonly number[];
  /** The folder holding a function's unpacked artifact. */
  readonly codeDirectory: (fn: LocalFunction) => string;
  /** What every function's environment gets on top of its own: region, credentials, endpoints. */
  readonly platformEnvironment: Readonly<Record<string, string>>;
  readonly log: ActivityLog;
}

interface ExecutionEnvironment {
  worker: Worker;
  /** Invocations wait for the one before: one environment runs one invocation at a time. */
  queue: Promise<unknown>;
}

const WORKER_BOOTSTRAP = `require(${JSON.stringify(join(__dirname, '..', 'register-ts.js'))});
require(${JSON.stringify(join(__dirname, 'lambda-worker.ts'))});`;

/**
 * Runs the bundled handlers of the stack's functions, each in its own worker thread whose
 * environment is exactly the function's (as the template sets it) plus the platform's, so two
 * functions never see each other's variables and none sees the developer's AWS credentials.
 *
 * @example
 * const lambda = startLambdaRuntime({ functions, codeDirectory, platformEnvironment, log });
 * const output = await lambda.invoke('mlops-control-plane-local-getApprovedModel', { ModelPackageGroupName: 'g' }, 'pipeline step');
 */
export function startLambdaRuntime(options: LambdaRuntimeOptions) {
  const environments = new Map<string, ExecutionEnvironment>();
  /** Invocations under way, asynchronous ones with their retries. */
  const pending = new Set<Promise<unknown>>();
  let nextId = 0;

  function tracked<T>(invocation: Promise<T>): Promise<T> {
    pending.add(invocation);
    void invocation.then(
      () => pending.delete(invocation),
      () => pending.delete(invocation),
    );
    return invocation;
  }

  function find(nameOrArn: string): LocalFunction {
    const fn = options.functions.find(
      (candidate) => candidate.name === nameOrArn || candidate.arn === nameOrArn,
    );
    if (fn === undefined) {
      throw new FunctionError(
        nameOrArn,
        'ResourceNotFoundException',
        `Function not found: ${nameOrArn}`,
      );
    }
    return fn;
  }

  function environmentOf(fn: LocalFunction): ExecutionEnvironment {
    const existing = environments.get(fn.name);
    if (existing !== undefined) return existing;
    const [file, exportName] = splitHandler(fn.handler);
    const setup: WorkerSetup = {
      bundle: join(options.codeDirectory(fn), `${file}.js`),
      exportName,
      functionName: fn.name,
      functionArn: fn.arn,
      memoryMb: fn.memoryMb,
    };
    const worker = new Worker(WORKER_BOOTSTRAP, {
      eval: true,
      workerData: setup,
      env: {
        ...options.platformEnvironment,
        ...fn.environment,
        AWS_LAMBDA_FUNCTION_NAME: fn.name,
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
        AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.name}`,
      },
    });
    // A crashed environment is replaced by a cold one at the next invocation, as Lambda does.
    worker.on('exit', () => retire(fn, worker));
    worker.on('message', (message: WorkerMessage) => {
      if (!('output' in message)) return;
      const line = describeFunctionOutput(message.output);
      if (line !== undefined) options.log('lambda', `${shortName(fn)}: ${line}`);
    });
    const environment = { worker, queue: Promise.resolve() as Promise<unknown> };
    environments.set(fn.name, environment);
    return environment;
  }

  function retire(fn: LocalFunction, worker: Worker): void {
    if (environments.get(fn.name)?.worker === worker) environments.delete(fn.name);
  }

  function runOnce(fn: LocalFunction, event: unknown): Promise<unknown> {
    const { worker } = environmentOf(fn);
    const message: InvokeMessage = {
      id: (nextId += 1),
      event,
      requestId: randomUUID(),
      deadline: Date.now() + fn.timeoutSeconds * 1000,
    };
    return new Promise((resolve, reject) => {
      const settle = (outcome: () => void) => {
        clearTimeout(timer);
        worker.off('message', onReply);
        worker.off('error', onCrash);
        worker.off('exit', onExit);
        outcome();
      };
      const onReply = (reply: WorkerMessage) => {
        if ('output' in reply || reply.id !== message.id) return;
        settle(() =>
          reply.ok
            ? resolve(reply.result)
            : reject(new FunctionError(fn.name, reply.errorType, reply.errorMessage)),
        );
      };
      const onCrash = (error: Error) =>
        settle(() => reject(new FunctionError(fn.name, 'Runtime.ExitError', error.message)));
      const onExit = (code: number) =>
        settle(() =>
          reject(new FunctionError(fn.name, 'Runtime.ExitError', `Runtime exited with ${code}`)),
        );
      const timer = setTimeout(() => {
        settle(() =>
          reject(
            new FunctionError(
              fn.name,
              'Sandbox.Timedout',
              `Task timed out after ${fn.timeoutSeconds}.00 seconds`,
            ),
          ),
        );
        retire(fn, worker);
        void worker.terminate();
      }, fn.timeoutSeconds * 1000);
      worker.on('message', onReply);
      worker.on('error', onCrash);
      worker.on('exit', onExit);
      worker.postMessage(message);
    });
  }

  /**
   * Invokes a function by name or ARN and resolves with its result; a failed invocation rejects
   * with a FunctionError. `trigger` says in the console line what invoked it.
   */
  function invoke(nameOrArn: string, event: unknown, trigger: string): Promise<unknown> {
    return tracked(invokeOnce(nameOrArn, event, trigger));
  }

  async function invokeOnce(nameOrArn: string, event: unknown, trigger: string): Promise<unknown> {
    const fn = find(nameOrArn);
    const environment = environmentOf(fn);
    const run = environment.queue.then(async () => {
      const started = Date.now();
      try {
        const result = await runOnce(fn, event);
        options.log('lambda', `${shortName(fn)} ← ${trigger}: ok (${Date.now() - started} ms)`);
        return result;
      } catch (error) {
        options.log('lambda', `${shortName(fn)} ← ${trigger}: ${String(error)}`);
        throw error;
      }
    });
    environment.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * An asynchronous invocation (EventBridge, SNS): a failure is retried as the function's
   * EventInvokeConfig says (twice by default), then its record goes to the on-failure destination.
   * Resolves with whether an attempt succeeded.
   */
  function invokeAsync(nameOrArn: string, event: unknown, trigger: string): Promise<boolean> {
    return tracked(invokeWithRetries(nameOrArn, event, trigger));
  }

  async function invokeWithRetries(
    nameOrArn: string,
    event: unknown,
    trigger: string,
  ): Promise<boolean> {
    const fn = find(nameOrArn);
    const config = options.asyncInvokeConfigs.find(
      (candidate) => candidate.functionName === fn.name || candidate.functionName === fn.arn,
    );
    const retries = config?.maximumRetryAttempts ?? 2;
    for (let attempt = 1; ; attempt += 1) {
      try {
        await invoke(fn.name, event, attempt === 1 ? trigger : `${trigger}, retry ${attempt - 1}`);
        return true;
      } catch (error) {
        if (attempt > retries) {
          giveUp(fn, config?.onFailureArn, event, error, attempt);
          return false;
        }
        await sleep(options.retryDelaysMs[attempt - 1] ?? 0);
      }
    }
  }

  function giveUp(
    fn: LocalFunction,
    onFailureArn: string | undefined,
    event: unknown,
    error: unknown,
    attempts: number,
  ): void {
    const destination =
      onFailureArn === undefined ? '' : `, record sent to ${onFailureArn.split(':').pop()}`;
    options.log('lambda', `${shortName(fn)}: gave up after ${attempts} attempts${destination}`);
    if (onFailureArn === undefined) return;
    const failure =
      error instanceof FunctionError ? error : new FunctionError(fn.name, 'Error', String(error));
    options.sendToDestination(
      onFailureArn,
      JSON.stringify(failureRecord(fn, event, failure, attempts)),
    );
  }

  return {
    invoke,
    invokeAsync,
    /** Resolves once no invocation is under way (retries of asynchronous ones included). */
    async idle(): Promise<void> {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
    /** Whether an invocation is under way. */
    busy: (): boolean => pending.size > 0,
    async close(): Promise<void> {
      await Promise.all([...environments.values()].map(({ worker }) => worker.terminate()));
      environments.clear();
    },
  };
}

/** The function's name without the `<service>-<stage>-` prefix, for console lines. */
function shortName(fn: LocalFunction): string {
  return fn.logicalId.replace(/LambdaFunction$/, '').replace(/^./, (first) => first.toLowerCase());
}

/** The record Lambda sends to an on-failure destination. */
function failureRecord(
  fn: LocalFunction,
  event: unknown,
  failure: FunctionError,
  attempts: number,
) {
  return {
    version: '1.0',
    timestamp: new Date().toISOString(),
    requestContext: {
      requestId: randomUUID(),
      functionArn: `${fn.arn}:$LATEST`,
      condition: 'RetriesExhausted',
      approximateInvokeCount: attempts,
    },
    requestPayload: event,
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    responsePayload: { errorType: failure.errorType, errorMessage: failure.message },
  };
}

function splitHandler(handler: string): [string, string] {
  const dot = handler.lastIndexOf('.');
  return [handler.slice(0, dot), handler.slice(dot + 1)];
}
