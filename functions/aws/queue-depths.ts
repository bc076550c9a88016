import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** How many messages a queue holds, by SQS's approximate counts, and its ARN. */
export interface QueueDepth {
  readonly queueArn: string;
  /** ApproximateNumberOfMessages: waiting to be received. */
  readonly waiting: number;
  /** ApproximateNumberOfMessagesNotVisible: received, neither deleted nor back yet. */
  readonly inFlight: number;
}

/**
 * A queue's depth (GetQueueAttributes).
 *
 * @example
 * const { waiting } = await readQueueDepth(client, dlqUrl);
 */
export async function readQueueDepth(client: SQSClient, queueUrl: string): Promise<QueueDepth> {
  const output = await client.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: [
        'QueueArn',
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
      ],
    }),
  );
  const attributes = output.Attributes ?? {};
  return {
    queueArn: attributes.QueueArn ?? '',
    waiting: Number(attributes.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
  };
}
