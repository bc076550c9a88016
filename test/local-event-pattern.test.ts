import { matchesEventPattern } from '../tooling/local/event-pattern';

const event = {
  source: 'aws.s3',
  'detail-type': 'Object Created',
  resources: ['arn:aws:s3:::bucket-a'],
  detail: {
    bucket: { name: 'bucket-a' },
    object: { key: 'data/training/part-0.csv', size: 1024 },
    reason: 'CompleteMultipartUpload',
  },
};

describe('matchesEventPattern: EventBridge content filtering', () => {
  it.each<[string, Record<string, unknown>, boolean]>([
    ['exact value', { source: ['aws.s3'] }, true],
    ['one of several values', { source: ['aws.ec2', 'aws.s3'] }, true],
    ['other value', { source: ['aws.sagemaker'] }, false],
    ['nested prefix', { detail: { object: { key: [{ prefix: 'data/training/' }] } } }, true],
    [
      'nested prefix that differs',
      { detail: { object: { key: [{ prefix: 'data/inference/' }] } } },
      false,
    ],
    [
      'prefix ignoring case',
      { detail: { object: { key: [{ prefix: { 'equals-ignore-case': 'DATA/' } }] } } },
      true,
    ],
    ['suffix', { detail: { object: { key: [{ suffix: '.csv' }] } } }, true],
    ['anything-but a value', { detail: { reason: [{ 'anything-but': 'PutObject' }] } }, true],
    [
      'anything-but a list containing it',
      { detail: { reason: [{ 'anything-but': ['CompleteMultipartUpload'] }] } },
      false,
    ],
    [
      'anything-but a prefix',
      { detail: { object: { key: [{ 'anything-but': { prefix: 'data/' } }] } } },
      false,
    ],
    ['numeric range', { detail: { object: { size: [{ numeric: ['>', 0, '<=', 2048] }] } } }, true],
    ['numeric out of range', { detail: { object: { size: [{ numeric: ['>=', 4096] }] } } }, false],
    ['exists true', { detail: { object: { size: [{ exists: true }] } } }, true],
    [
      'exists false on a present field',
      { detail: { object: { size: [{ exists: false }] } } },
      false,
    ],
    [
      'exists false on a missing field',
      { detail: { object: { 'version-id': [{ exists: false }] } } },
      true,
    ],
    [
      'missing field does not match a value',
      { detail: { object: { 'version-id': ['v1'] } } },
      false,
    ],
    [
      'missing field does not match anything-but',
      { detail: { missing: [{ 'anything-but': 'x' }] } },
      false,
    ],
    ['list field matches if any element does', { resources: ['arn:aws:s3:::bucket-a'] }, true],
    ['equals-ignore-case', { 'detail-type': [{ 'equals-ignore-case': 'object created' }] }, true],
    ['wildcard', { detail: { object: { key: [{ wildcard: 'data/*/part-*.csv' }] } } }, true],
    [
      '$or of two alternatives',
      { $or: [{ source: ['aws.ec2'] }, { detail: { bucket: { name: ['bucket-a'] } } }] },
      true,
    ],
    ['all keys must match', { source: ['aws.s3'], 'detail-type': ['Object Deleted'] }, false],
  ])('%s', (_why, pattern, expected) => {
    expect(matchesEventPattern(pattern, event)).toBe(expected);
  });
});
