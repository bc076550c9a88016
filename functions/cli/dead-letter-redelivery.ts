/** A message of the notifications dead-letter queue, as ReceiveMessage hands it over. */
export interface DeadLetter {
  readonly messageId: string;
  readonly body: string;
  /** String message attributes (EventBridge's RULE_ARN, TARGET_ARN, ERROR_CODE, ...). */
  readonly attributes: Readonly<Record<string, string>>;
}

/** What to do with a dead letter: hand its original event to a function again, or leave it. */
export type Redelivery =
  | {
      readonly kind: 'invoke';
      readonly functionName: string;
      readonly event: unknown;
      /** Where the dead letter came from, in words. */
      readonly origin: string;
    }
  | { readonly kind: 'leave'; readonly reason: string };

const FUNCTION_ARN =
  /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:([A-Za-z0-9_-]+)(:[^:]+)?$/;

/**
 * What a dead letter of the notifications queue holds, and how its original event goes back.
 * Two kinds arrive there (tooling/declarations: invokedByRules): Lambda's on-failure record of an
 * asynchronous invocation that failed after its retries (`requestContext.functionArn`, the event
 * in `requestPayload`), and an event EventBridge could not deliver (the event itself as the body,
 * its target in the TARGET_ARN attribute). Either goes back to the function it was meant for,
 * with its own id, so the function's tokens and the ledger's e-mail records recognise a delivery
 * they already acted on. Only this stack's functions (`<stack>-...`) are invoked.
 *
 * @example
 * redeliveryOf({ messageId, body: JSON.stringify(failureRecord), attributes: {} }, 'mlops-control-plane-prod');
 * // { kind: 'invoke', functionName: 'mlops-control-plane-prod-onPipelineStatusChange', event, origin }
 */
export function redeliveryOf(letter: DeadLetter, stackName: string): Redelivery {
  let body: unknown;
  try {
    body = JSON.parse(letter.body);
  } catch {
    return { kind: 'leave', reason: 'its body is not JSON: neither a failure record nor an event' };
  }
  const record = body as {
    requestContext?: { functionArn?: unknown; condition?: unknown };
    requestPayload?: unknown;
    responsePayload?: { errorMessage?: unknown };
  };
  if (
    typeof record.requestContext?.functionArn === 'string' &&
    'requestPayload' in (body as object)
  ) {
    return toFunction(
      record.requestContext.functionArn,
      record.requestPayload,
      `Lambda gave up (${String(record.requestContext.condition ?? 'failed')}): ${String(record.responsePayload?.errorMessage ?? 'no message')}`,
      stackName,
    );
  }
  const target = letter.attributes.TARGET_ARN;
  if (
    target !== undefined &&
    typeof (body as { 'detail-type'?: unknown })['detail-type'] === 'string'
  ) {
    return toFunction(
      target,
      body,
      `EventBridge could not deliver it (${letter.attributes.ERROR_CODE ?? 'no error code'})`,
      stackName,
    );
  }
  return {
    kind: 'leave',
    reason:
      'neither a Lambda failure record (requestPayload) nor an EventBridge event with its TARGET_ARN',
  };
}

function toFunction(arn: string, event: unknown, origin: string, stackName: string): Redelivery {
  const functionName = FUNCTION_ARN.exec(arn)?.[1];
  if (functionName === undefined) {
    return {
      kind: 'leave',
      reason: `its target ${arn} is not a Lambda function: not replayed by this command`,
    };
  }
  if (!functionName.startsWith(`${stackName}-`)) {
    return {
      kind: 'leave',
      reason: `its function ${functionName} is not one of stack ${stackName}`,
    };
  }
  return { kind: 'invoke', functionName, event, origin };
}
