import { notificationsConfigSchema } from '../../functions/config/notifications-config';
import { parseConfig } from '../../functions/config/parse-config';

function parse(raw: unknown) {
  return parseConfig(notificationsConfigSchema, raw, 'custom.mlops.notifications');
}

const template = {
  pipeline: 'training',
  step: 'Train',
  statuses: ['Failed'],
  subject: '{{step}} {{status}}',
  body: '{{failureReason}}',
};

describe('notification configuration', () => {
  it('fills the defaults', () => {
    expect(parse({})).toEqual({
      recipients: [],
      executionStatuses: ['Failed', 'Stopped', 'Succeeded'],
      stepNotifications: [],
      maxDriftViolations: 10,
      approval: { startBatchInference: false },
    });
  });

  it.each<[string, unknown, string]>([
    [
      'an unknown placeholder in a subject',
      { stepNotifications: [{ ...template, subject: '{{step}} failed: {{reason}}' }] },
      'stepNotifications[0].subject: unknown placeholder {{reason}} (known: pipeline, step,',
    ],
    [
      'an unknown placeholder in a body',
      { stepNotifications: [{ ...template, body: 'see {{link}}' }] },
      'stepNotifications[0].body: unknown placeholder {{link}}',
    ],
    [
      'an unknown step status',
      { stepNotifications: [{ ...template, statuses: ['Broken'] }] },
      'stepNotifications[0].statuses[0]',
    ],
    ['an unknown execution status', { executionStatuses: ['Done'] }, 'executionStatuses[0]'],
    [
      'scoring on approval without an input',
      { approval: { startBatchInference: true } },
      'approval.inputDataUrl: inputDataUrl is required',
    ],
    [
      'a recipient category that does not exist',
      { recipients: [{ email: 'a@b.example', categories: ['approvals'] }] },
      'recipients[0].categories',
    ],
  ])('rejects %s, naming the key', (_why, raw, message) => {
    expect(() => parse(raw)).toThrow(message);
  });

  it("accepts the command line's 'true' and 'false'", () => {
    expect(
      parse({ approval: { startBatchInference: 'true', inputDataUrl: 's3://b/in/' } }).approval
        .startBatchInference,
    ).toBe(true);
    expect(parse({ approval: { startBatchInference: 'false' } }).approval.startBatchInference).toBe(
      false,
    );
  });
});
