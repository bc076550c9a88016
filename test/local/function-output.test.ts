import { describeFunctionOutput } from '../../tooling/local/function-output';

const record = (fields: Record<string, unknown>) =>
  JSON.stringify({
    level: 'INFO',
    timestamp: '2026-11-21T17:00:46.123Z',
    service: 'onDataUpload',
    cold_start: true,
    function_name: 'mlops-control-plane-local-onDataUpload',
    function_request_id: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
    sampling_rate: 0,
    ...fields,
  });

describe('describeFunctionOutput: what a function printed, as a line of the activity log', () => {
  it.each<[string, string, string | undefined]>([
    [
      'a decision: its message and its own keys, not those every record has',
      record({ message: 'Object ignored', reason: 'no-route', detail: 'no route claims s3://b/k' }),
      'Object ignored — reason: no-route; detail: no route claims s3://b/k',
    ],
    [
      'a level other than INFO, and an error by its name and message',
      record({
        level: 'ERROR',
        message: 'Event rejected; nothing was done for it',
        error: { name: 'InvalidEventError', message: 'detail.bucket: required', stack: '...' },
      }),
      'ERROR Event rejected; nothing was done for it — error: InvalidEventError: detail.bucket: required',
    ],
    [
      'a long value, cut so that one record stays one line',
      record({ message: 'Pipeline run started', notificationIds: Array(40).fill('0f4b1c2e') }),
      `Pipeline run started — notificationIds: ${JSON.stringify(Array(40).fill('0f4b1c2e')).slice(0, 159)}…`,
    ],
    ['a line that is not a record, as printed', 'Warning: something odd', 'Warning: something odd'],
    ['JSON that is not a record, as printed', '{"_aws":{}}', '{"_aws":{}}'],
    [
      'the empty-metrics warning of Powertools: nothing',
      'No application metrics to publish. The cold-start metric may be published if enabled.',
      undefined,
    ],
  ])('%s', (_why, line, shown) => {
    expect(describeFunctionOutput(line)).toBe(shown);
  });
});
