import { buildSync } from 'esbuild';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packagedTemplate } from '../support/serverless-package';

// Least privilege, tested: each function's role grants exactly the AWS actions its code calls, plus
// what Lambda itself needs to run it (logs, and the SQS source when it has one). A `*` resource is
// allowed only for the actions listed here, which AWS offers no resource-level permission for; the
// README lists the same exceptions with the reason.
const STAR_RESOURCE_EXCEPTIONS = [
  'sagemaker:ListModelPackages',
  'ecr:GetAuthorizationToken',
  'cloudwatch:PutMetricData',
];
const LAMBDA_RUNTIME_ACTIONS = ['logs:CreateLogStream', 'logs:PutLogEvents'];
// Publishing to a KMS-encrypted topic needs the key; an async failure destination needs the queue.
const ENCRYPTED_TOPIC_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey'];
const FAILURE_DESTINATION_ACTIONS = ['sqs:SendMessage'];
const SQS_SOURCE_ACTIONS = [
  'sqs:ChangeMessageVisibility',
  'sqs:DeleteMessage',
  'sqs:GetQueueAttributes',
  'sqs:ReceiveMessage',
];
// SDK operations whose IAM action has another name.
const IAM_ACTION_OF_OPERATION: Record<string, string> = {
  's3:ListObjectsV2': 's3:ListBucket',
  'sqs:SendMessageBatch': 'sqs:SendMessage',
};
const IAM_PREFIX_OF_CLIENT: Record<string, string> = {
  sagemaker: 'sagemaker',
  sns: 'sns',
  eventbridge: 'events',
  s3: 's3',
  cloudwatch: 'cloudwatch',
  sqs: 'sqs',
};

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

type Template = ReturnType<typeof packagedTemplate>;

const root = join(__dirname, '..', '..');

/** `service:Operation` for every SDK command the function's own source files import. */
function actionsCalledBy(handler: string): string[] {
  const entry = join(root, handler.replace(/\.[^.]+$/, '.ts'));
  const { metafile } = buildSync({
    entryPoints: [entry],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    packages: 'external',
    logLevel: 'silent',
  });
  const actions = new Set<string>();
  for (const file of Object.keys(metafile.inputs)) {
    const source = readFileSync(join(root, file), 'utf8');
    for (const [, names, client] of source.matchAll(
      /import\s*\{([^}]*)\}\s*from\s*'@aws-sdk\/client-([a-z0-9-]+)'/g,
    )) {
      const prefix = IAM_PREFIX_OF_CLIENT[client as string];
      if (prefix === undefined)
        throw new Error(`${file} imports @aws-sdk/client-${client}: add its IAM prefix`);
      for (const [, operation] of (names as string).matchAll(/(\w+)Command\b/g)) {
        actions.add(IAM_ACTION_OF_OPERATION[`${prefix}:${operation}`] ?? `${prefix}:${operation}`);
      }
    }
  }
  return [...actions].sort();
}

function functionsOf(template: Template) {
  return Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::Lambda::Function')
    .map(([logicalId, resource]) => {
      const properties = resource.Properties as {
        Handler: string;
        Role: { 'Fn::GetAtt': [string, string] };
      };
      const roleId = properties.Role['Fn::GetAtt'][0];
      const hasSqsSource = Object.values(template.Resources).some(
        (other) =>
          other.Type === 'AWS::Lambda::EventSourceMapping' &&
          JSON.stringify(other.Properties.FunctionName).includes(logicalId) &&
          JSON.stringify(other.Properties.EventSourceArn).includes('Arn'),
      );
      const hasFailureDestination = Object.values(template.Resources).some(
        (other) =>
          other.Type === 'AWS::Lambda::EventInvokeConfig' &&
          JSON.stringify(other.Properties.FunctionName).includes(logicalId) &&
          other.Properties.DestinationConfig !== undefined,
      );
      return {
        logicalId,
        handler: properties.Handler,
        roleId,
        hasSqsSource,
        hasFailureDestination,
      };
    });
}

function statementsOf(template: Template, roleId: string): Statement[] {
  const role = template.Resources[roleId];
  if (role?.Type !== 'AWS::IAM::Role') throw new Error(`${roleId} is not a role of this template`);
  const policies = (role.Properties.Policies ?? []) as Array<{
    PolicyDocument: { Statement: Statement[] };
  }>;
  expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  return policies.flatMap((policy) => policy.PolicyDocument.Statement);
}

/** The problems of one role against the actions its function calls; empty when least privilege holds. */
function leastPrivilegeProblems(
  statements: Statement[],
  called: string[],
  runtime: string[],
): string[] {
  const problems: string[] = [];
  const granted = new Set<string>();
  for (const statement of statements.filter((candidate) => candidate.Effect === 'Allow')) {
    const actions = [statement.Action].flat();
    for (const action of actions) {
      granted.add(action);
      if (action.includes('*')) problems.push(`wildcard action ${action}`);
      if (!called.includes(action) && !runtime.includes(action))
        problems.push(`grants ${action}, which its code never calls`);
      if ([statement.Resource].flat().includes('*') && !STAR_RESOURCE_EXCEPTIONS.includes(action)) {
        problems.push(`grants ${action} on * (not a documented exception)`);
      }
    }
  }
  for (const action of [...called, ...runtime]) {
    if (!granted.has(action)) problems.push(`lacks ${action}, which it needs`);
  }
  return problems;
}

describe('IAM: one role per function, exactly what its code calls', () => {
  let template: Template;
  beforeAll(() => {
    template = packagedTemplate('dev');
  });

  it('every function has its own role, and each role has the least privilege', () => {
    const functions = functionsOf(template);
    expect(functions.length).toBeGreaterThanOrEqual(2);
    expect(new Set(functions.map((fn) => fn.roleId)).size).toBe(functions.length);
    for (const fn of functions) {
      const called = actionsCalledBy(fn.handler);
      const runtime = [
        ...LAMBDA_RUNTIME_ACTIONS,
        ...(fn.hasSqsSource ? SQS_SOURCE_ACTIONS : []),
        ...(fn.hasFailureDestination ? FAILURE_DESTINATION_ACTIONS : []),
        ...(called.includes('sns:Publish') ? ENCRYPTED_TOPIC_ACTIONS : []),
      ];
      expect({
        function: fn.logicalId,
        problems: leastPrivilegeProblems(
          statementsOf(template, fn.roleId),
          actionsCalledBy(fn.handler),
          runtime,
        ),
      }).toEqual({
        function: fn.logicalId,
        problems: [],
      });
    }
  });

  it('no role of the stack grants a wildcard action or * outside the documented exceptions', () => {
    const roles = Object.entries(template.Resources).filter(
      ([, resource]) => resource.Type === 'AWS::IAM::Role',
    );
    expect(roles.map(([id]) => id)).toContain('PipelineExecutionRole');
    for (const [id] of roles) {
      const problems = statementsOf(template, id).flatMap((statement) =>
        [statement.Action]
          .flat()
          .flatMap((action) => [
            ...(action.includes('*') ? [`${id}: wildcard action ${action}`] : []),
            ...([statement.Resource].flat().includes('*') &&
            !STAR_RESOURCE_EXCEPTIONS.includes(action)
              ? [`${id}: ${action} on *`]
              : []),
          ]),
      );
      expect(problems).toEqual([]);
    }
  });

  it("the pipeline role reaches only this stack's bucket, model package group and function", () => {
    const resources = JSON.stringify(
      statementsOf(template, 'PipelineExecutionRole').map((statement) => statement.Resource),
    );
    expect(resources).toContain('s3:::mlops-control-plane-dev-data/*');
    expect(resources).toContain('model-package/mlops-control-plane-dev-models/*');
    expect(resources).toContain('GetApprovedModelLambdaFunction');
    // No bucket other than the stack's, and never all buckets.
    expect(resources).not.toMatch(/s3:::(?!mlops-control-plane-dev-data)/);
  });

  it('the code scan finds what each function calls', () => {
    expect(actionsCalledBy('functions/onDataUpload.handler')).toEqual([
      'sagemaker:StartPipelineExecution',
      'sqs:SendMessage',
    ]);
    expect(actionsCalledBy('functions/getApprovedModel.handler')).toEqual([
      'sagemaker:DescribeModelPackage',
      'sagemaker:ListModelPackages',
    ]);
    expect(actionsCalledBy('functions/onPipelineStatusChange.handler')).toEqual([
      's3:GetObject',
      'sagemaker:DescribePipelineExecution',
      'sagemaker:ListPipelineExecutionSteps',
      'sagemaker:ListPipelineParametersForExecution',
      'sns:Publish',
    ]);
    expect(actionsCalledBy('functions/onModelPackageStateChange.handler')).toEqual([
      's3:GetObject',
      'sagemaker:DescribeModelPackage',
      'sagemaker:StartPipelineExecution',
      'sns:Publish',
    ]);
  });

  it.each<[string, Statement, string]>([
    [
      'a wildcard action',
      { Effect: 'Allow', Action: 'sagemaker:*', Resource: 'arn:x' },
      'wildcard action sagemaker:*',
    ],
    [
      'a * resource outside the exceptions',
      { Effect: 'Allow', Action: 'sagemaker:StartPipelineExecution', Resource: '*' },
      'grants sagemaker:StartPipelineExecution on * (not a documented exception)',
    ],
    [
      'an action the code never calls',
      { Effect: 'Allow', Action: 'sagemaker:DeletePipeline', Resource: 'arn:x' },
      'grants sagemaker:DeletePipeline, which its code never calls',
    ],
  ])('the check fails on %s', (_why, extra, problem) => {
    const statements: Statement[] = [
      { Effect: 'Allow', Action: 'sagemaker:StartPipelineExecution', Resource: 'arn:x' },
      extra,
    ];
    expect(leastPrivilegeProblems(statements, ['sagemaker:StartPipelineExecution'], [])).toContain(
      problem,
    );
  });

  it('the check fails on a missing permission', () => {
    expect(leastPrivilegeProblems([], ['sagemaker:StartPipelineExecution'], [])).toEqual([
      'lacks sagemaker:StartPipelineExecution, which it needs',
    ]);
  });
});
