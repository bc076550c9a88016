import { loadAwsServiceSpecSync } from '@aws-cdk/aws-service-spec';

// Validates a CloudFormation template against the current resource database that the AWS CDK uses
// (npm cfn-lint ships a 2019 spec that does not know AWS::SageMaker::Pipeline).

interface SpecType {
  type: string;
  element?: SpecType;
  types?: SpecType[];
  reference?: { $ref: string };
  allowedValues?: string[];
}

interface SpecProperty {
  type: SpecType;
  required?: boolean;
}

interface SpecShape {
  properties: Record<string, SpecProperty>;
  attributes?: Record<string, unknown>;
}

export interface CloudFormationTemplate {
  Parameters?: Record<string, unknown>;
  Conditions?: Record<string, unknown>;
  Resources: Record<
    string,
    { Type: string; Properties?: Record<string, unknown>; DependsOn?: unknown }
  >;
  Outputs?: Record<string, unknown>;
}

const PSEUDO_PARAMETERS = new Set([
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
]);

let database: ReturnType<typeof loadAwsServiceSpecSync> | undefined;

function spec() {
  database ??= loadAwsServiceSpecSync();
  return database;
}

/** Every problem found, as `Resource.Path: message`; an empty list means the template is valid. */
export function validateTemplate(template: CloudFormationTemplate): string[] {
  const problems: string[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    const found = spec().lookup('resource', 'cloudFormationType', 'equals', resource.Type);
    if (found.length !== 1) {
      problems.push(`${logicalId}: unknown resource type ${resource.Type}`);
      continue;
    }
    checkShape(found[0] as unknown as SpecShape, resource.Properties ?? {}, logicalId, problems);
  }
  checkReferences(template, problems);
  return problems;
}

function checkShape(
  shape: SpecShape,
  value: Record<string, unknown>,
  path: string,
  problems: string[],
): void {
  for (const [name, property] of Object.entries(shape.properties)) {
    if (property.required && !(name in value))
      problems.push(`${path}: required property ${name} is missing`);
  }
  for (const [name, child] of Object.entries(value)) {
    const property = shape.properties[name];
    if (property === undefined) {
      problems.push(`${path}: unknown property ${name}`);
      continue;
    }
    checkValue(property.type, child, `${path}.${name}`, problems);
  }
}

function checkValue(type: SpecType, value: unknown, path: string, problems: string[]): void {
  if (isIntrinsic(value)) return;
  switch (type.type) {
    case 'ref': {
      if (!isPlainObject(value)) {
        problems.push(`${path}: expected an object`);
        return;
      }
      const definition = spec().get(
        'typeDefinition',
        type.reference?.$ref ?? '',
      ) as unknown as SpecShape;
      checkShape(definition, value, path, problems);
      return;
    }
    case 'array':
      if (!Array.isArray(value)) {
        problems.push(`${path}: expected a list`);
        return;
      }
      value.forEach((item, index) =>
        checkValue(type.element as SpecType, item, `${path}[${index}]`, problems),
      );
      return;
    case 'union':
      if (!(type.types ?? []).some((member) => accepts(member, value))) {
        problems.push(`${path}: matches none of the allowed types`);
      }
      return;
    case 'string':
      if (typeof value !== 'string') problems.push(`${path}: expected a string`);
      else if (type.allowedValues && !type.allowedValues.includes(value)) {
        problems.push(`${path}: ${value} is not one of ${type.allowedValues.join(', ')}`);
      }
      return;
    case 'integer':
    case 'number':
      if (
        typeof value !== 'number' &&
        !(typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value))
      ) {
        problems.push(`${path}: expected a number`);
      }
      return;
    case 'boolean':
      if (typeof value !== 'boolean' && value !== 'true' && value !== 'false')
        problems.push(`${path}: expected a boolean`);
      return;
    default:
      return; // json, map, date-time: CloudFormation accepts any value that serialises
  }
}

function accepts(type: SpecType, value: unknown): boolean {
  const problems: string[] = [];
  checkValue(type, value, '', problems);
  return problems.length === 0;
}

function checkReferences(template: CloudFormationTemplate, problems: string[]): void {
  const resources = template.Resources;
  const parameters = new Set(Object.keys(template.Parameters ?? {}));
  const refExists = (name: string) =>
    name in resources || parameters.has(name) || PSEUDO_PARAMETERS.has(name);
  const attributeExists = (name: string, attribute: string) => {
    const resource = resources[name];
    if (resource === undefined) return false;
    const [shape] = spec().lookup(
      'resource',
      'cloudFormationType',
      'equals',
      resource.Type,
    ) as unknown as SpecShape[];
    return shape?.attributes?.[attribute] !== undefined;
  };
  walk(template, '', (node, path) => {
    if ('Ref' in node && typeof node.Ref === 'string' && !refExists(node.Ref)) {
      problems.push(`${path}: Ref to unknown ${node.Ref}`);
    }
    const getAtt = node['Fn::GetAtt'];
    if (Array.isArray(getAtt) && !attributeExists(String(getAtt[0]), String(getAtt[1]))) {
      problems.push(`${path}: Fn::GetAtt ${getAtt.join('.')} does not exist`);
    }
    const sub = node['Fn::Sub'];
    const subText = Array.isArray(sub) ? sub[0] : sub;
    const subVariables = Array.isArray(sub) && isPlainObject(sub[1]) ? Object.keys(sub[1]) : [];
    if (typeof subText === 'string') {
      for (const [, name] of subText.matchAll(/\$\{(?!!)([^}]+)\}/g)) {
        const [resource, ...attribute] = (name as string).split('.');
        const ok =
          subVariables.includes(name as string) ||
          (attribute.length === 0
            ? refExists(resource as string)
            : attributeExists(resource as string, attribute.join('.')));
        if (!ok) problems.push(`${path}: Fn::Sub variable \${${name}} does not resolve`);
      }
    }
  });
}

function walk(
  node: unknown,
  path: string,
  visit: (node: Record<string, unknown>, path: string) => void,
): void {
  if (Array.isArray(node)) {
    node.forEach((child, index) => walk(child, `${path}[${index}]`, visit));
  } else if (isPlainObject(node)) {
    visit(node, path);
    for (const [key, child] of Object.entries(node))
      walk(child, path === '' ? key : `${path}.${key}`, visit);
  }
}

function isIntrinsic(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value);
  return (
    keys.length === 1 &&
    (keys[0] === 'Ref' || (keys[0] as string).startsWith('Fn::') || keys[0] === 'Condition')
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
