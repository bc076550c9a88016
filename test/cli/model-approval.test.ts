import {
  APPROVAL_DESCRIPTION_MAX_LENGTH,
  approvalDescription,
  parseReason,
  parseVersionReference,
} from '../../functions/cli/model-approval';

const ana = 'arn:aws:sts::123456789012:assumed-role/DataScientist/ana';
const arn = 'arn:aws:sagemaker:eu-west-1:123456789012:model-package/mlops-prod-models/7';

describe('the version a reviewer names', () => {
  it.each([
    ['7', { kind: 'number', version: 7 }],
    [arn, { kind: 'arn', arn, group: 'mlops-prod-models', version: 7 }],
  ])('%s is understood', (text, expected) => {
    expect(parseVersionReference(text)).toEqual(expected);
  });

  it.each([
    ['0', 'not a version: versions start at 1'],
    ['v7', 'a name, not a number'],
    ['7.5', 'not whole'],
    ['arn:aws:sagemaker:eu-west-1:123456789012:model-package-group/mlops-prod-models', 'a group'],
    ['arn:aws:sagemaker:eu-west-1:123456789012:model-package/mlops-prod-models', 'no version'],
    ['1000000000000000000000', 'too long to be a number exactly'],
    [`${arn}000000000000000`, 'too long to be a number exactly'],
  ])('%s is refused (%s)', (text) => {
    expect(parseVersionReference(text)).toEqual({
      problem: expect.stringMatching(/^<version> .* is neither a version number/),
    });
  });
});

describe('the reason', () => {
  it.each([[undefined], [''], ['   '], [true]])('%p is missing', (reason) => {
    expect(parseReason(reason)).toEqual({
      problem: expect.stringMatching(/^--reason is required/),
    });
  });

  it('keeps what was said, without surrounding blanks', () => {
    expect(parseReason('  beats v6 on auc ')).toBe('beats v6 on auc');
  });
});

describe('the approval description', () => {
  it('says who decided and why', () => {
    expect(approvalDescription('Approved', ana, 'beats v6 on auc')).toBe(
      `Approved by ${ana}: beats v6 on auc`,
    );
  });

  it('puts a reason of several lines on one (the API pattern .* allows no line break)', () => {
    expect(approvalDescription('Rejected', ana, 'partial month\r\n  see ticket 12\u2028ok')).toBe(
      `Rejected by ${ana}: partial month see ticket 12 ok`,
    );
  });

  it('cuts a long reason to the API limit of 1024, marking the cut', () => {
    const description = approvalDescription('Approved', ana, 'x'.repeat(5000));
    expect(description).toHaveLength(APPROVAL_DESCRIPTION_MAX_LENGTH);
    expect(description.startsWith(`Approved by ${ana}: xxx`)).toBe(true);
    expect(description.endsWith('x…')).toBe(true);
  });

  it('never cuts inside a character of two UTF-16 units', () => {
    const prefix = `Approved by ${ana}: `;
    // The emoji would straddle the limit: it goes whole, and the result stays within it.
    const reason = 'a'.repeat(APPROVAL_DESCRIPTION_MAX_LENGTH - 2 - prefix.length) + '😀😀';
    const description = approvalDescription('Approved', ana, reason);
    expect(description.length).toBeLessThanOrEqual(APPROVAL_DESCRIPTION_MAX_LENGTH);
    expect(description).toBe(`${prefix}${'a'.repeat(reason.length - 4)}…`);
    expect(description.isWellFormed()).toBe(true);
  });

  it('leaves a description that fits alone', () => {
    const reason = 'y'.repeat(APPROVAL_DESCRIPTION_MAX_LENGTH - `Approved by ${ana}: `.length);
    expect(approvalDescription('Approved', ana, reason)).toHaveLength(
      APPROVAL_DESCRIPTION_MAX_LENGTH,
    );
    expect(approvalDescription('Approved', ana, reason).endsWith('y')).toBe(true);
  });
});
