/** The two decisions a reviewer makes, as the registry spells them. */
export type ApprovalDecision = 'Approved' | 'Rejected';

/** Which version the reviewer named: its number in the stack's group, or its ARN. */
export type VersionReference =
  | { readonly kind: 'number'; readonly version: number }
  | {
      readonly kind: 'arn';
      readonly arn: string;
      readonly group: string;
      readonly version: number;
    };

// UpdateModelPackage's ApprovalDescription (SageMaker API reference): at most 1024 characters
// matching `.*`, so no line breaks.
export const APPROVAL_DESCRIPTION_MAX_LENGTH = 1024;
const MODEL_PACKAGE_ARN =
  /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:[0-9]{12}:model-package\/([a-zA-Z0-9][a-zA-Z0-9-]{0,62})\/([1-9][0-9]{0,8})$/;

/**
 * The version argument of `mlops approve|reject`: a positive whole number, or a versioned model
 * package ARN (`...:model-package/<group>/<version>`); anything else says what it expects.
 *
 * @example
 * parseVersionReference('7'); // { kind: 'number', version: 7 }
 */
export function parseVersionReference(text: string): VersionReference | { problem: string } {
  if (/^[1-9][0-9]{0,8}$/.test(text)) return { kind: 'number', version: Number(text) };
  const arn = MODEL_PACKAGE_ARN.exec(text);
  if (arn?.[1] !== undefined && arn[2] !== undefined) {
    return { kind: 'arn', arn: text, group: arn[1], version: Number(arn[2]) };
  }
  return {
    problem: `<version> ${text} is neither a version number (7) nor a model package ARN (arn:aws:sagemaker:<region>:<account>:model-package/<group>/<version>)`,
  };
}

/**
 * The reason as given, without surrounding blanks; a missing or blank reason is a problem: a
 * decision nobody can explain later is not one this tool records.
 */
export function parseReason(reason: unknown): string | { problem: string } {
  const text = typeof reason === 'string' ? reason.trim() : '';
  return text === ''
    ? { problem: '--reason is required and must say why (--reason "beats v6 on auc")' }
    : text;
}

/**
 * The ApprovalDescription: who decided and why, on one line (the API's pattern allows no line
 * break) and cut to the API's 1024 characters, the reason losing its end rather than AWS
 * refusing the decision. Counted in UTF-16 units (the stricter of the service's possible counts)
 * and cut between characters, never inside a surrogate pair.
 *
 * @example
 * approvalDescription('Approved', 'arn:aws:iam::1:user/ana', 'beats v6'); // 'Approved by arn:aws:iam::1:user/ana: beats v6'
 */
export function approvalDescription(
  decision: ApprovalDecision,
  callerArn: string,
  reason: string,
): string {
  const line = `${decision} by ${callerArn}: ${reason.replace(/\s*[\r\n\u2028\u2029\u0085]+\s*/g, ' ')}`;
  if (line.length <= APPROVAL_DESCRIPTION_MAX_LENGTH) return line;
  let cut = '';
  for (const character of line) {
    if (cut.length + character.length > APPROVAL_DESCRIPTION_MAX_LENGTH - 1) break;
    cut += character;
  }
  return `${cut}…`;
}
