import { SqsFifoPartialProcessorAsync, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';
import { isSqsEvent, parseMessageBody } from '../schemas/sqs-event';

/**
 * A handler of single EventBridge events that also takes them from an SQS FIFO queue (a rule's
 * target, so that decisions of one message group run one at a time): the records of an SQS event
 * are handed over in order, each body parsed as the event it carries. A record that fails goes
 * back to the queue with the later records of its group, which keeps their order; other groups go
 * on. A failed batch of one record fails the invocation. A direct EventBridge event (tests,
 * `serverless invoke local -p events/...`) is handled as it always was.
 *
 * @example
 * export const handler = asLambdaHandler(acceptingSqsDelivery(createOnMonitoringViolationHandler(deps)), { logger, metrics });
 */
export function acceptingSqsDelivery<R>(handle: (event: unknown) => Promise<R>) {
  const processor = new SqsFifoPartialProcessorAsync();
  return async function handleEventOrQueue(event: unknown): Promise<R | SQSBatchResponse> {
    if (!isSqsEvent(event)) return handle(event);
    return processPartialResponse(
      event,
      async (record: SQSRecord) => handle(parseMessageBody(record)),
      processor,
      { skipGroupOnError: true },
    );
  };
}
