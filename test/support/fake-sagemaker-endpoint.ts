import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  readonly target: string | undefined;
  readonly headers: IncomingHttpHeaders;
  readonly body: Record<string, unknown>;
}

export interface ScriptedReply {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/**
 * A loopback HTTP server speaking the AWS JSON 1.1 protocol that SageMaker uses: it records every
 * request and answers from a script, so tests see exactly what the real SDK puts on the wire.
 */
export async function startFakeSageMakerEndpoint(script: ScriptedReply[]) {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests.push({
        target: request.headers['x-amz-target'] as string | undefined,
        headers: request.headers,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
      });
      const reply = script.shift() ?? {
        status: 500,
        body: { __type: 'InternalFailure', message: 'script exhausted' },
      };
      response.writeHead(reply.status, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export const throttlingReply: ScriptedReply = {
  status: 400,
  body: { __type: 'ThrottlingException', message: 'Rate exceeded' },
};

export function startedReply(executionArn: string): ScriptedReply {
  return { status: 200, body: { PipelineExecutionArn: executionArn } };
}
