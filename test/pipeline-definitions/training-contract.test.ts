import { readableInputDataUrl } from '../../pipeline-definitions/training-contract';

describe('readableInputDataUrl: the review e-mail shows the URI a version learned from', () => {
  it.each([
    [
      'a usual URI, recorded as it is',
      's3://b/data/training/2026-11/',
      's3://b/data/training/2026-11/',
    ],
    ['reserved characters', 's3://b/sales @28EU@29@2C 2026/', 's3://b/sales (EU), 2026/'],
    ['an ampersand', 's3://b/x@26y/', 's3://b/x&y/'],
    ['accents, as UTF-8 bytes', 's3://b/donn@C3@A9es/', 's3://b/données/'],
    ['a shortened value, left as it is', 's3://b/aaa@@sha256:0f0f', 's3://b/aaa@@sha256:0f0f'],
    ['a value not in the form, left as it is', 's3://b/@zz', 's3://b/@zz'],
  ])('%s', (_why, recorded, shown) => {
    expect(readableInputDataUrl(recorded)).toBe(shown);
  });
});
