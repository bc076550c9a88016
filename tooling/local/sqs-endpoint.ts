import { createHash, randomUUID } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listenOnLoopback } from './loopback-port';
import { readBody } from './request-body';

/** A message a function sent, as the queue takes it. */
export interface SentMessage {
  readonly body: string;
  readonly delaySeconds: number;
  /** String attributes by name (the only kind this project sends). */
  readonly attributes: Readonly<Record<string, string>>;
}

export interface LocalSqsOptions {
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** Puts a message on the queue the URL names; false when there is no such queue. */
  readonly accept: (queueUrl: string, message: SentMessage) => boolean;
}

class SqsError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface BatchEntry {
  readonly Id?: unknown;
  readonly MessageBody?: unknown;
  readonly DelaySeconds?: unknown;
  readonly MessageAttributes?: Record<string, { DataType?: string; StringValue?: string }>;
}

// SQS limits (SendMessageBatch documentation): 1-10 entries with distinct ids, a delay of at most
// 15 minutes, a body of at least one character.
const MAX_ENTRIES = 10;
const MAX_DELAY_SECONDS = 900;

/**
 * A local SQS speaking the AWS JSON 1.0 protocol for SendMessage and SendMessageBatch, so the
 * unchanged SDK reaches it through AWS_ENDPOINT_URL_SQS. Entries are validated like the service
 * (a bad one fails alone, in `Failed`), and the body's MD5 is returned, which the SDK checks.
 *
 * @example
 * const sqs = await startLocalSqs({ accept: (url, message) => queues.sendToUrl(url, message) });
 * process.env.AWS_ENDPOINT_URL_SQS = sqs.url;
 */
export async function startLocalSqs(options: LocalSqsOptions) {
  const received: Array<{ readonly queueUrl: string; readonly message: SentMessage }> = [];

  function sendBatch(request: { QueueUrl?: unknown; Entries?: unknown }) {
    const queueUrl = String(request.QueueUrl);
    const entries = Array.isArray(request.Entries) ? (request.Entries as BatchEntry[]) : [];
    if (entries.length === 0) throw new SqsError('EmptyBatchRequest', 'No entries in the batch');
    if (entries.length > MAX_ENTRIES) {
      throw new SqsError('TooManyEntriesInBatchRequest', `At most ${MAX_ENTRIES} entries`);
    }
    if (new Set(entries.map((entry) => entry.Id)).size !== entries.length) {
      throw new SqsError('BatchEntryIdsNotDistinct', 'Two entries have the same Id');
    }
    const successful: unknown[] = [];
    const failed: unknown[] = [];
    for (const entry of entries) {
      const problem = entryProblem(entry);
      if (problem !== undefined) {
        failed.push({
          Id: entry.Id,
          SenderFault: true,
          Code: 'InvalidParameterValue',
          Message: problem,
        });
        continue;
      }
      successful.push({ Id: entry.Id, ...send(queueUrl, entry) });
    }
    return { Successful: successful, Failed: failed };
  }

  function send(queueUrl: string, entry: BatchEntry) {
    const message: SentMessage = {
      body: String(entry.MessageBody),
      delaySeconds: Number(entry.DelaySeconds ?? 0),
      attributes: Object.fromEntries(
        Object.entries(entry.MessageAttributes ?? {}).map(([name, value]) => [
          name,
          String(value.StringValue),
        ]),
      ),
    };
    if (!options.accept(queueUrl, message)) {
      throw new SqsError('QueueDoesNotExist', `The specified queue does not exist: ${queueUrl}`);
    }
    received.push({ queueUrl, message });
    return {
      MessageId: randomUUID(),
      MD5OfMessageBody: createHash('md5').update(message.body).digest('hex'),
    };
  }

  const operations: Record<string, (request: Record<string, unknown>) => unknown> = {
    'AmazonSQS.SendMessageBatch': sendBatch,
    'AmazonSQS.SendMessage': (request) => {
      const problem = entryProblem(request);
      if (problem !== undefined) throw new SqsError('InvalidParameterValue', problem);
      return send(String(request.QueueUrl), request);
    },
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      const operation = operations[String(request.headers['x-amz-target'])];
      if (operation === undefined) {
        throw new SqsError(
          'UnsupportedOperation',
          `${String(request.headers['x-amz-target'])} is not emulated`,
        );
      }
      reply(response, 200, operation(JSON.parse(await readBody(request))));
    } catch (error) {
      const known =
        error instanceof SqsError ? error : new SqsError('InternalError', String(error));
      reply(response, 400, { __type: `com.amazonaws.sqs#${known.code}`, message: known.message });
    }
  }

  const server = createServer((request, response) => void handle(request, response));
  await listenOnLoopback(server, options.port ?? 0);
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** Every message taken, in order, with the queue it went to. */
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type LocalSqs = Awaited<ReturnType<typeof startLocalSqs>>;

function entryProblem(entry: BatchEntry): string | undefined {
  if (typeof entry.MessageBody !== 'string' || entry.MessageBody === '') {
    return 'The message body must be at least one character';
  }
  const delay = entry.DelaySeconds ?? 0;
  if (
    typeof delay !== 'number' ||
    !Number.isInteger(delay) ||
    delay < 0 ||
    delay > MAX_DELAY_SECONDS
  ) {
    return `DelaySeconds must be between 0 and ${MAX_DELAY_SECONDS}`;
  }
  return undefined;
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
  response.end(JSON.stringify(body));
}
