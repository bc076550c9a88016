// The inside of one local Lambda execution environment: a worker thread whose process.env is the
// function's own environment, that loads the bundled handler once (the cold start) and runs one
// invocation at a time with a Lambda-like context.
import { parentPort, workerData } from 'node:worker_threads';

export interface WorkerSetup {
  readonly bundle: string;
  readonly exportName: string;
  readonly functionName: string;
  readonly functionArn: string;
  readonly memoryMb: number;
}

export interface InvokeMessage {
  readonly id: number;
  readonly event: unknown;
  readonly requestId: string;
  readonly deadline: number;
}

export type InvokeReply =
  | { readonly id: number; readonly ok: true; readonly result: unknown }
  | {
      readonly id: number;
      readonly ok: false;
      readonly errorType: string;
      readonly errorMessage: string;
    };

/** A line the function printed (a log record, a warning). */
export interface OutputLine {
  readonly output: string;
}

export type WorkerMessage = InvokeReply | OutputLine;

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

const setup = workerData as WorkerSetup;

// What the function prints goes to the parent line by line, on the port its replies take, so the
// activity log shows each line with the function's name and before the invocation's result.
for (const stream of [process.stdout, process.stderr]) {
  let pending = '';
  stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    pending += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const output of lines) parentPort?.postMessage({ output } satisfies OutputLine);
    const callback = rest.find((argument) => typeof argument === 'function') as
      (() => void) | undefined;
    callback?.();
    return true;
  }) as typeof stream.write;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports -- bundles are CommonJS, loaded at run time
const handler = (require(setup.bundle) as Record<string, Handler>)[setup.exportName];

function lambdaContext(message: InvokeMessage) {
  return {
    functionName: setup.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: setup.functionArn,
    memoryLimitInMB: String(setup.memoryMb),
    awsRequestId: message.requestId,
    logGroupName: `/aws/lambda/${setup.functionName}`,
    logStreamName: `local/[$LATEST]${message.requestId}`,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, message.deadline - Date.now()),
  };
}

async function invoke(message: InvokeMessage): Promise<InvokeReply> {
  try {
    if (handler === undefined) {
      throw new Error(`${setup.bundle} exports no function ${setup.exportName}`);
    }
    return {
      id: message.id,
      ok: true,
      result: await handler(message.event, lambdaContext(message)),
    };
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    return { id: message.id, ok: false, errorType: failure.name, errorMessage: failure.message };
  }
}

parentPort?.on('message', (message: InvokeMessage) => {
  void invoke(message).then((reply) => parentPort?.postMessage(reply));
});
