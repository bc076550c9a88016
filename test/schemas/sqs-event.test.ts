import { InvalidEventError } from '../../functions/errors';
import { isSqsEvent, parseMessageBody } from '../../functions/schemas/sqs-event';

describe('isSqsEvent: a batch of SQS messages, or an event delivered directly', () => {
  it.each<[string, unknown, boolean]>([
    ['records from SQS', { Records: [{ eventSource: 'aws:sqs', body: '{}' }] }, true],
    ['an S3 notification, which has Records too', { Records: [{ eventSource: 'aws:s3' }] }, false],
    ['no records', { Records: [] }, false],
    ['an EventBridge event', { id: 'e', 'detail-type': 'Object Created' }, false],
    ['null', null, false],
  ])('%s', (_what, event, expected) => {
    expect(isSqsEvent(event)).toBe(expected);
  });
});

describe('parseMessageBody', () => {
  it('returns the event a message carries', () => {
    expect(parseMessageBody({ messageId: 'm-1', body: '{"id":"e"}' })).toEqual({ id: 'e' });
  });

  it('refuses a body that is not JSON, naming the message', () => {
    const parse = () => parseMessageBody({ messageId: 'm-2', body: '{' });
    expect(parse).toThrow(InvalidEventError);
    expect(parse).toThrow('Message m-2: body is not JSON');
  });
});
