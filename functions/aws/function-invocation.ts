import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';

/** How a synchronous invocation ended: done, or the function's own error. */
export type InvocationResult =
  { readonly ok: true } | { readonly ok: false; readonly error: string };

/**
 * Invokes a function with an event and waits for it (RequestResponse): its error, if it failed,
 * as the function reported it. A failure to reach Lambda at all is thrown.
 *
 * @example
 * const result = await invokeAndWait(client, 'mlops-prod-onPipelineStatusChange', event);
 */
export async function invokeAndWait(
  client: LambdaClient,
  functionName: string,
  event: unknown,
): Promise<InvocationResult> {
  const output = await client.send(
    new InvokeCommand({
      FunctionName: functionName,
      InvocationType: 'RequestResponse',
      Payload: new TextEncoder().encode(JSON.stringify(event)),
    }),
  );
  if (output.FunctionError === undefined) return { ok: true };
  const payload = new TextDecoder().decode(output.Payload ?? new Uint8Array());
  let message = payload;
  try {
    const reported = JSON.parse(payload) as { errorType?: string; errorMessage?: string };
    message = `${reported.errorType ?? output.FunctionError}: ${reported.errorMessage ?? ''}`;
  } catch {
    // A payload that is not JSON is shown as it came.
  }
  return { ok: false, error: message };
}
