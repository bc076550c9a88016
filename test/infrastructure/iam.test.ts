import { buildSync } from 'esbuild';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import imageRegistries from '../../pipeline-definitions/images/sagemaker-image-registries.json';
import { EMAIL_IDEMPOTENCY_PARTITION } from '../../functions/aws/emails-once';
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
// The IAM condition key DynamoDB checks against each item's partition key.
const LEDGER_KEY_CONDITION = 'dynamodb:LeadingKeys';
const LAMBDA_RUNTIME_ACTIONS = ['logs:CreateLogStream', 'logs:PutLogEvents'];
// Publishing to a KMS-encrypted topic needs the key; an async failure destination needs the queue.
const ENCRYPTED_TOPIC_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey'];
const FAILURE_DESTINATION_ACTIONS = ['sqs:SendMessage'];
// Reading a report that may not be there: with s3:ListBucket a missing key answers NoSuchKey (no
// report, nothing to say) instead of AccessDenied (retried into the dead-letter queue).
const MISSING_KEY_ACTIONS = ['s3:ListBucket'];
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
  dynamodb: 'dynamodb',
  sqs: 'sqs',
};
// Libraries that call AWS on a function's behalf (Powertools idempotency's DynamoDB persistence
// layer): their sources are scanned like ours.
const AWS_CALLING_LIBRARIES = /^@aws-lambda-powertools\//;
const OTHER_PACKAGES = [
  '@aws-sdk/*',
  ...Object.keys(
    (
      JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
        dependencies: Record<string, string>;
      }
    ).dependencies,
  )
    .filter((name) => !AWS_CALLING_LIBRARIES.test(name))
    .flatMap((name) => [name, `${name}/*`]),
];

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

type Template = ReturnType<typeof packagedTemplate>;

const root = join(__dirname, '..', '..');

/**
 * `service:Operation` for every SDK command that the function's own source files import, or the
 * libraries that call AWS for it. Built as ES modules so that those libraries' `import` lines
 * read like ours.
 */
function actionsCalledBy(handler: string): string[] {
  const entry = join(root, handler.replace(/\.[^.]+$/, '.ts'));
  const { metafile } = buildSync({
    entryPoints: [entry],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    logLevel: 'silent',
    external: OTHER_PACKAGES,
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

/** A role's statements: its inline policies and the policies attached to it (the ledger's). */
function statementsOf(template: Template, roleId: string): Statement[] {
  const role = template.Resources[roleId];
  if (role?.Type !== 'AWS::IAM::Role') throw new Error(`${roleId} is not a role of this template`);
  const inline = (role.Properties.Policies ?? []) as Array<{
    PolicyDocument: { Statement: Statement[] };
  }>;
  const attached = Object.values(template.Resources)
    .filter(
      (resource) =>
        resource.Type === 'AWS::IAM::Policy' &&
        (resource.Properties.Roles as unknown[]).some(
          (reference) => JSON.stringify(reference) === JSON.stringify({ Ref: roleId }),
        ),
    )
    .map((resource) => resource.Properties as { PolicyDocument: { Statement: Statement[] } });
  expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  return [...inline, ...attached].flatMap((policy) => policy.PolicyDocument.Statement);
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
        ...(called.includes('s3:GetObject') ? MISSING_KEY_ACTIONS : []),
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
    const bucket = 'mlops-control-plane-dev-data-${AWS::AccountId}-eu-west-1';
    expect(resources).toContain(`s3:::${bucket}/*`);
    expect(resources).toContain('model-package/mlops-control-plane-dev-models/*');
    expect(resources).toContain('GetApprovedModelLambdaFunction');
    // No bucket other than the stack's, and never all buckets.
    expect(
      resources
        .split('s3:::')
        .slice(1)
        .every((arn) => arn.startsWith(bucket)),
    ).toBe(true);
  });

  it.each<[string, string[]]>([
    [
      'OnPipelineStatusChangeRole',
      [
        'pipelines/mlops-control-plane-dev-training/*/BaselineDataQuality/*',
        'pipelines/mlops-control-plane-dev-training-hpo/*/BaselineDataQuality/*',
        'pipelines/mlops-control-plane-dev-batch-inference/*/CheckInputDataQuality/*',
      ],
    ],
    [
      'OnModelPackageStateChangeRole',
      [
        'pipelines/mlops-control-plane-dev-training/*/Evaluate/*',
        'pipelines/mlops-control-plane-dev-training-hpo/*/Evaluate/*',
      ],
    ],
    ['OnMonitoringViolationRole', ['monitoring/*']],
  ])('%s reads and lists only the report prefixes, not the whole bucket', (roleId, keys) => {
    const bucket = 'mlops-control-plane-dev-data-${AWS::AccountId}-eu-west-1';
    const statements = statementsOf(template, roleId);
    const reads = statements.filter((statement) => statement.Action === 's3:GetObject');
    expect(reads.flatMap((statement) => [statement.Resource].flat())).toEqual(
      keys.map((key) => ({ 'Fn::Sub': `arn:\${AWS::Partition}:s3:::${bucket}/${key}` })),
    );
    const lists = statements.filter((statement) => statement.Action === 's3:ListBucket');
    expect(lists).toEqual([
      expect.objectContaining({
        Resource: { 'Fn::Sub': `arn:\${AWS::Partition}:s3:::${bucket}` },
        Condition: { StringLike: { 's3:prefix': keys } },
      }),
    ]);
  });

  it("the notifications dead-letter queue admits exactly this stage's rules that dead-letter into it", () => {
    const senders = Object.entries(template.Resources)
      .filter(([, resource]) =>
        JSON.stringify(resource.Properties.Targets ?? []).includes(
          '"DeadLetterConfig":{"Arn":{"Fn::GetAtt":["NotificationsDeadLetterQueue","Arn"]}}',
        ),
      )
      .map(([id]) => ({ 'Fn::GetAtt': [id, 'Arn'] }));
    expect(senders.length).toBeGreaterThanOrEqual(5);
    const [allow, denyInsecure] = (
      template.Resources.NotificationsDeadLetterQueuePolicy?.Properties.PolicyDocument as {
        Statement: Statement[];
      }
    ).Statement;
    expect(allow).toMatchObject({
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Condition: { ArnEquals: { 'aws:SourceArn': senders } },
    });
    expect(denyInsecure?.Condition).toEqual({ Bool: { 'aws:SecureTransport': 'false' } });
  });

  it("the pipeline role pulls images only from the region's SageMaker registry accounts", () => {
    const pull = statementsOf(template, 'PipelineExecutionRole').find(
      (statement) => statement.Sid === 'PullSageMakerImages',
    );
    const expected = (['xgboost', 'sklearn', 'model-monitor'] as const).map((image) => {
      const { repository, registries } = imageRegistries[image];
      return {
        'Fn::Sub': `arn:\${AWS::Partition}:ecr:eu-west-1:${registries['eu-west-1']}:repository/${repository}`,
      };
    });
    expect(pull?.Resource).toEqual(expected);
  });

  it('the ledger: records outside the e-mail partition, idempotency inside it, events on one bus', () => {
    const ledgerTable = { 'Fn::GetAtt': ['LedgerTable', 'Arn'] };
    const bus = {
      'Fn::Sub': 'arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/default',
    };
    const partitionOnly = { [LEDGER_KEY_CONDITION]: [EMAIL_IDEMPOTENCY_PARTITION] };
    for (const fn of functionsOf(template)) {
      const called = actionsCalledBy(fn.handler);
      const statements = statementsOf(template, fn.roleId);
      const granting = (action: string) =>
        statements.filter((statement) => [statement.Action].flat().includes(action));
      for (const action of called.filter((candidate) => candidate.startsWith('dynamodb:'))) {
        const idempotency = action !== 'dynamodb:BatchWriteItem';
        expect({ fn: fn.logicalId, action, grants: granting(action) }).toEqual({
          fn: fn.logicalId,
          action,
          grants: [
            expect.objectContaining({
              Resource: ledgerTable,
              Condition: idempotency
                ? { 'ForAllValues:StringEquals': partitionOnly }
                : { 'ForAllValues:StringNotEquals': partitionOnly },
            }),
          ],
        });
      }
      const putEvents = granting('events:PutEvents');
      expect({
        fn: fn.logicalId,
        resources: putEvents.map((statement) => statement.Resource),
      }).toEqual({
        fn: fn.logicalId,
        resources: called.includes('events:PutEvents') ? [bus] : [],
      });
    }
  });

  it('the code scan finds what each function calls', () => {
    // Decisions recorded and announced; e-mails sent once (Powertools idempotency's own calls).
    const LEDGER_AND_EMAIL_ACTIONS = [
      'dynamodb:BatchWriteItem',
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'events:PutEvents',
    ];
    expect(actionsCalledBy('functions/onDataUpload.handler')).toEqual([
      'dynamodb:BatchWriteItem',
      'events:PutEvents',
      'sagemaker:StartPipelineExecution',
      'sqs:SendMessage',
    ]);
    expect(actionsCalledBy('functions/getApprovedModel.handler')).toEqual([
      'sagemaker:DescribeModelPackage',
      'sagemaker:ListModelPackages',
    ]);
    expect(actionsCalledBy('functions/onPipelineStatusChange.handler')).toEqual([
      ...LEDGER_AND_EMAIL_ACTIONS,
      's3:GetObject',
      'sagemaker:DescribePipelineExecution',
      'sagemaker:ListPipelineExecutionSteps',
      'sagemaker:ListPipelineParametersForExecution',
      'sns:Publish',
    ]);
    expect(actionsCalledBy('functions/onModelPackageStateChange.handler')).toEqual([
      ...LEDGER_AND_EMAIL_ACTIONS,
      's3:GetObject',
      'sagemaker:DescribeModelPackage',
      'sagemaker:DescribePipelineExecution',
      'sagemaker:ListModelPackages',
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
