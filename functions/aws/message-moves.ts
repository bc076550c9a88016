import {
  GetQueueAttributesCommand,
  ListDeadLetterSourceQueuesCommand,
  ListMessageMoveTasksCommand,
  type SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';

/** A message move task, as ListMessageMoveTasks reports it. */
export interface MessageMove {
  readonly status: string;
  readonly moved: number;
  readonly toMove: number;
  readonly failureReason: string | undefined;
}

/**
 * The ARNs of the queues whose redrive policy dead-letters into this one
 * (ListDeadLetterSourceQueues, then each one's QueueArn).
 *
 * @example
 * await deadLetterSourceArns(client, dlqUrl); // ['arn:aws:sqs:eu-west-1:1:mlops-prod-data-upload-buffer']
 */
export async function deadLetterSourceArns(client: SQSClient, queueUrl: string): Promise<string[]> {
  const output = await client.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: queueUrl }));
  return Promise.all(
    (output.queueUrls ?? []).map(async (url) => {
      const attributes = await client.send(
        new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
      );
      return attributes.Attributes?.QueueArn ?? url;
    }),
  );
}

/**
 * Starts moving a dead-letter queue's messages (StartMessageMoveTask) to `destinationArn`, at most
 * `messagesPerSecond` (1-500; SQS picks a rate when absent). One task runs per queue at a time.
 *
 * @example
 * await startMessageMove(client, dlqArn, bufferArn, 10);
 */
export async function startMessageMove(
  client: SQSClient,
  sourceArn: string,
  destinationArn: string,
  messagesPerSecond: number | undefined,
): Promise<void> {
  await client.send(
    new StartMessageMoveTaskCommand({
      SourceArn: sourceArn,
      DestinationArn: destinationArn,
      ...(messagesPerSecond === undefined
        ? {}
        : { MaxNumberOfMessagesPerSecond: messagesPerSecond }),
    }),
  );
}

/**
 * The newest move task of a queue, or undefined when it never had one.
 *
 * @example
 * const move = await latestMessageMove(client, dlqArn); // { status: 'COMPLETED', moved: 3, ... }
 */
export async function latestMessageMove(
  client: SQSClient,
  sourceArn: string,
): Promise<MessageMove | undefined> {
  const output = await client.send(
    new ListMessageMoveTasksCommand({ SourceArn: sourceArn, MaxResults: 1 }),
  );
  const task = output.Results?.[0];
  return task === undefined
    ? undefined
    : {
        status: task.Status ?? 'unknown',
        moved: task.ApproximateNumberOfMessagesMoved ?? 0,
        toMove: task.ApproximateNumberOfMessagesToMove ?? 0,
        failureReason: task.FailureReason,
      };
}
