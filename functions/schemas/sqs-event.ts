import type { SQSEvent } from 'aws-lambda';
import { InvalidEventError } from '../errors';

/**
 * Whether an invocation's event is a batch of SQS messages, told apart from an event delivered
 * directly (EventBridge, `serverless invoke local`) before either is validated.
 *
 * @example
 * if (isSqsEvent(event)) return handleBatch(event);
 */
export function isSqsEvent(event: unknown): event is SQSEvent {
  const records = (event as { Records?: unknown } | null)?.Records;
  return (
    Array.isArray(records) &&
    (records[0] as { eventSource?: unknown } | undefined)?.eventSource === 'aws:sqs'
  );
}

/**
 * The event a message carries in its body; a body that is not JSON refuses the message with its id.
 *
 * @example
 * const event = parseMessageBody(record); // throws InvalidEventError 'Message m-1: body is not JSON'
 */
export function parseMessageBody(message: {
  readonly messageId: string;
  readonly body: string;
}): unknown {
  try {
    return JSON.parse(message.body);
  } catch (error) {
    throw new InvalidEventError(`Message ${message.messageId}: body is not JSON`, {
      cause: error,
    });
  }
}
