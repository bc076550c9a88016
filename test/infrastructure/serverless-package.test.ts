import { dataUploadConfigSchema } from '../../functions/config/data-upload-config';
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
        bucket: { name: ['mlops-control-plane-dev-data'] },
        object: {
          key: [
            { prefix: 'data/training/' },
            { prefix: 'data/curated/' },
            { prefix: 'data/inference/' },
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
      Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': ['DataUploadRule', 'Arn'] } } },
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

  it('the function runs with its own role and a configuration the function itself accepts', () => {
    const fn = dev.Resources.OnDataUploadLambdaFunction?.Properties as {
      Role: unknown;
      Runtime: string;
      Environment: { Variables: Record<string, string> };
    };
    expect(fn.Role).toEqual({ 'Fn::GetAtt': ['OnDataUploadRole', 'Arn'] });
    expect(fn.Runtime).toBe('nodejs22.x');
    const config = dataUploadConfigSchema.parse(
      JSON.parse(fn.Environment.Variables.DATA_UPLOAD_CONFIG ?? ''),
    );
    expect(config.routes.map((route) => route.pipeline)).toContain(
      'mlops-control-plane-dev-training',
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

  it('a bad configuration value fails packaging with the key named', async () => {
    await expect(
      packageStage('--stage', 'dev', '--param=folderWindowSeconds=5'),
    ).rejects.toMatchObject({
      stdout: expect.stringContaining(
        'Invalid configuration in custom.mlops.dataUpload: routes[0].windowSeconds: must be between 60 and 86400',
      ),
    });
  }, 60_000);
});
