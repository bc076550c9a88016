import { planModelPackageEvent } from '../../functions/core/model-package-notifications';
import { modelPackageStateChangeSchema } from '../../functions/schemas/sagemaker-events';
import { notifyConfig } from '../support/notification-fixtures';
import { sampleEvent } from '../support/upload-fixtures';

const eventOf = (sample: string) => modelPackageStateChangeSchema.parse(sampleEvent(sample));

describe('planModelPackageEvent: what a state change asks for', () => {
  it.each<[string, string, unknown]>([
    [
      'a new version asks for a review',
      'model-package-pending-approval.json',
      { kind: 'review-request' },
    ],
    [
      'an approval asks for its confirmation',
      'model-package-approved.json',
      { kind: 'decision-confirmation', status: 'Approved' },
    ],
    [
      'a rejection asks for its confirmation',
      'model-package-rejected.json',
      { kind: 'decision-confirmation', status: 'Rejected' },
    ],
  ])('%s', (_why, sample, expected) => {
    expect(planModelPackageEvent(eventOf(sample), notifyConfig)).toEqual(expected);
  });

  it('ignores an update that left the approval status as it was', () => {
    const approved = eventOf('model-package-approved.json');
    const update = {
      ...approved,
      detail: { ...approved.detail, UpdatedModelPackageFields: ['CustomerMetadataProperties'] },
    };
    expect(planModelPackageEvent(update, notifyConfig)).toEqual({
      ignore: expect.stringContaining('not its approval status'),
    });
  });
});
