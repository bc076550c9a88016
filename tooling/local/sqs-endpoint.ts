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

/** A message handed to a receiver: its receive's handle, its body and string attributes. */
export interface ReceivedMessage {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly receiveCount: number;
  readonly sentTimestamp: number;
}

/** What the operator's calls (depths, replays) need of the stack's queues. */
export interface QueueAdministration {
  /** The ARN of the queue a URL names, or undefined. */
  readonly arnOf: (queueUrl: string) => string | undefined;
  readonly urlOf: (queueArn: string) => string;
  readonly counts: (queueArn: string) => { visible: number; inFlight: number; delayed: number };
  /** The queues whose redrive policy names this one as their dead-letter queue. */
  readonly deadLetterSources: (queueArn: string) => string[];
  readonly receive: (queueArn: string, max: number, visibilitySeconds: number) => ReceivedMessage[];
  readonly delete: (queueArn: string, receiptHandle: string) => boolean;
  readonly changeVisibility: (queueArn: string, receiptHandle: string, seconds: number) => boolean;
  readonly startMoveTask: (request: Record<string, unknown>) => string;
  readonly listMoveTasks: (request: Record<string, unknown>) => unknown[];
}

export interface LocalSqsOptions {
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** Puts a message on the queue the URL names; false when there is no such queue. */
  readonly accept: (queueUrl: string, message: SentMessage) => boolean;
  /** The calls beyond sending; refused as not emulated when absent. */
  readonly administration?: QueueAdministration;
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
// 15 minutes, a body of at least one character. ReceiveMessage: 1-10 messages, a visibility
// timeout of at most 12 hours.
const MAX_ENTRIES = 10;
const MAX_DELAY_SECONDS = 900;
const MAX_VISIBILITY_SECONDS = 43_200;

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
    ...(options.administration === undefined
      ? {}
      : administrationOperations(options.administration)),
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

/**
 * GetQueueAttributes (the counts and the ARN), ListDeadLetterSourceQueues, ReceiveMessage,
 * DeleteMessage, ChangeMessageVisibility, StartMessageMoveTask and ListMessageMoveTasks, in their
 * JSON shapes.
 */
function administrationOperations(
  queues: QueueAdministration,
): Record<string, (request: Record<string, unknown>) => unknown> {
  const queueOf = (request: Record<string, unknown>): string => {
    const arn = queues.arnOf(String(request.QueueUrl));
    if (arn === undefined) {
      throw new SqsError(
        'QueueDoesNotExist',
        `The specified queue does not exist: ${String(request.QueueUrl)}`,
      );
    }
    return arn;
  };
  const moveTask = (run: () => unknown) => {
    try {
      return run();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      throw new SqsError(
        typeof code === 'string' ? code : 'InternalError',
        String((error as Error).message),
      );
    }
  };
  return {
    'AmazonSQS.GetQueueAttributes': (request) => {
      const arn = queueOf(request);
      const counts = queues.counts(arn);
      const all: Record<string, string> = {
        QueueArn: arn,
        ApproximateNumberOfMessages: String(counts.visible),
        ApproximateNumberOfMessagesNotVisible: String(counts.inFlight),
        ApproximateNumberOfMessagesDelayed: String(counts.delayed),
      };
      const names = Array.isArray(request.AttributeNames) ? request.AttributeNames.map(String) : [];
      const wanted = names.includes('All') ? Object.keys(all) : names;
      return {
        Attributes: Object.fromEntries(
          Object.entries(all).filter(([name]) => wanted.includes(name)),
        ),
      };
    },
    'AmazonSQS.ListDeadLetterSourceQueues': (request) => ({
      queueUrls: queues.deadLetterSources(queueOf(request)).map(queues.urlOf),
    }),
    'AmazonSQS.ReceiveMessage': (request) => {
      const arn = queueOf(request);
      const max = Number(request.MaxNumberOfMessages ?? 1);
      const visibility = Number(request.VisibilityTimeout ?? 30);
      if (!Number.isInteger(max) || max < 1 || max > MAX_ENTRIES) {
        throw new SqsError(
          'InvalidParameterValue',
          `MaxNumberOfMessages must be from 1 to ${MAX_ENTRIES}`,
        );
      }
      if (!Number.isInteger(visibility) || visibility < 0 || visibility > MAX_VISIBILITY_SECONDS) {
        throw new SqsError(
          'InvalidParameterValue',
          `VisibilityTimeout must be from 0 to ${MAX_VISIBILITY_SECONDS}`,
        );
      }
      return {
        Messages: queues.receive(arn, max, visibility).map((message) => ({
          MessageId: message.messageId,
          ReceiptHandle: message.receiptHandle,
          MD5OfBody: createHash('md5').update(message.body).digest('hex'),
          Body: message.body,
          Attributes: {
            ApproximateReceiveCount: String(message.receiveCount),
            SentTimestamp: String(message.sentTimestamp),
          },
          MessageAttributes: Object.fromEntries(
            Object.entries(message.attributes).map(([name, value]) => [
              name,
              { DataType: 'String', StringValue: value },
            ]),
          ),
        })),
      };
    },
    'AmazonSQS.DeleteMessage': (request) => {
      if (!queues.delete(queueOf(request), String(request.ReceiptHandle))) {
        throw invalidReceipt(request);
      }
      return {};
    },
    'AmazonSQS.ChangeMessageVisibility': (request) => {
      const seconds = Number(request.VisibilityTimeout);
      if (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_VISIBILITY_SECONDS) {
        throw new SqsError(
          'InvalidParameterValue',
          `VisibilityTimeout must be from 0 to ${MAX_VISIBILITY_SECONDS}`,
        );
      }
      if (!queues.changeVisibility(queueOf(request), String(request.ReceiptHandle), seconds)) {
        throw invalidReceipt(request);
      }
      return {};
    },
    'AmazonSQS.StartMessageMoveTask': (request) => ({
      TaskHandle: moveTask(() => queues.startMoveTask(request)),
    }),
    'AmazonSQS.ListMessageMoveTasks': (request) => ({
      Results: moveTask(() => queues.listMoveTasks(request)),
    }),
  };
}

function invalidReceipt(request: Record<string, unknown>): SqsError {
  return new SqsError(
    'ReceiptHandleIsInvalid',
    `The receipt handle ${String(request.ReceiptHandle)} is not valid`,
  );
}

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
