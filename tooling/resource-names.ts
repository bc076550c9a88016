import { S3_BUCKET_NAME } from '../functions/config/sagemaker-names';
import {
  type CloudFormationTemplate,
  cloudFormationStack,
} from './local/cloudformation-intrinsics';

// Limits of the names the stack gives its resources, from the AWS service models (boto/botocore
// at 0e6e240, botocore/data/<service>/*/service-2.json: the shapes' min, max and pattern; for SQS,
// SNS and CloudFormation the operations' documentation) and S3's bucket naming rules (shared with
// the configuration schema). Checked on the packaged template, so that a long or upper-case stage
// fails `serverless package`, not a deployment halfway through.
interface NameLimit {
  /** The property of the resource type that holds its name. */
  readonly property: string;
  readonly what: string;
  readonly max: number;
  readonly pattern: RegExp;
  readonly allowed: string;
}

const NAME_LIMITS: Readonly<Record<string, NameLimit>> = {
  'AWS::Lambda::Function': {
    property: 'FunctionName',
    what: 'a Lambda function name',
    max: 64,
    pattern: /^[a-zA-Z0-9_-]+$/,
    allowed: 'letters, digits, hyphens and underscores',
  },
  'AWS::Logs::LogGroup': {
    property: 'LogGroupName',
    what: 'a log group name',
    max: 512,
    pattern: /^[.\-_/#A-Za-z0-9]+$/,
    allowed: 'letters, digits and . - _ / #',
  },
  'AWS::Events::Rule': {
    property: 'Name',
    what: 'an EventBridge rule name',
    max: 64,
    pattern: /^[.\-_A-Za-z0-9]+$/,
    allowed: 'letters, digits and . - _',
  },
  'AWS::SQS::Queue': {
    property: 'QueueName',
    what: 'an SQS queue name (.fifo included)',
    max: 80,
    pattern: /^[A-Za-z0-9_-]+(\.fifo)?$/,
    allowed: 'letters, digits, hyphens and underscores, and .fifo at the end of a FIFO queue',
  },
  'AWS::SNS::Topic': {
    property: 'TopicName',
    what: 'an SNS topic name',
    max: 256,
    pattern: /^[A-Za-z0-9_-]+(\.fifo)?$/,
    allowed: 'letters, digits, hyphens and underscores',
  },
  'AWS::IAM::Role': {
    property: 'RoleName',
    what: 'an IAM role name',
    max: 64,
    pattern: /^[\w+=,.@-]+$/,
    allowed: 'letters, digits and + = , . @ - _',
  },
  'AWS::S3::Bucket': { property: 'BucketName', what: 'an S3 bucket name', ...S3_BUCKET_NAME },
  'AWS::SageMaker::Pipeline': {
    property: 'PipelineName',
    what: 'a SageMaker pipeline name',
    max: 256,
    pattern: /^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/,
    allowed: 'letters, digits and inner hyphens',
  },
  'AWS::SageMaker::ModelPackageGroup': {
    property: 'ModelPackageGroupName',
    what: 'a model package group name',
    max: 63,
    pattern: /^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/,
    allowed: 'letters, digits and inner hyphens',
  },
  'AWS::KMS::Alias': {
    property: 'AliasName',
    what: 'a KMS alias',
    max: 256,
    pattern: /^alias\/(?!aws\/)[a-zA-Z0-9/_-]+$/,
    allowed: 'alias/ followed by letters, digits and / _ -',
  },
};

const STACK_NAME_LIMIT: NameLimit = {
  property: 'StackName',
  what: 'a CloudFormation stack name',
  max: 128,
  pattern: /^[a-zA-Z][-a-zA-Z0-9]*$/,
  allowed: 'letters, digits and hyphens, starting with a letter',
};

// The account id is filled in by CloudFormation: twelve digits, shown as <account>.
const ACCOUNT_ID_STAND_IN = '000000000000';

/**
 * Every name the packaged stack gives a resource (and the stack's own), against the limit of its
 * kind, resolved as a deployment to `region` would resolve it (a 12-digit account id). One line per
 * name that would fail, naming the resource, the name and the limit; empty when all fit.
 *
 * @example
 * const problems = resourceNameProblems(template, { stackName: 'svc-dev', region: 'eu-west-1' });
 */
export function resourceNameProblems(
  template: CloudFormationTemplate,
  deployment: { readonly stackName: string; readonly region: string },
): string[] {
  const stack = cloudFormationStack(template, { ...deployment, accountId: ACCOUNT_ID_STAND_IN });
  const named = Object.entries(NAME_LIMITS).flatMap(([type, limit]) =>
    stack.resourcesOfType(type).flatMap((logicalId) => {
      const name = stack.propertiesOf(logicalId)[limit.property];
      return name === undefined ? [] : [{ logicalId, name: String(name), limit }];
    }),
  );
  const withinLimits = [
    { logicalId: 'the stack', name: deployment.stackName, limit: STACK_NAME_LIMIT },
    ...named,
  ].flatMap(({ logicalId, name, limit }) => {
    const shown = name.replaceAll(ACCOUNT_ID_STAND_IN, '<account>');
    if (name.length > limit.max) {
      return [
        `${logicalId}: ${shown} is ${name.length} characters; ${limit.what} has at most ${limit.max}`,
      ];
    }
    if (!limit.pattern.test(name)) {
      return [`${logicalId}: ${shown} is not ${limit.what}: use only ${limit.allowed}`];
    }
    return [];
  });
  return [...withinLimits, ...sharedNames(named)];
}

/** Two resources of a kind with one name (a schedule named like a monitoring rule, say). */
function sharedNames(
  named: ReadonlyArray<{ logicalId: string; name: string; limit: NameLimit }>,
): string[] {
  const firstOwner = new Map<string, string>();
  return named.flatMap(({ logicalId, name, limit }) => {
    const key = `${limit.what} ${name}`;
    const owner = firstOwner.get(key);
    if (owner === undefined) {
      firstOwner.set(key, logicalId);
      return [];
    }
    return [`${logicalId}: ${name} is already the name of ${owner}; ${limit.what} is unique`];
  });
}
