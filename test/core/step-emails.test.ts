import { stepEmails } from '../../functions/core/ledger/email-identity';
import type { Notification } from '../../functions/core/notification';

const emailOf = (kind: string): Notification => ({
  category: 'drift',
  severity: 'warning',
  kind,
  subject: kind,
  body: '',
});
const step = { executionArn: 'arn:run/1', name: 'CheckInputDataQuality', status: 'Succeeded' };
const at = '2026-11-22T06:47:58Z';

describe('stepEmails: which e-mail each decided notification is', () => {
  it('a drift warning is the data and model version it checked, said once across runs', () => {
    const [[, identity] = []] = stepEmails(
      [emailOf('drift-warning')],
      step,
      { input: 's3://b/data/inference/2026-11-21/', modelVersion: 'v3' },
      at,
    );
    expect(identity).toEqual({
      subject: 's3://b/data/inference/2026-11-21/',
      key: 'email#drift-warning#CheckInputDataQuality#v3',
      at,
    });
  });

  it('without the data or the model, a drift warning is the step run’s, like any other', () => {
    const emails = stepEmails(
      [emailOf('step-succeeded'), emailOf('drift-warning')],
      step,
      { input: 's3://b/data/inference/2026-11-21/' },
      at,
    );
    expect(emails.map(([notification, identity]) => [notification.kind, identity])).toEqual([
      [
        'step-succeeded',
        { subject: 'arn:run/1', key: 'email#CheckInputDataQuality#Succeeded#step-succeeded#0', at },
      ],
      [
        'drift-warning',
        { subject: 'arn:run/1', key: 'email#CheckInputDataQuality#Succeeded#drift-warning#1', at },
      ],
    ]);
  });
});
