import { createHash, randomBytes } from 'node:crypto';
import {
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
  createServer,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/** A pipeline the local control plane knows, with the parameters its definition declares. */
export interface LocalPipeline {
  readonly name: string;
  readonly parameterNames: readonly string[];
}

export interface StartedExecution {
  readonly pipelineName: string;
  readonly executionArn: string;
  readonly request: Record<string, unknown>;
}

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
}

export const THROTTLING_FAULT: InjectedFault = {
  status: 400,
  type: 'ThrottlingException',
  message: 'Rate exceeded',
};

class ServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const LIMITS = {
  pipelineName: /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}$/,
  displayName: /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,81}$/,
  parameterName: /^[A-Za-z0-9\-_]{1,256}$/,
};

/**
 * A loopback SageMaker control plane speaking the AWS JSON 1.1 protocol, so the unchanged SDK reaches
 * it through AWS_ENDPOINT_URL_SAGEMAKER. It checks StartPipelineExecution against the documented
 * limits and honours ClientRequestToken like the service: the same token and request return the same
 * execution; the same token with a different request is refused.
 *
 * @example
 * const sageMaker = await startLocalSageMaker([{ name: 'training', parameterNames: ['InputDataUrl'] }]);
 * process.env.AWS_ENDPOINT_URL_SAGEMAKER = sageMaker.url;
 */
export async function startLocalSageMaker(
  pipelines: readonly LocalPipeline[],
  region = 'eu-west-1',
) {
  const known = new Map(pipelines.map((pipeline) => [pipeline.name.toLowerCase(), pipeline]));
  const byToken = new Map<string, { fingerprint: string; execution: StartedExecution }>();
  const executions: StartedExecution[] = [];
  const requests: ReceivedRequest[] = [];
  const faults: InjectedFault[] = [];

  function startPipelineExecution(request: Record<string, unknown>): {
    PipelineExecutionArn: string;
  } {
    const pipeline = validate(request, known);
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
    const execution: StartedExecution = {
      pipelineName: pipeline.name,
      executionArn: `arn:aws:sagemaker:${region}:000000000000:pipeline/${pipeline.name.toLowerCase()}/execution/${randomBytes(6).toString('hex')}`,
      request,
    };
    byToken.set(token, { fingerprint, execution });
    executions.push(execution);
    return { PipelineExecutionArn: execution.executionArn };
  }

  const operations: Record<string, (request: Record<string, unknown>) => unknown> = {
    'SageMaker.StartPipelineExecution': startPipelineExecution,
  };

  const server: Server = createServer((request, response) => {
    readJson(request)
      .then((body) => {
        requests.push({
          target: request.headers['x-amz-target'] as string | undefined,
          headers: request.headers,
          body,
        });
        const fault = faults.shift();
        if (fault !== undefined) throw new ServiceError(fault.type, fault.message, fault.status);
        const operation = operations[String(request.headers['x-amz-target'])];
        if (operation === undefined) {
          throw new ServiceError(
            'ValidationException',
            `Operation ${String(request.headers['x-amz-target'])} is not emulated`,
          );
        }
        reply(response, 200, operation(body));
      })
      .catch((error: unknown) => {
        const known = error instanceof ServiceError ? error : undefined;
        reply(response, known?.status ?? 400, {
          __type: known?.type ?? 'ValidationException',
          message: error instanceof Error ? error.message : String(error),
        });
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    executions,
    requests,
    /** The next requests are answered with these faults, in order. */
    injectFaults: (...next: InjectedFault[]) => faults.push(...next),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function validate(
  request: Record<string, unknown>,
  known: ReadonlyMap<string, LocalPipeline>,
): LocalPipeline {
  const name = request.PipelineName;
  if (typeof name !== 'string' || !LIMITS.pipelineName.test(name)) {
    throw new ServiceError(
      'ValidationException',
      `1 validation error detected: Value '${String(name)}' at 'pipelineName' failed to satisfy constraint`,
    );
  }
  const token = request.ClientRequestToken;
  if (typeof token !== 'string' || token.length < 32 || token.length > 128) {
    throw new ServiceError(
      'ValidationException',
      `Value at 'clientRequestToken' must have length between 32 and 128`,
    );
  }
  const displayName = request.PipelineExecutionDisplayName;
  if (
    displayName !== undefined &&
    (typeof displayName !== 'string' || !LIMITS.displayName.test(displayName))
  ) {
    throw new ServiceError(
      'ValidationException',
      `Value '${String(displayName)}' at 'pipelineExecutionDisplayName' failed to satisfy constraint`,
    );
  }
  const description = request.PipelineExecutionDescription;
  if (description !== undefined && (typeof description !== 'string' || description.length > 3072)) {
    throw new ServiceError(
      'ValidationException',
      `Value at 'pipelineExecutionDescription' must have length less than or equal to 3072`,
    );
  }
  const pipeline = known.get(name.toLowerCase());
  if (pipeline === undefined) {
    throw new ServiceError('ResourceNotFound', `Pipeline '${name}' does not exist.`);
  }
  const parameters = (request.PipelineParameters ?? []) as Array<{
    Name?: unknown;
    Value?: unknown;
  }>;
  if (parameters.length > 200) {
    throw new ServiceError(
      'ValidationException',
      `Value at 'pipelineParameters' must have length less than or equal to 200`,
    );
  }
  for (const parameter of parameters) {
    if (typeof parameter.Name !== 'string' || !LIMITS.parameterName.test(parameter.Name)) {
      throw new ServiceError(
        'ValidationException',
        `Pipeline parameter name '${String(parameter.Name)}' failed to satisfy constraint`,
      );
    }
    if (typeof parameter.Value !== 'string' || parameter.Value.length > 1024) {
      throw new ServiceError(
        'ValidationException',
        `Value of pipeline parameter '${parameter.Name}' must have length less than or equal to 1024`,
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

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
  response.end(JSON.stringify(body));
}
