import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * A SHA-256 per resource, output and condition of a packaged template, with what changes on every
 * packaging or function build left out: the functions' code location, the Lambda versions' code
 * hash (which names their logical ids), and the dataset schema's feature names in the functions'
 * configuration documents (which the e-mails use whether or not the feature store is on).
 * Two templates with the same fingerprint deploy the same stack.
 */
export function templateFingerprint(template: {
  Resources: Record<string, unknown>;
  Outputs?: Record<string, unknown>;
  Conditions?: Record<string, unknown>;
}): Record<string, string> {
  const stable = JSON.parse(
    JSON.stringify(template).replace(/LambdaVersion[A-Za-z0-9]+/g, 'LambdaVersion'),
  ) as typeof template;
  const fingerprint: Record<string, string> = {};
  for (const [section, entries] of Object.entries({
    Resources: stable.Resources,
    Outputs: stable.Outputs ?? {},
    Conditions: stable.Conditions ?? {},
  })) {
    for (const [id, entry] of Object.entries(entries)) {
      fingerprint[`${section}.${id}`] = createHash('sha256')
        .update(JSON.stringify(withoutVolatileParts(entry)))
        .digest('hex');
    }
  }
  return fingerprint;
}

function withoutVolatileParts(entry: unknown): unknown {
  const resource = entry as { Type?: string; Properties?: Record<string, unknown> };
  const properties = resource.Properties ?? {};
  if (resource.Type === 'AWS::Lambda::Version') {
    return { ...resource, Properties: without(properties, 'CodeSha256') };
  }
  if (resource.Type !== 'AWS::Lambda::Function') return entry;
  const variables =
    (properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ??
    {};
  return {
    ...resource,
    Properties: {
      ...without(properties, 'Code'),
      Environment: {
        Variables: Object.fromEntries(
          Object.entries(variables).map(([name, value]) => [name, withoutFeatureNames(value)]),
        ),
      },
    },
  };
}

/** A configuration document is JSON, or JSON in `Fn::Sub` when it names the default bucket. */
function withoutFeatureNames(value: unknown): unknown {
  if (typeof value === 'object' && value !== null && 'Fn::Sub' in value) {
    return { 'Fn::Sub': withoutFeatureNames((value as { 'Fn::Sub': unknown })['Fn::Sub']) };
  }
  if (typeof value !== 'string' || !value.startsWith('{')) return value;
  return JSON.stringify(without(JSON.parse(value) as Record<string, unknown>, 'datasetFeatures'));
}

function without(object: Record<string, unknown>, key: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([name]) => name !== key));
}

// `node -r ./tooling/register-ts.js test/support/template-fingerprint.ts <template.json>` prints
// the fingerprint of a template that `serverless package` wrote.
if (require.main === module) {
  const [file] = process.argv.slice(2);
  if (file === undefined)
    throw new Error('Give the packaged template: cloudformation-template-update-stack.json');
  console.log(JSON.stringify(templateFingerprint(JSON.parse(readFileSync(file, 'utf8'))), null, 2));
}
