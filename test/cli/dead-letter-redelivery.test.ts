import { redeliveryOf } from '../../functions/cli/dead-letter-redelivery';

const STACK = 'mlops-control-plane-prod';
const FUNCTION_ARN = `arn:aws:lambda:eu-west-1:123456789012:function:${STACK}-onPipelineStatusChange`;
const event = {
  version: '0',
  id: 'e-1',
  'detail-type': 'SageMaker Model Building Pipeline Execution Status Change',
  source: 'aws.sagemaker',
  detail: {},
};
const failureRecord = {
  version: '1.0',
  requestContext: {
    requestId: 'r-1',
    functionArn: `${FUNCTION_ARN}:$LATEST`,
    condition: 'RetriesExhausted',
    approximateInvokeCount: 3,
  },
  requestPayload: event,
  responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
  responsePayload: { errorType: 'Error', errorMessage: 'SNS throttled' },
};
const letter = (body: unknown, attributes: Record<string, string> = {}) => ({
  messageId: 'm-1',
  body: typeof body === 'string' ? body : JSON.stringify(body),
  attributes,
});

describe('what a dead letter of the notifications queue goes back as', () => {
  it("Lambda's failure record: its requestPayload, to the function, unqualified", () => {
    expect(redeliveryOf(letter(failureRecord), STACK)).toEqual({
      kind: 'invoke',
      functionName: `${STACK}-onPipelineStatusChange`,
      event,
      origin: 'Lambda gave up (RetriesExhausted): SNS throttled',
    });
  });

  it('an event EventBridge could not deliver: the event itself, to its TARGET_ARN', () => {
    expect(
      redeliveryOf(
        letter(event, {
          TARGET_ARN: FUNCTION_ARN,
          RULE_ARN: 'arn:aws:events:...',
          ERROR_CODE: 'ResourceNotFoundException',
        }),
        STACK,
      ),
    ).toEqual({
      kind: 'invoke',
      functionName: `${STACK}-onPipelineStatusChange`,
      event,
      origin: 'EventBridge could not deliver it (ResourceNotFoundException)',
    });
  });

  it.each([
    ['a body that is not JSON', letter('{parked'), /not JSON/],
    ['neither kind', letter({ parked: true }), /neither a Lambda failure record/],
    ['an event without its target', letter(event), /neither a Lambda failure record/],
    [
      'an event whose target is a queue',
      letter(event, { TARGET_ARN: 'arn:aws:sqs:eu-west-1:123456789012:x-monitoring.fifo' }),
      /is not a Lambda function/,
    ],
    [
      "another stack's function",
      letter({
        ...failureRecord,
        requestContext: { functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:payroll' },
      }),
      /payroll is not one of stack mlops-control-plane-prod/,
    ],
  ])('%s is left, with the reason', (_, deadLetter, reason) => {
    expect(redeliveryOf(deadLetter, STACK)).toEqual({
      kind: 'leave',
      reason: expect.stringMatching(reason),
    });
  });
});
