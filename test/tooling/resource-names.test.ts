import { resourceNameProblems } from '../../tooling/resource-names';
import { packagedTemplate } from '../support/serverless-package';

const deployment = { stackName: 'svc-dev', region: 'eu-west-1' };

function problemsOf(type: string, properties: Record<string, unknown>): string[] {
  return resourceNameProblems(
    { Resources: { Thing: { Type: type, Properties: properties } } },
    deployment,
  );
}

describe('resourceNameProblems: every generated name against its AWS limit', () => {
  it('finds none in the packaged templates', () => {
    expect(
      resourceNameProblems(packagedTemplate('dev'), {
        ...deployment,
        stackName: 'mlops-control-plane-dev',
      }),
    ).toEqual([]);
    expect(
      resourceNameProblems(packagedTemplate('prod'), {
        ...deployment,
        stackName: 'mlops-control-plane-prod',
      }),
    ).toEqual([]);
  });

  it.each<[string, string, Record<string, unknown>, string]>([
    [
      'a function name over 64',
      'AWS::Lambda::Function',
      { FunctionName: 'f'.repeat(65) },
      'is 65 characters; a Lambda function name has at most 64',
    ],
    [
      'a rule name over 64',
      'AWS::Events::Rule',
      { Name: 'r'.repeat(65) },
      'an EventBridge rule name has at most 64',
    ],
    [
      'a FIFO queue name over 80 with .fifo',
      'AWS::SQS::Queue',
      { QueueName: `${'q'.repeat(76)}.fifo` },
      'is 81 characters; an SQS queue name (.fifo included) has at most 80',
    ],
    [
      'a role name over 64',
      'AWS::IAM::Role',
      { RoleName: 'r'.repeat(65) },
      'an IAM role name has at most 64',
    ],
    [
      'a model package group over 63',
      'AWS::SageMaker::ModelPackageGroup',
      { ModelPackageGroupName: 'g'.repeat(64) },
      'a model package group name has at most 63',
    ],
    [
      'a topic name with a dot',
      'AWS::SNS::Topic',
      { TopicName: 'a.b' },
      'is not an SNS topic name',
    ],
    [
      'a pipeline name with an underscore',
      'AWS::SageMaker::Pipeline',
      { PipelineName: 'a_b' },
      'is not a SageMaker pipeline name',
    ],
    [
      'a KMS alias in the aws/ namespace',
      'AWS::KMS::Alias',
      { AliasName: 'alias/aws/x' },
      'is not a KMS alias',
    ],
    [
      'a log group with a space',
      'AWS::Logs::LogGroup',
      { LogGroupName: '/aws/lambda/a b' },
      'is not a log group name',
    ],
    [
      'a bucket name over 63 once the account id is in',
      'AWS::S3::Bucket',
      { BucketName: { 'Fn::Sub': `${'b'.repeat(40)}-data-\${AWS::AccountId}-\${AWS::Region}` } },
      `${'b'.repeat(40)}-data-<account>-eu-west-1 is 68 characters; an S3 bucket name has at most 63`,
    ],
    [
      'an upper-case bucket name',
      'AWS::S3::Bucket',
      { BucketName: 'Svc-data' },
      'Svc-data is not an S3 bucket name: use only lower-case',
    ],
  ])('names %s, and the limit', (_why, type, properties, problem) => {
    const problems = problemsOf(type, properties);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`Thing: `);
    expect(problems[0]).toContain(problem);
  });

  it('finds two resources of a kind with one name', () => {
    const rule = (name: string) => ({ Type: 'AWS::Events::Rule', Properties: { Name: name } });
    expect(
      resourceNameProblems(
        {
          Resources: {
            ScheduleModelMonitorRule: rule('svc-dev-model-monitor'),
            MonitoringModelMonitorRule: rule('svc-dev-model-monitor'),
          },
        },
        deployment,
      ),
    ).toEqual([
      'MonitoringModelMonitorRule: svc-dev-model-monitor is already the name of ScheduleModelMonitorRule; an EventBridge rule name is unique',
    ]);
  });

  it('checks the stack name too', () => {
    expect(
      resourceNameProblems({ Resources: {} }, { ...deployment, stackName: 'svc-dev_1' }),
    ).toEqual([
      'the stack: svc-dev_1 is not a CloudFormation stack name: use only letters, digits and hyphens, starting with a letter',
    ]);
  });
});
