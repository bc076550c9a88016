import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import { listenOnLoopback } from './loopback-port';
import { readBody } from './request-body';
import type { LocalFunction } from './stack-wiring';
import { escapeXml } from './xml-text';

export interface LocalStackApiOptions {
  readonly port: number;
  readonly stackName: string;
  readonly region: string;
  readonly accountId: string;
  /** The packaged template's Outputs, resolved. */
  readonly outputs: Readonly<Record<string, string>>;
  readonly functions: readonly LocalFunction[];
  /** Runs a function with an event and resolves with its result, or rejects with its error. */
  readonly invoke: (functionName: string, event: unknown) => Promise<unknown>;
}

/** The identity every local caller has: the local cloud checks no signature. */
export const LOCAL_OPERATOR = 'local-operator';

class StackApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/**
 * What the operator's CLI asks of AWS about the stack itself, on one port: CloudFormation
 * `DescribeStacks` (the packaged template's Outputs) and STS `GetCallerIdentity`, both in the AWS
 * query protocol (form-encoded `Action`, XML replies), and Lambda `GetFunctionConfiguration`
 * (REST-JSON), which holds the deployed routes and schedules in the functions' environment, and
 * Lambda `Invoke`, which replays dead letters.
 *
 * @example
 * const api = await startLocalStackApi({ port: 4581, stackName, region, accountId, outputs, functions, invoke });
 */
export async function startLocalStackApi(options: LocalStackApiOptions) {
  function describeStacks(form: URLSearchParams): string {
    const name = form.get('StackName') ?? options.stackName;
    if (name !== options.stackName) {
      throw new StackApiError('ValidationError', `Stack with id ${name} does not exist`);
    }
    const outputs = Object.entries(options.outputs)
      .map(
        ([key, value]) =>
          `<member><OutputKey>${escapeXml(key)}</OutputKey><OutputValue>${escapeXml(value)}</OutputValue></member>`,
      )
      .join('');
    return `<DescribeStacksResult><Stacks><member><StackName>${options.stackName}</StackName><StackId>arn:aws:cloudformation:${options.region}:${options.accountId}:stack/${options.stackName}/local</StackId><CreationTime>2026-01-01T00:00:00Z</CreationTime><StackStatus>UPDATE_COMPLETE</StackStatus><Outputs>${outputs}</Outputs></member></Stacks></DescribeStacksResult>`;
  }

  function callerIdentity(): string {
    return `<GetCallerIdentityResult><Arn>arn:aws:iam::${options.accountId}:user/${LOCAL_OPERATOR}</Arn><UserId>AIDALOCALOPERATOR</UserId><Account>${options.accountId}</Account></GetCallerIdentityResult>`;
  }

  const queryActions: Record<
    string,
    { namespace: string; run: (form: URLSearchParams) => string }
  > = {
    DescribeStacks: {
      namespace: 'http://cloudformation.amazonaws.com/doc/2010-05-15/',
      run: describeStacks,
    },
    GetCallerIdentity: {
      namespace: 'https://sts.amazonaws.com/doc/2011-06-15/',
      run: callerIdentity,
    },
  };

  function functionConfiguration(nameOrArn: string): unknown {
    const fn = options.functions.find((candidate) =>
      [candidate.name, candidate.arn].includes(nameOrArn.replace(/:(\$LATEST|\d+)$/, '')),
    );
    if (fn === undefined) {
      throw new StackApiError('ResourceNotFoundException', `Function not found: ${nameOrArn}`, 404);
    }
    return {
      FunctionName: fn.name,
      FunctionArn: fn.arn,
      Handler: fn.handler,
      Timeout: fn.timeoutSeconds,
      MemorySize: fn.memoryMb,
      Environment: { Variables: fn.environment },
    };
  }

  /**
   * Lambda Invoke, RequestResponse only (what `mlops replay notifications` asks): the result, or
   * the function's error flagged in X-Amz-Function-Error as Lambda does.
   */
  async function invoke(
    nameOrArn: string,
    request: IncomingMessage,
    body: string,
    response: ServerResponse,
  ): Promise<void> {
    const invocationType = request.headers['x-amz-invocation-type'] ?? 'RequestResponse';
    if (invocationType !== 'RequestResponse') {
      throw new StackApiError(
        'InvalidParameterValueException',
        `InvocationType ${String(invocationType)} is not emulated locally`,
      );
    }
    const fn = functionConfiguration(nameOrArn) as { FunctionName: string };
    try {
      replyJson(response, 200, (await options.invoke(fn.FunctionName, JSON.parse(body))) ?? null);
    } catch (error) {
      response.setHeader('x-amz-function-error', 'Unhandled');
      replyJson(response, 200, {
        errorType: (error as Error).name,
        errorMessage: (error as Error).message,
      });
    }
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const body = await readBody(request);
    const invocation = /^\/2015-03-31\/functions\/([^/]+)\/invocations/.exec(request.url ?? '');
    if (invocation?.[1] !== undefined) {
      try {
        await invoke(decodeURIComponent(invocation[1]), request, body, response);
      } catch (error) {
        const known = asStackApiError(error);
        response.setHeader('x-amzn-errortype', known.code);
        replyJson(response, known.status, { message: known.message });
      }
      return;
    }
    const lambdaPath = /^\/2015-03-31\/functions\/([^/]+)\/configuration/.exec(request.url ?? '');
    if (lambdaPath?.[1] !== undefined) {
      try {
        replyJson(response, 200, functionConfiguration(decodeURIComponent(lambdaPath[1])));
      } catch (error) {
        const known = asStackApiError(error);
        response.setHeader('x-amzn-errortype', known.code);
        replyJson(response, known.status, { message: known.message });
      }
      return;
    }
    const form = new URLSearchParams(body);
    const action = queryActions[form.get('Action') ?? ''];
    try {
      if (action === undefined) {
        throw new StackApiError(
          'InvalidAction',
          `Action ${String(form.get('Action'))} is not emulated locally`,
        );
      }
      const name = form.get('Action');
      replyXml(
        response,
        200,
        `<${name}Response xmlns="${action.namespace}">${action.run(form)}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${name}Response>`,
      );
    } catch (error) {
      const known = asStackApiError(error);
      replyXml(
        response,
        known.status,
        `<ErrorResponse><Error><Type>Sender</Type><Code>${known.code}</Code><Message>${escapeXml(known.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
      );
    }
  }

  const server = createServer((request, response) => void handle(request, response));
  await listenOnLoopback(server, options.port);
  return {
    url: `http://127.0.0.1:${options.port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function asStackApiError(error: unknown): StackApiError {
  return error instanceof StackApiError
    ? error
    : new StackApiError('InternalFailure', String(error), 500);
}

function replyXml(response: ServerResponse, status: number, xml: string): void {
  response.writeHead(status, { 'content-type': 'text/xml' });
  response.end(xml);
}

function replyJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}
