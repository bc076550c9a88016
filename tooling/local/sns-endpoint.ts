import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { ActivityLog } from './activity-log';
import { matchesEventPattern } from './event-pattern';
import { listenOnLoopback } from './loopback-port';
import { readBody } from './request-body';
import type { LocalSubscription, LocalTopic } from './stack-wiring';
import { escapeXml } from './xml-text';

/** One Publish, as the topic's subscribers receive it. */
export interface PublishedMessage {
  readonly messageId: string;
  readonly topic: LocalTopic;
  readonly subject: string | undefined;
  /** The text for e-mail subscribers: `Message`, or its `email` entry with MessageStructure json. */
  readonly emailText: string;
  readonly message: string;
  readonly attributes: Readonly<Record<string, MessageAttribute>>;
  readonly timestamp: string;
}

interface MessageAttribute {
  readonly DataType: string;
  readonly StringValue?: string;
}

export interface LocalSnsOptions {
  readonly port: number;
  readonly topics: readonly LocalTopic[];
  readonly subscriptions: readonly LocalSubscription[];
  /** Delivers a message to one subscription whose filter policy it passed. */
  readonly deliver: (subscription: LocalSubscription, message: PublishedMessage) => Promise<void>;
  readonly log: ActivityLog;
}

class SnsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

// SNS Publish limits (PublishInput documentation): subject under 100 printable ASCII characters
// without line breaks; message and attributes at most 256 KiB together.
const SUBJECT = /^[\x21-\x7e][\x20-\x7e]{0,98}$/;
const MAX_MESSAGE_BYTES = 262_144;

/**
 * A local SNS speaking the AWS query protocol (form-encoded `Action=Publish`, XML replies), so the
 * unchanged SDK reaches it through AWS_ENDPOINT_URL_SNS. It validates Publish like the service and
 * delivers each message to the stack's subscriptions whose filter policy it passes.
 *
 * @example
 * const sns = await startLocalSns({ port: 4575, topics, subscriptions, deliver, log });
 */
export async function startLocalSns(options: LocalSnsOptions) {
  async function publish(topicArn: string, request: URLSearchParams): Promise<string> {
    const topic = options.topics.find((candidate) => candidate.arn === topicArn);
    if (topic === undefined) throw new SnsError('NotFound', 'Topic does not exist', 404);
    const published = readPublish(topic, request);
    const receivers = options.subscriptions.filter(
      (subscription) => subscription.topicArn === topicArn && passesFilter(subscription, published),
    );
    const category = published.attributes.category?.StringValue;
    options.log(
      'sns',
      `${topic.name}: "${published.subject ?? '(no subject)'}"${category === undefined ? '' : ` [category=${category}]`} → ${
        receivers.map((subscription) => subscription.endpoint).join(', ') || 'no subscriber'
      }`,
    );
    await Promise.all(receivers.map((subscription) => options.deliver(subscription, published)));
    return published.messageId;
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const form = new URLSearchParams(await readBody(request));
    const requestId = randomUUID();
    try {
      const action = form.get('Action');
      if (action !== 'Publish') {
        throw new SnsError('InvalidAction', `Action ${String(action)} is not emulated locally`);
      }
      const messageId = await publish(form.get('TopicArn') ?? form.get('TargetArn') ?? '', form);
      replyXml(
        response,
        200,
        `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>${messageId}</MessageId></PublishResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></PublishResponse>`,
      );
    } catch (error) {
      const known =
        error instanceof SnsError ? error : new SnsError('InternalError', String(error), 500);
      replyXml(
        response,
        known.status,
        `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>${known.status < 500 ? 'Sender' : 'Receiver'}</Type><Code>${known.code}</Code><Message>${escapeXml(known.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
      );
    }
  }

  const server = createServer((request, response) => void handle(request, response));
  await listenOnLoopback(server, options.port);
  return {
    url: `http://127.0.0.1:${options.port}`,
    /** Publishes as an EventBridge target does: the event JSON as the message, no subject. */
    publish: (topicArn: string, message: string) =>
      publish(topicArn, new URLSearchParams({ Message: message })).then(() => undefined),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function readPublish(topic: LocalTopic, form: URLSearchParams): PublishedMessage {
  const message = form.get('Message') ?? '';
  if (message === '') throw new SnsError('InvalidParameter', 'Invalid parameter: Empty message');
  const subject = form.get('Subject') ?? undefined;
  if (subject !== undefined && !SUBJECT.test(subject)) {
    throw new SnsError(
      'InvalidParameter',
      'Invalid parameter: Subject (must be printable ASCII, no line breaks, less than 100 characters)',
    );
  }
  const attributes = readMessageAttributes(form);
  const size =
    Buffer.byteLength(message) +
    Object.entries(attributes).reduce(
      (total, [name, value]) =>
        total +
        Buffer.byteLength(name) +
        Buffer.byteLength(value.DataType) +
        Buffer.byteLength(value.StringValue ?? ''),
      0,
    );
  if (size > MAX_MESSAGE_BYTES) {
    throw new SnsError('InvalidParameter', 'Invalid parameter: Message too long');
  }
  return {
    messageId: randomUUID(),
    topic,
    subject,
    emailText: form.get('MessageStructure') === 'json' ? emailEntry(message) : message,
    message,
    attributes,
    timestamp: new Date().toISOString(),
  };
}

/** With MessageStructure=json, e-mail subscribers get the `email` entry, else `default`. */
function emailEntry(message: string): string {
  let structure: Record<string, unknown>;
  try {
    structure = JSON.parse(message) as Record<string, unknown>;
  } catch {
    throw new SnsError(
      'InvalidParameter',
      'Invalid parameter: Message Structure - JSON message body failed to parse',
    );
  }
  if (typeof structure.default !== 'string') {
    throw new SnsError(
      'InvalidParameter',
      'Invalid parameter: Message Structure - No default entry in JSON message body',
    );
  }
  return typeof structure.email === 'string' ? structure.email : structure.default;
}

/** `MessageAttributes.entry.N.Name` / `.Value.DataType` / `.Value.StringValue`, as the SDK sends them. */
function readMessageAttributes(form: URLSearchParams): Record<string, MessageAttribute> {
  const attributes: Record<string, MessageAttribute> = {};
  for (let index = 1; form.has(`MessageAttributes.entry.${index}.Name`); index += 1) {
    const prefix = `MessageAttributes.entry.${index}`;
    const name = form.get(`${prefix}.Name`) ?? '';
    const dataType = form.get(`${prefix}.Value.DataType`);
    const stringValue = form.get(`${prefix}.Value.StringValue`) ?? undefined;
    if (dataType === null || (dataType.startsWith('String') && stringValue === undefined)) {
      throw new SnsError(
        'ParameterValueInvalid',
        `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${String(dataType)}'.`,
      );
    }
    attributes[name] = {
      DataType: dataType,
      ...(stringValue === undefined ? {} : { StringValue: stringValue }),
    };
  }
  return attributes;
}

/**
 * SNS filter policies match like EventBridge patterns: on the message attributes (String, Number,
 * String.Array values) or, with FilterPolicyScope MessageBody, on the message's JSON.
 */
function passesFilter(subscription: LocalSubscription, message: PublishedMessage): boolean {
  if (subscription.filterPolicy === undefined) return true;
  if (subscription.filterPolicyScope === 'MessageBody') {
    try {
      return matchesEventPattern(subscription.filterPolicy, JSON.parse(message.message));
    } catch {
      return false;
    }
  }
  const values = Object.fromEntries(
    Object.entries(message.attributes).map(([name, attribute]) => [
      name,
      attributeValue(attribute),
    ]),
  );
  return matchesEventPattern(subscription.filterPolicy, values);
}

function attributeValue(attribute: MessageAttribute): unknown {
  if (attribute.DataType.startsWith('Number')) return Number(attribute.StringValue);
  if (attribute.DataType === 'String.Array')
    return JSON.parse(attribute.StringValue ?? '[]') as unknown;
  return attribute.StringValue;
}

function replyXml(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'content-type': 'text/xml' });
  response.end(body);
}
