import { declareFunction } from '../function-declaration';
import { describeModelVersionsOfTheGroup, listModelPackages } from '../role-statements';

export const getApprovedModel = declareFunction({
  name: 'getApprovedModel',
  description:
    'Lambda step of batch inference - the newest approved model version and its baselines',
  timeout: 30,
  trigger: () => ({ kind: 'pipeline-step' }),
  recordsDecisions: false,
  sendsEmails: false,
  permissions: (stack) => [
    listModelPackages('ListModelVersions'),
    describeModelVersionsOfTheGroup(stack),
  ],
});
