/**
 * What a failed StartPipelineExecution means for its notifications:
 * - `back-pressure`: SageMaker refused for a quota (concurrent executions); it works once runs end.
 * - `permanent`: the request is wrong or not allowed; repeating it gets the same answer.
 * - `interrupted`: our own deadline cut the call short; the notification was never really tried.
 * - `transient`: anything else (throttling or 5xx after the SDK's retries, timeouts, the network).
 */
export type StartFailureKind = 'back-pressure' | 'permanent' | 'interrupted' | 'transient';

// ResourceLimitExceeded is a modeled client error of StartPipelineExecution that the SDK does not
// retry (it is neither a throttling nor a transient code in @smithy/core's classification).
const BACK_PRESSURE = new Set(['ResourceLimitExceeded']);
// A pipeline that does not exist, an undeclared parameter or a reused token with other parameters
// (ValidationException), a role that may not start the pipeline.
const PERMANENT = new Set(['ValidationException', 'ResourceNotFound', 'AccessDeniedException']);
// What the SDK throws when the AbortSignal passed to `send` fires.
const INTERRUPTED = new Set(['AbortError']);

/**
 * Classifies a failed start by the SDK error's name (the adapter keeps it as the cause). Unknown
 * errors count as transient: retried through SQS, and parked only after the receive limit.
 *
 * @example
 * classifyStartFailure(new PipelineStartError('...', { cause: sdkError })); // 'back-pressure'
 */
export function classifyStartFailure(error: unknown): StartFailureKind {
  const name = sdkErrorName(error);
  if (BACK_PRESSURE.has(name)) return 'back-pressure';
  if (PERMANENT.has(name)) return 'permanent';
  if (INTERRUPTED.has(name)) return 'interrupted';
  return 'transient';
}

function sdkErrorName(error: unknown): string {
  const cause = (error as { cause?: unknown } | null)?.cause;
  const source = cause instanceof Error ? cause : error;
  return source instanceof Error ? source.name : '';
}
