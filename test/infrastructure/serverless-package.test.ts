import { dataUploadConfigSchema } from '../../functions/config/data-upload-config';
import { cloudFormationStack } from '../../tooling/local/cloudformation-intrinsics';
import { type CloudFormationTemplate, validateTemplate } from '../support/cloudformation-validator';
import {
  type PackagedTemplate,
  packageStage,
  packagedTemplate,
} from '../support/serverless-package';

type Template = PackagedTemplate;

function policyStatements(template: Template, roleId: string): Array<Record<string, unknown>> {
  const policies = template.Resources[roleId]?.Properties.Policies as Array<{
    PolicyDocument: { Statement: Array<Record<string, unknown>> };
  }>;
  return policies.flatMap((policy) => policy.PolicyDocument.Statement);
}

describe('serverless package (offline)', () => {
  let dev: Template;
  let prod: Template;
  beforeAll(() => {
    dev = packagedTemplate('dev');
    prod = packagedTemplate('prod');
  });

  it('every resource is valid against the CloudFormation resource database (dev and prod)', () => {
    expect(validateTemplate(dev as CloudFormationTemplate)).toEqual([]);
    expect(validateTemplate(prod as CloudFormationTemplate)).toEqual([]);
  });

  it('the validator catches unknown types and properties, missing required ones and dangling references', () => {
    const broken = JSON.parse(JSON.stringify(dev)) as CloudFormationTemplate;
    broken.Resources.Typo = { Type: 'AWS::SQS::Queu' };
    (broken.Resources.DataUploadBuffer!.Properties as Record<string, unknown>).VisibilityTimeOut =
      30;
    delete broken.Resources.OnDataUploadRole!.Properties!.AssumeRolePolicyDocument;
    (broken.Resources.DataUploadRule!.Properties as Record<string, unknown>).State = 'ON';
    delete broken.Resources.DataUploadDeadLetterQueue;
    expect(validateTemplate(broken)).toEqual(
      expect.arrayContaining([
        'Typo: unknown resource type AWS::SQS::Queu',
        'DataUploadBuffer: unknown property VisibilityTimeOut',
        'OnDataUploadRole: required property AssumeRolePolicyDocument is missing',
        'DataUploadRule.State: ON is not one of DISABLED, ENABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
        'Resources.DataUploadRule.Properties.Targets[0].DeadLetterConfig.Arn: Fn::GetAtt DataUploadDeadLetterQueue.Arn does not exist',
      ]),
    );
  });

  it('routes S3 Object Created events of the configured bucket and prefixes to the buffer', () => {
    const rule = dev.Resources.DataUploadRule?.Properties;
    expect(rule?.EventPattern).toEqual({
      source: ['aws.s3'],
      'detail-type': ['Object Created'],
      detail: {
        // Unique to the account (filled in by CloudFormation) and the region.
        bucket: {
          name: [{ 'Fn::Sub': 'mlops-control-plane-dev-data-${AWS::AccountId}-eu-west-1' }],
        },
        object: {
          key: [
            { prefix: 'data/training/' },
            { prefix: 'data/curated/' },
            { prefix: 'data/inference/incoming/' },
            // The route's prefix is data/ground-truth/{day}/: the rule's stops at the placeholder.
            { prefix: 'data/ground-truth/' },
          ],
        },
      },
    });
    expect(rule?.Targets).toEqual([
      {
        Id: 'data-upload-buffer',
        Arn: { 'Fn::GetAtt': ['DataUploadBuffer', 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': ['DataUploadDeadLetterQueue', 'Arn'] } },
      },
    ]);
  });

  it('the buffer parks failing notifications in the DLQ after the stage’s receive count', () => {
    for (const [template, receives] of [
      [dev, 5],
      [prod, 8],
    ] as const) {
      expect(template.Resources.DataUploadBuffer?.Properties.RedrivePolicy).toEqual({
        deadLetterTargetArn: { 'Fn::GetAtt': ['DataUploadDeadLetterQueue', 'Arn'] },
        maxReceiveCount: receives,
      });
    }
  });

  it('only the upload rule may send to the queues, and only over TLS', () => {
    const statements = (
      dev.Resources.DataUploadQueuesPolicy?.Properties.PolicyDocument as {
        Statement: Array<Record<string, unknown>>;
      }
    ).Statement;
    expect(statements[0]).toMatchObject({
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Condition: { ArnEquals: { 'aws:SourceArn': [{ 'Fn::GetAtt': ['DataUploadRule', 'Arn'] }] } },
    });
    expect(statements[1]).toMatchObject({
      Effect: 'Deny',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
  });

  it('the function consumes the buffer in batches and reports partial failures', () => {
    const mapping = Object.values(dev.Resources).find(
      (resource) => resource.Type === 'AWS::Lambda::EventSourceMapping',
    );
    expect(mapping?.Properties).toMatchObject({
      BatchSize: 1000,
      MaximumBatchingWindowInSeconds: 60,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      EventSourceArn: { 'Fn::GetAtt': ['DataUploadBuffer', 'Arn'] },
    });
  });

  it('no function reserves concurrency (a new account, quota 10, refuses any reservation)', () => {
    const functions = Object.values(dev.Resources).filter(
      (resource) => resource.Type === 'AWS::Lambda::Function',
    );
    expect(functions.length).toBeGreaterThan(0);
    for (const fn of functions) expect(fn.Properties.ReservedConcurrentExecutions).toBeUndefined();
  });

  it('every queue a function consumes hides a message for at least six times its timeout', () => {
    const mappings = Object.values(dev.Resources).filter(
      (resource) => resource.Type === 'AWS::Lambda::EventSourceMapping',
    );
    expect(mappings.length).toBeGreaterThanOrEqual(2);
    for (const { Properties: mapping } of mappings) {
      const [queueId] = (mapping.EventSourceArn as { 'Fn::GetAtt': [string] })['Fn::GetAtt'];
      const [functionId] = (mapping.FunctionName as { 'Fn::GetAtt': [string] })['Fn::GetAtt'];
      const visibility = Number(dev.Resources[queueId]?.Properties.VisibilityTimeout);
      const timeout = Number(dev.Resources[functionId]?.Properties.Timeout);
      expect({ queueId, ok: visibility >= 6 * timeout }).toEqual({ queueId, ok: true });
    }
  });

  it('onMonitoringViolation takes its events from a FIFO queue, one group per retrain target', () => {
    const mapping = Object.values(dev.Resources).find(
      (resource) =>
        resource.Type === 'AWS::Lambda::EventSourceMapping' &&
        JSON.stringify(resource.Properties.EventSourceArn).includes('MonitoringQueue'),
    );
    expect(mapping?.Properties).toMatchObject({
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      FunctionName: { 'Fn::GetAtt': ['OnMonitoringViolationLambdaFunction', 'Arn'] },
    });
    expect(dev.Resources.MonitoringQueue?.Properties).toMatchObject({
      QueueName: 'mlops-control-plane-dev-monitoring.fifo',
      FifoQueue: true,
      // EventBridge sends to a FIFO queue only with content-based deduplication.
      ContentBasedDeduplication: true,
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': ['MonitoringDeadLetterQueue', 'Arn'] },
      },
    });
    expect(dev.Resources.MonitoringDeadLetterQueue?.Properties.FifoQueue).toBe(true);
    const rules = Object.entries(dev.Resources).filter(([, resource]) =>
      JSON.stringify(resource.Properties.Targets ?? []).includes('"MonitoringQueue"'),
    );
    // By default only the model-quality marker retrains (training-hpo); no alarm, no monitor.
    expect(
      rules.map(([id, rule]) => [
        id,
        (rule.Properties.Targets as Array<{ SqsParameters: unknown }>).map(
          (target) => target.SqsParameters,
        ),
      ]),
    ).toEqual([['MonitoringTrainingHpoRule', [{ MessageGroupId: 'training-hpo' }]]]);
    const [allow] = (
      dev.Resources.MonitoringQueuePolicy?.Properties.PolicyDocument as {
        Statement: Array<Record<string, unknown>>;
      }
    ).Statement;
    expect(allow?.Condition).toEqual({
      ArnEquals: { 'aws:SourceArn': [{ 'Fn::GetAtt': ['MonitoringTrainingHpoRule', 'Arn'] }] },
    });
  });

  it('the function runs with its own role and a configuration the function itself accepts', () => {
    const fn = dev.Resources.OnDataUploadLambdaFunction?.Properties as {
      Role: unknown;
      Runtime: string;
      Environment: { Variables: Record<string, unknown> };
    };
    expect(fn.Role).toEqual({ 'Fn::GetAtt': ['OnDataUploadRole', 'Arn'] });
    expect(fn.Runtime).toBe('nodejs22.x');
    const deployed = cloudFormationStack(dev, {
      stackName: 'mlops-control-plane-dev',
      region: 'eu-west-1',
      accountId: '123456789012',
    }).resolve(fn.Environment.Variables.DATA_UPLOAD_CONFIG);
    const config = dataUploadConfigSchema.parse(JSON.parse(String(deployed)));
    expect(config.routes.map((route) => route.pipeline)).toContain(
      'mlops-control-plane-dev-training',
    );
    expect(config.routes.map((route) => route.bucket)).toContain(
      'mlops-control-plane-dev-data-123456789012-eu-west-1',
    );
  });

  it('IAM: StartPipelineExecution on the routed pipelines only; nothing is granted on *', () => {
    const statements = policyStatements(dev, 'OnDataUploadRole');
    const sageMaker = statements.find((statement) => statement.Sid === 'StartRoutedPipelines');
    expect(sageMaker?.Action).toBe('sagemaker:StartPipelineExecution');
    expect(sageMaker?.Resource).toEqual([
      {
        'Fn::Sub':
          'arn:${AWS::Partition}:sagemaker:${AWS::Region}:${AWS::AccountId}:pipeline/mlops-control-plane-dev-training',
      },
      {
        'Fn::Sub':
          'arn:${AWS::Partition}:sagemaker:${AWS::Region}:${AWS::AccountId}:pipeline/mlops-control-plane-dev-batch-inference',
      },
    ]);
    for (const statement of statements) {
      expect([statement.Action].flat()).not.toContainEqual(expect.stringMatching(/\*/));
      expect([statement.Resource].flat()).not.toContain('*');
    }
    expect(statements.flatMap((statement) => [statement.Action].flat()).sort()).toEqual([
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'sagemaker:StartPipelineExecution',
      'sqs:ChangeMessageVisibility',
      'sqs:DeleteMessage',
      'sqs:GetQueueAttributes',
      'sqs:ReceiveMessage',
      'sqs:SendMessage',
    ]);
  });

  it.each<[string, string[], string]>([
    [
      'an upper-case stage (the default bucket name is lower case)',
      ['--stage', 'Dev'],
      'parameter dataBucket (params.default.dataBucket in serverless.yml): mlops-control-plane-Dev-data-<account>-eu-west-1 is not an S3 bucket name: use only lower-case letters',
    ],
    [
      'a 20-character stage (the default bucket name)',
      ['--stage', 'abcdefghijklmnopqrst'],
      'mlops-control-plane-abcdefghijklmnopqrst-data-<account>-eu-west-1 is 68 characters; an S3 bucket name has 3-63',
    ],
    [
      'a 20-character stage with a bucket of your own (a function name)',
      ['--stage', 'abcdefghijklmnopqrst', '--param=dataBucket=my-team-ml-data'],
      'OnModelPackageStateChangeLambdaFunction: mlops-control-plane-abcdefghijklmnopqrst-onModelPackageStateChange is 66 characters; a Lambda function name has at most 64',
    ],
  ])(
    '%s fails packaging with one error naming the limit',
    async (_why, args, message) => {
      const failure = (await packageStage(...args).then(
        () => ({ stdout: 'packaged' }),
        (error: { stdout: string }) => error,
      )) as { stdout: string };
      expect(failure.stdout).toContain(message);
      expect(failure.stdout.match(/Error:/g)).toHaveLength(1);
    },
    120_000,
  );

  it('the function may send only to the buffer and its DLQ, and its environment names both', () => {
    const handBack = policyStatements(dev, 'OnDataUploadRole').find(
      (statement) => statement.Sid === 'HandBackUploadNotifications',
    );
    expect(handBack).toMatchObject({
      Effect: 'Allow',
      Action: 'sqs:SendMessage',
      Resource: [
        { 'Fn::GetAtt': ['DataUploadBuffer', 'Arn'] },
        { 'Fn::GetAtt': ['DataUploadDeadLetterQueue', 'Arn'] },
      ],
    });
    const fn = dev.Resources.OnDataUploadLambdaFunction?.Properties as {
      Environment: { Variables: Record<string, unknown> };
    };
    expect(fn.Environment.Variables).toMatchObject({
      UPLOAD_BUFFER_URL: { Ref: 'DataUploadBuffer' },
      UPLOAD_DEAD_LETTER_QUEUE_URL: { Ref: 'DataUploadDeadLetterQueue' },
    });
  });
});
