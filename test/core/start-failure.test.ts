import { type StartFailureKind, classifyStartFailure } from '../../functions/core/start-failure';
import { PipelineStartError } from '../../functions/errors';

function sdkError(name: string): Error {
  return Object.assign(new Error(`${name} from the service`), { name });
}

function wrapped(name: string): Error {
  return new PipelineStartError(`StartPipelineExecution of p failed: ${name}`, {
    cause: sdkError(name),
  });
}

describe('classifyStartFailure: what a failed start means for its notifications', () => {
  it.each<[string, string, StartFailureKind]>([
    [
      'the quota on concurrent executions: wait, it frees up',
      'ResourceLimitExceeded',
      'back-pressure',
    ],
    [
      'an undeclared parameter or a reused token: never succeeds',
      'ValidationException',
      'permanent',
    ],
    ['a pipeline that does not exist', 'ResourceNotFound', 'permanent'],
    ['a role that may not start it', 'AccessDeniedException', 'permanent'],
    ['our deadline aborted the call', 'AbortError', 'interrupted'],
    ['throttled through every SDK attempt', 'ThrottlingException', 'transient'],
    ['a 5xx through every SDK attempt', 'InternalFailure', 'transient'],
    ['every attempt timed out', 'TimeoutError', 'transient'],
    ['a concurrent change of the pipeline', 'ConflictException', 'transient'],
    ['anything unknown is retried, not parked', 'SomethingNew', 'transient'],
  ])('%s (%s)', (_why, name, kind) => {
    expect(classifyStartFailure(wrapped(name))).toBe(kind);
  });

  it('reads the error itself when nothing wraps it', () => {
    expect(classifyStartFailure(sdkError('ResourceLimitExceeded'))).toBe('back-pressure');
    expect(classifyStartFailure('a string')).toBe('transient');
  });
});
