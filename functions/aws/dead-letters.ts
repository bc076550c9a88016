import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';

/** A received message: its receive's handle, its body and its string attributes. */
export interface ReceivedDeadLetter {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  readonly attributes: Readonly<Record<string, string>>;
}

// ReceiveMessage returns at most 10 messages a call.
const MAX_PER_RECEIVE = 10;

/**
 * Receives up to `max` messages of a queue (no wait), hidden for `visibilitySeconds` so that one
 * pass sees each message once; with their string message attributes.
 *
 * @example
 * const letters = await receiveDeadLetters(client, dlqUrl, 25, 120);
 */
export async function receiveDeadLetters(
  client: SQSClient,
  queueUrl: string,
  max: number,
  visibilitySeconds: number,
): Promise<ReceivedDeadLetter[]> {
  const letters: ReceivedDeadLetter[] = [];
  while (letters.length < max) {
    const output = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: Math.min(MAX_PER_RECEIVE, max - letters.length),
        VisibilityTimeout: visibilitySeconds,
        WaitTimeSeconds: 0,
        MessageAttributeNames: ['All'],
      }),
    );
    const messages = output.Messages ?? [];
    if (messages.length === 0) break;
    letters.push(
      ...messages.map((message) => ({
        messageId: message.MessageId ?? '',
        receiptHandle: message.ReceiptHandle ?? '',
        body: message.Body ?? '',
        attributes: Object.fromEntries(
          Object.entries(message.MessageAttributes ?? {}).flatMap(([name, value]) =>
            value.StringValue === undefined ? [] : [[name, value.StringValue]],
          ),
        ),
      })),
    );
  }
  return letters;
}

/**
 * Deletes a received message: it was dealt with.
 *
 * @example
 * await deleteDeadLetter(client, dlqUrl, letter.receiptHandle);
 */
export async function deleteDeadLetter(
  client: SQSClient,
  queueUrl: string,
  receiptHandle: string,
): Promise<void> {
  await client.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: receiptHandle }));
}

/**
 * Makes a received message visible again at once: left for a later replay, not hidden until its
 * visibility timeout passes.
 *
 * @example
 * await releaseDeadLetter(client, dlqUrl, letter.receiptHandle);
 */
export async function releaseDeadLetter(
  client: SQSClient,
  queueUrl: string,
  receiptHandle: string,
): Promise<void> {
  await client.send(
    new ChangeMessageVisibilityCommand({
      QueueUrl: queueUrl,
      ReceiptHandle: receiptHandle,
      VisibilityTimeout: 0,
    }),
  );
}
