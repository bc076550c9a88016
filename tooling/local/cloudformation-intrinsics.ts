// Resolves the intrinsic functions of a packaged CloudFormation template the way CloudFormation
// would for one stack on one machine, so that local mode reads names, ARNs, environments and
// pipeline definitions from the very template a deployment uploads.

export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Condition?: string;
}

export interface CloudFormationTemplate {
  readonly Conditions?: Record<string, unknown>;
  readonly Mappings?: Record<string, unknown>;
  readonly Parameters?: Record<string, unknown>;
  readonly Resources: Record<string, TemplateResource>;
  readonly Outputs?: Record<string, unknown>;
}

/** Where the stack "is deployed": what the pseudo parameters return. */
export interface StackLocation {
  readonly stackName: string;
  readonly region: string;
  readonly accountId: string;
}

/** Removes a property or list item, like `Ref: AWS::NoValue`. */
const NO_VALUE = Symbol('AWS::NoValue');

/** The property that holds a resource's physical name, per type (when the template sets one). */
const NAME_PROPERTIES: Readonly<Record<string, string>> = {
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::SQS::Queue': 'QueueName',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::S3::Bucket': 'BucketName',
  'AWS::IAM::Role': 'RoleName',
  'AWS::Events::Rule': 'Name',
  'AWS::SageMaker::Pipeline': 'PipelineName',
  'AWS::SageMaker::ModelPackageGroup': 'ModelPackageGroupName',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::DynamoDB::Table': 'TableName',
};

/**
 * A resolver for one template: `resolve(value)` replaces every Ref, Fn::GetAtt, Fn::Sub, Fn::If,
 * Fn::Join, Fn::Select, Fn::Split, Fn::FindInMap and Fn::Equals/And/Or/Not in a value with what
 * CloudFormation would produce. An intrinsic it cannot resolve is an error naming it.
 *
 * @example
 * const stack = cloudFormationStack(template, { stackName: 'svc-local', region: 'eu-west-1', accountId: '000000000000' });
 * stack.resolve({ 'Fn::GetAtt': ['DataUploadBuffer', 'Arn'] }); // 'arn:aws:sqs:eu-west-1:000000000000:svc-local-data-upload-buffer'
 */
export function cloudFormationStack(template: CloudFormationTemplate, location: StackLocation) {
  const { region, accountId, stackName } = location;
  const conditionCache = new Map<string, boolean>();

  function condition(name: string): boolean {
    const cached = conditionCache.get(name);
    if (cached !== undefined) return cached;
    const definition = template.Conditions?.[name];
    if (definition === undefined) throw new Error(`Unknown condition ${name}`);
    const value = resolve(definition) === true;
    conditionCache.set(name, value);
    return value;
  }

  function resourceExists(logicalId: string): boolean {
    const resource = template.Resources[logicalId];
    return (
      resource !== undefined && (resource.Condition === undefined || condition(resource.Condition))
    );
  }

  function physicalName(logicalId: string): string {
    const resource = resourceOf(logicalId);
    const property = NAME_PROPERTIES[resource.Type];
    const named = property === undefined ? undefined : resource.Properties?.[property];
    if (named !== undefined) return String(resolve(named));
    // CloudFormation generates `<stack>-<logical id>-<random suffix>`, lower case for buckets.
    const generated = `${stackName}-${logicalId}-local`;
    return resource.Type === 'AWS::S3::Bucket' ? generated.toLowerCase() : generated;
  }

  function resourceOf(logicalId: string): TemplateResource {
    const resource = template.Resources[logicalId];
    if (resource === undefined) throw new Error(`Unknown resource ${logicalId}`);
    return resource;
  }

  function arn(service: string, resource: string, withRegion = true): string {
    return `arn:aws:${service}:${withRegion ? region : ''}:${accountId}:${resource}`;
  }

  function ref(name: string): unknown {
    const pseudo: Record<string, unknown> = {
      'AWS::Region': region,
      'AWS::AccountId': accountId,
      'AWS::Partition': 'aws',
      'AWS::StackName': stackName,
      'AWS::StackId': arn('cloudformation', `stack/${stackName}/local`),
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::NoValue': NO_VALUE,
    };
    if (name in pseudo) return pseudo[name];
    const parameter = template.Parameters?.[name] as { Default?: unknown } | undefined;
    if (parameter !== undefined) return resolve(parameter.Default);
    const { Type } = resourceOf(name);
    const refIsArn = ['AWS::SNS::Topic', 'AWS::SageMaker::ModelPackageGroup'];
    if (refIsArn.includes(Type)) return getAtt(name, 'Arn');
    if (Type === 'AWS::SQS::Queue') return getAtt(name, 'QueueUrl');
    return physicalName(name);
  }

  function getAtt(logicalId: string, attribute: string): string {
    const { Type } = resourceOf(logicalId);
    const name = physicalName(logicalId);
    const attributes: Record<string, Record<string, () => string>> = {
      'AWS::Lambda::Function': { Arn: () => arn('lambda', `function:${name}`) },
      'AWS::SQS::Queue': {
        Arn: () => arn('sqs', name),
        QueueName: () => name,
        QueueUrl: () => `https://sqs.${region}.amazonaws.com/${accountId}/${name}`,
      },
      'AWS::SNS::Topic': {
        Arn: () => arn('sns', name),
        TopicArn: () => arn('sns', name),
        TopicName: () => name,
      },
      'AWS::S3::Bucket': { Arn: () => `arn:aws:s3:::${name}` },
      'AWS::IAM::Role': { Arn: () => `arn:aws:iam::${accountId}:role/${name}` },
      'AWS::Events::Rule': { Arn: () => arn('events', `rule/${name}`) },
      'AWS::SageMaker::ModelPackageGroup': {
        Arn: () => arn('sagemaker', `model-package-group/${name.toLowerCase()}`),
        ModelPackageGroupArn: () => arn('sagemaker', `model-package-group/${name.toLowerCase()}`),
      },
      'AWS::KMS::Key': { Arn: () => arn('kms', `key/${name}`) },
    };
    const read = attributes[Type]?.[attribute];
    if (read === undefined)
      throw new Error(`Fn::GetAtt ${logicalId}.${attribute} (${Type}) is not emulated`);
    return read();
  }

  function sub(text: string, variables: Record<string, unknown>): string {
    return text.replace(/\$\{(!?)([^}]+)\}/g, (whole, literal: string, name: string) => {
      if (literal === '!') return `\${${name}}`;
      if (name in variables) return String(variables[name]);
      const [logicalId, attribute] = name.split(/\.(.*)/s);
      if (attribute !== undefined && logicalId !== undefined) return getAtt(logicalId, attribute);
      return String(ref(name));
    });
  }

  const functions: Record<string, (argument: unknown) => unknown> = {
    Ref: (name) => ref(String(name)),
    'Fn::GetAtt': (argument) => {
      const [logicalId, attribute] = Array.isArray(argument)
        ? (argument as string[])
        : String(argument).split(/\.(.*)/s);
      return getAtt(String(logicalId), String(attribute));
    },
    'Fn::Sub': (argument) => {
      if (typeof argument === 'string') return sub(argument, {});
      const [text, variables] = argument as [unknown, Record<string, unknown>];
      return sub(String(resolve(text)), resolve(variables) as Record<string, unknown>);
    },
    'Fn::If': (argument) => {
      const [name, whenTrue, whenFalse] = argument as [string, unknown, unknown];
      return resolve(condition(name) ? whenTrue : whenFalse);
    },
    'Fn::Equals': (argument) => {
      const [left, right] = resolve(argument) as [unknown, unknown];
      return JSON.stringify(left) === JSON.stringify(right);
    },
    'Fn::Not': (argument) => !(resolve(argument) as boolean[])[0],
    'Fn::And': (argument) => (resolve(argument) as boolean[]).every(Boolean),
    'Fn::Or': (argument) => (resolve(argument) as boolean[]).some(Boolean),
    Condition: (name) => condition(String(name)),
    'Fn::Join': (argument) => {
      const [separator, items] = argument as [string, unknown];
      return (resolve(items) as unknown[]).map(String).join(separator);
    },
    'Fn::Select': (argument) => {
      const [index, items] = resolve(argument) as [string | number, unknown[]];
      return items[Number(index)];
    },
    'Fn::Split': (argument) => {
      const [separator, text] = resolve(argument) as [string, string];
      return text.split(separator);
    },
    'Fn::FindInMap': (argument) => {
      const [map, key, value] = resolve(argument) as [string, string, string];
      const mapping = template.Mappings?.[map] as
        Record<string, Record<string, unknown>> | undefined;
      return mapping?.[key]?.[value];
    },
  };

  function resolve(value: unknown): unknown {
    if (Array.isArray(value)) {
      return value.map(resolve).filter((item) => item !== NO_VALUE);
    }
    if (typeof value !== 'object' || value === null) return value;
    const entries = Object.entries(value);
    const [first] = entries;
    if (entries.length === 1 && first !== undefined && first[0] in functions) {
      return functions[first[0]]?.(first[1]);
    }
    if (entries.length === 1 && first !== undefined && first[0].startsWith('Fn::')) {
      throw new Error(`${first[0]} is not emulated`);
    }
    return Object.fromEntries(
      entries.map(([key, item]) => [key, resolve(item)]).filter(([, item]) => item !== NO_VALUE),
    );
  }

  return {
    resolve,
    getAtt,
    /** Logical ids of the resources of a type that the template's conditions create. */
    resourcesOfType: (type: string): string[] =>
      Object.keys(template.Resources).filter(
        (logicalId) => template.Resources[logicalId]?.Type === type && resourceExists(logicalId),
      ),
    /** A resource's properties with every intrinsic resolved. */
    propertiesOf: (logicalId: string): Record<string, unknown> =>
      resolve(resourceOf(logicalId).Properties ?? {}) as Record<string, unknown>,
    physicalName,
  };
}
