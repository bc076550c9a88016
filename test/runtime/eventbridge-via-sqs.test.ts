import { acceptingSqsDelivery } from '../../functions/runtime/eventbridge-via-sqs';

const event = (id: string) => ({ id, 'detail-type': 'x', source: 'aws.sagemaker', detail: {} });

function sqsRecord(messageId: string, body: string, group: string) {
  return {
    messageId,
    receiptHandle: `r-${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1795400500000',
      SenderId: 'AIDAIENQZJOLO23YVJ4VO',
      ApproximateFirstReceiveTimestamp: '1795400500000',
      MessageGroupId: group,
      MessageDeduplicationId: `d-${messageId}`,
      SequenceNumber: '1',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:svc-dev-monitoring.fifo',
    awsRegion: 'eu-west-1',
  };
}

describe('acceptingSqsDelivery: EventBridge events directly or from a FIFO queue', () => {
  it('hands a direct event over as it is and returns what the handler returns', async () => {
    const handle = jest.fn(async () => ({ outcome: 'started' }));
    await expect(acceptingSqsDelivery(handle)(event('e1'))).resolves.toEqual({
      outcome: 'started',
    });
    expect(handle).toHaveBeenCalledWith(event('e1'));
  });

  it('unwraps each record in order and reports no failure when all succeed', async () => {
    const seen: unknown[] = [];
    const handler = acceptingSqsDelivery(async (received) => {
      seen.push(received);
    });
    const records = [
      sqsRecord('m1', JSON.stringify(event('e1')), 'training-hpo'),
      sqsRecord('m2', JSON.stringify(event('e2')), 'training'),
    ];
    await expect(handler({ Records: records })).resolves.toEqual({ batchItemFailures: [] });
    expect(seen).toEqual([event('e1'), event('e2')]);
  });

  it('a failure returns the record and the later ones of its group; other groups go on', async () => {
    const seen: string[] = [];
    const handler = acceptingSqsDelivery(async (received) => {
      const { id } = received as { id: string };
      seen.push(id);
      if (id === 'e1') throw new Error('SageMaker throttled');
    });
    const records = [
      sqsRecord('m1', JSON.stringify(event('e1')), 'training-hpo'),
      sqsRecord('m2', JSON.stringify(event('e2')), 'training'),
      sqsRecord('m3', JSON.stringify(event('e3')), 'training-hpo'),
    ];
    await expect(handler({ Records: records })).resolves.toEqual({
      batchItemFailures: [{ itemIdentifier: 'm1' }, { itemIdentifier: 'm3' }],
    });
    expect(seen).toEqual(['e1', 'e2']);
  });

  it('a batch of one that fails fails the invocation (Lambda retries the message)', async () => {
    const handler = acceptingSqsDelivery(async () => {
      throw new Error('SageMaker throttled');
    });
    await expect(
      handler({ Records: [sqsRecord('m1', JSON.stringify(event('e1')), 'training-hpo')] }),
    ).rejects.toThrow();
  });

  it('a body that is not JSON fails its record only', async () => {
    const handle = jest.fn(async () => undefined);
    const handler = acceptingSqsDelivery(handle);
    const records = [
      sqsRecord('m1', 'not json', 'training'),
      sqsRecord('m2', JSON.stringify(event('e2')), 'model-monitor'),
    ];
    await expect(handler({ Records: records })).resolves.toEqual({
      batchItemFailures: [{ itemIdentifier: 'm1' }],
    });
    expect(handle).toHaveBeenCalledTimes(1);
  });
});
