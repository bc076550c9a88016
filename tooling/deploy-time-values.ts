import { cloudFormationStack } from './local/cloudformation-intrinsics';
import { mapStrings } from './json-strings';

// The default data bucket's name holds the account id (bucket names are global), which packaging
// cannot know offline: serverless.yml writes `${AWS::AccountId}` and CloudFormation fills it in
// with Fn::Sub. The configuration is validated at package time as the functions will see it, with
// a 12-digit stand-in for the account (names keep their deployed length); what the plugin emits
// (environment documents, event patterns) turns the stand-in back into an Fn::Sub.

/** How serverless.yml writes the account id for CloudFormation to fill in. */
export const ACCOUNT_ID_REFERENCE = '${AWS::AccountId}';

/**
 * Twelve digits that occur nowhere in the configuration, so that every place they appear after
 * substitution is a place the account id was asked for.
 *
 * @example
 * const standIn = accountIdStandIn(mlops); // '000000000000', unless the configuration holds it
 */
export function accountIdStandIn(configuration: unknown): string {
  const text = JSON.stringify(configuration) ?? '';
  for (let candidate = 0; ; candidate += 1) {
    const standIn = String(candidate).padStart(12, '0');
    if (!text.includes(standIn)) return standIn;
  }
}

/** The configuration with every `${AWS::AccountId}` replaced by the stand-in, for validation. */
export function withAccountIdStandIn<T>(value: T, standIn: string): T {
  return mapStrings(value, (text) => text.replaceAll(ACCOUNT_ID_REFERENCE, standIn)) as T;
}

/**
 * A value for the template: every string that holds the stand-in becomes an Fn::Sub that
 * CloudFormation resolves to the deploying account (other `${` are escaped as Fn::Sub wants).
 *
 * @example
 * deployTimeValue({ bucket: ['svc-dev-data-000000000000-eu-west-1'] }, '000000000000');
 * // { bucket: [{ 'Fn::Sub': 'svc-dev-data-${AWS::AccountId}-eu-west-1' }] }
 */
export function deployTimeValue(value: unknown, standIn: string): unknown {
  return mapStrings(value, (text) =>
    text.includes(standIn)
      ? { 'Fn::Sub': text.replaceAll('${', '${!').replaceAll(standIn, ACCOUNT_ID_REFERENCE) }
      : text,
  );
}

/** The account the sample events in events/ come from. */
export const SAMPLE_ACCOUNT_ID = '123456789012';

/**
 * The environment of a function for `serverless invoke local`, which takes only plain strings: the
 * values that CloudFormation would complete (Fn::Sub of pseudo parameters) are completed for
 * `accountId` and `region` as a deployment there would complete them.
 *
 * @example
 * localEnvironment({ CONFIG: { 'Fn::Sub': '{"bucket":"b-${AWS::AccountId}"}' } }, { accountId: '123456789012', region: 'eu-west-1' });
 * // { CONFIG: '{"bucket":"b-123456789012"}' }
 */
export function localEnvironment(
  environment: Readonly<Record<string, unknown>>,
  location: { readonly accountId: string; readonly region: string },
): Record<string, unknown> {
  const stack = cloudFormationStack({ Resources: {} }, { ...location, stackName: 'invoke-local' });
  return Object.fromEntries(
    Object.entries(environment).map(([name, value]) => [
      name,
      isSubstitution(value) ? stack.resolve(value) : value,
    ]),
  );
}

function isSubstitution(value: unknown): value is { 'Fn::Sub': string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.keys(value).length === 1 &&
    typeof (value as { 'Fn::Sub'?: unknown })['Fn::Sub'] === 'string'
  );
}
