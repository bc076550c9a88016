import {
  type MessageAttributeValue,
  type SQSClient,
  SendMessageBatchCommand,
} from '@aws-sdk/client-sqs';
import type { QueueMessage } from '../core/upload-redelivery';

// SendMessageBatch takes at most ten entries, and (by the long-standing limit) 256 KiB together.
const MAX_ENTRIES = 10;
const MAX_BATCH_BYTES = 262_144;

/**
 * Sends messages to a queue with SendMessageBatch, ten at a time and all batches at once, and
 * returns, by message id, why those that SQS did not take were refused. Nothing is thrown: the
 * caller keeps each unsent original for redelivery instead.
 *
 * @example
 * const unsent = await sendMessages(sqs, bufferUrl, [handBackMessage(id, body, disposition)], signal);
 */
export async function sendMessages(
  client: SQSClient,
  queueUrl: string,
  messages: readonly QueueMessage[],
  abortSignal: AbortSignal,
): Promise<Map<string, string>> {
  const unsent = new Map<string, string>();
  await Promise.all(
    batchesOf(messages).map(async (batch) => {
      try {
        const output = await client.send(
          new SendMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: batch.map((message, index) => ({
              Id: String(index),
              MessageBody: message.body,
              DelaySeconds: message.delaySeconds,
              MessageAttributes: stringAttributes(message.attributes),
            })),
          }),
          { abortSignal },
        );
        for (const failed of output.Failed ?? []) {
          const message = batch[Number(failed.Id)];
          if (message !== undefined) unsent.set(message.id, `${failed.Code}: ${failed.Message}`);
        }
      } catch (error) {
        const why = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        batch.forEach((message) => unsent.set(message.id, why));
      }
    }),
  );
  return unsent;
}

function batchesOf(messages: readonly QueueMessage[]): QueueMessage[][] {
  const batches: QueueMessage[][] = [];
  let current: QueueMessage[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = sizeOf(message);
    if (current.length === MAX_ENTRIES || (current.length > 0 && bytes + size > MAX_BATCH_BYTES)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(message);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

// SQS counts the body and every attribute's name, type and value.
function sizeOf(message: QueueMessage): number {
  return Object.entries(message.attributes).reduce(
    (total, [name, value]) => total + Buffer.byteLength(name) + Buffer.byteLength(value) + 6,
    Buffer.byteLength(message.body),
  );
}

function stringAttributes(
  attributes: Readonly<Record<string, string>>,
): Record<string, MessageAttributeValue> {
  return Object.fromEntries(
    Object.entries(attributes).map(([name, value]) => [
      name,
      { DataType: 'String', StringValue: value },
    ]),
  );
}
