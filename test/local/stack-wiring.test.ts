import { cloudFormationStack } from '../../tooling/local/cloudformation-intrinsics';
import { readStackWiring } from '../../tooling/local/stack-wiring';
import { packagedTemplate } from '../support/serverless-package';

const location = { stackName: 'svc-local', region: 'eu-west-1', accountId: '000000000000' };

describe('cloudFormationStack: intrinsic functions as CloudFormation resolves them', () => {
  const stack = cloudFormationStack(
    {
      Conditions: { IsProd: { 'Fn::Equals': ['dev', 'prod'] } },
      Mappings: { Sizes: { dev: { memory: 256 } } },
      Resources: {
        Queue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'jobs' } },
        Topic: { Type: 'AWS::SNS::Topic', Properties: {} },
        Fn: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'svc-fn' } },
        Group: {
          Type: 'AWS::SageMaker::ModelPackageGroup',
          Properties: { ModelPackageGroupName: 'Models' },
        },
        Bucket: { Type: 'AWS::S3::Bucket', Properties: {} },
        ProdOnly: { Type: 'AWS::SQS::Queue', Condition: 'IsProd', Properties: {} },
      },
    },
    location,
  );

  it.each<[string, unknown, unknown]>([
    [
      'Ref of a queue is its URL',
      { Ref: 'Queue' },
      'https://sqs.eu-west-1.amazonaws.com/000000000000/jobs',
    ],
    [
      'Ref of a topic is its ARN, named by CloudFormation',
      { Ref: 'Topic' },
      'arn:aws:sns:eu-west-1:000000000000:svc-local-Topic-local',
    ],
    ['Ref of a function is its name', { Ref: 'Fn' }, 'svc-fn'],
    [
      'Ref of a model package group is its ARN, lower case',
      { Ref: 'Group' },
      'arn:aws:sagemaker:eu-west-1:000000000000:model-package-group/models',
    ],
    ['a generated bucket name is lower case', { Ref: 'Bucket' }, 'svc-local-bucket-local'],
    [
      'GetAtt Arn of a queue',
      { 'Fn::GetAtt': ['Queue', 'Arn'] },
      'arn:aws:sqs:eu-west-1:000000000000:jobs',
    ],
    [
      'GetAtt in dotted form',
      { 'Fn::GetAtt': 'Fn.Arn' },
      'arn:aws:lambda:eu-west-1:000000000000:function:svc-fn',
    ],
    [
      'Sub with pseudo parameters and attributes',
      { 'Fn::Sub': 'arn:${AWS::Partition}:x:${AWS::Region}:${Queue.QueueName}' },
      'arn:aws:x:eu-west-1:jobs',
    ],
    [
      'Sub with variables and a literal ${!}',
      { 'Fn::Sub': ['${A}-${!Kept}', { A: { Ref: 'Fn' } }] },
      'svc-fn-${Kept}',
    ],
    ['If on a condition', { 'Fn::If': ['IsProd', 'big', 'small'] }, 'small'],
    [
      'Join, Select and Split',
      { 'Fn::Join': ['/', [{ 'Fn::Select': [1, { 'Fn::Split': [',', 'a,b'] }] }, 'c']] },
      'b/c',
    ],
    ['FindInMap', { 'Fn::FindInMap': ['Sizes', 'dev', 'memory'] }, 256],
    [
      'NoValue removes a list item and a key',
      { list: ['a', { Ref: 'AWS::NoValue' }], gone: { Ref: 'AWS::NoValue' } },
      { list: ['a'] },
    ],
  ])('%s', (_why, value, expected) => {
    expect(stack.resolve(value)).toEqual(expected);
  });

  it('leaves out resources whose condition is false', () => {
    expect(stack.resourcesOfType('AWS::SQS::Queue')).toEqual(['Queue']);
  });

  it('names an intrinsic it cannot resolve', () => {
    expect(() => stack.resolve({ 'Fn::ImportValue': 'x' })).toThrow(
      'Fn::ImportValue is not emulated',
    );
    expect(() => stack.resolve({ 'Fn::GetAtt': ['Queue', 'Nope'] })).toThrow(
      'Fn::GetAtt Queue.Nope',
    );
  });
});

describe('readStackWiring on the packaged dev template', () => {
  const wiring = readStackWiring(packagedTemplate('dev'), {
    ...location,
    stackName: 'mlops-control-plane-dev',
  });

  it('finds every function with its handler, artifact and resolved environment', () => {
    const onDataUpload = wiring.functions.find(
      (fn) => fn.logicalId === 'OnDataUploadLambdaFunction',
    );
    expect(onDataUpload).toMatchObject({
      name: 'mlops-control-plane-dev-onDataUpload',
      arn: 'arn:aws:lambda:eu-west-1:000000000000:function:mlops-control-plane-dev-onDataUpload',
      handler: 'functions/onDataUpload.handler',
      artifact: 'onDataUpload.zip',
      timeoutSeconds: 60,
    });
    expect(JSON.parse(onDataUpload?.environment.DATA_UPLOAD_CONFIG ?? '{}')).toHaveProperty(
      'routes',
    );
    for (const fn of wiring.functions) {
      expect(Object.values(fn.environment).every((value) => typeof value === 'string')).toBe(true);
    }
  });

  it('maps the upload rule to its queue, and the queue to onDataUpload with partial batch failures', () => {
    const rule = wiring.rules.find((candidate) => candidate.logicalId === 'DataUploadRule');
    expect(rule?.eventPattern).toMatchObject({
      source: ['aws.s3'],
      'detail-type': ['Object Created'],
    });
    expect(rule?.targets).toEqual([
      expect.objectContaining({
        arn: 'arn:aws:sqs:eu-west-1:000000000000:mlops-control-plane-dev-data-upload-buffer',
        deadLetterArn: 'arn:aws:sqs:eu-west-1:000000000000:mlops-control-plane-dev-data-upload-dlq',
      }),
    ]);
    expect(wiring.queueEventSources).toContainEqual({
      queueArn: 'arn:aws:sqs:eu-west-1:000000000000:mlops-control-plane-dev-data-upload-buffer',
      functionName:
        'arn:aws:lambda:eu-west-1:000000000000:function:mlops-control-plane-dev-onDataUpload',
      batchSize: 1000,
      batchingWindowSeconds: 60,
      reportBatchItemFailures: true,
    });
    expect(wiring.queues.find((queue) => queue.logicalId === 'DataUploadBuffer')?.redrive).toEqual({
      deadLetterArn: 'arn:aws:sqs:eu-west-1:000000000000:mlops-control-plane-dev-data-upload-dlq',
      maxReceiveCount: 5,
    });
  });

  it('maps the monitoring rules to the FIFO queue in their message groups, and the queue to onMonitoringViolation', () => {
    const monitoringQueue =
      'arn:aws:sqs:eu-west-1:000000000000:mlops-control-plane-dev-monitoring.fifo';
    const rule = wiring.rules.find(
      (candidate) => candidate.logicalId === 'MonitoringTrainingHpoRule',
    );
    expect(rule?.targets).toEqual([
      expect.objectContaining({ arn: monitoringQueue, messageGroupId: 'training-hpo' }),
    ]);
    expect(wiring.queues.find((queue) => queue.arn === monitoringQueue)).toMatchObject({
      fifo: true,
      contentBasedDeduplication: true,
      redrive: {
        deadLetterArn:
          'arn:aws:sqs:eu-west-1:000000000000:mlops-control-plane-dev-monitoring-dlq.fifo',
        maxReceiveCount: 5,
      },
    });
    expect(wiring.queueEventSources).toContainEqual({
      queueArn: monitoringQueue,
      functionName:
        'arn:aws:lambda:eu-west-1:000000000000:function:mlops-control-plane-dev-onMonitoringViolation',
      batchSize: 1,
      batchingWindowSeconds: 0,
      reportBatchItemFailures: true,
    });
  });

  it('reads the pipelines with their definitions substituted, and the model package group', () => {
    expect(wiring.pipelines.map((pipeline) => pipeline.name)).toEqual([
      'mlops-control-plane-dev-training',
      'mlops-control-plane-dev-training-hpo',
      'mlops-control-plane-dev-batch-inference',
    ]);
    for (const pipeline of wiring.pipelines) {
      expect(pipeline.definition).not.toContain('${');
      expect(JSON.parse(pipeline.definition)).toHaveProperty('Steps');
    }
    const batchInference = wiring.pipelines[2]?.definition ?? '';
    expect(batchInference).toContain(
      'arn:aws:lambda:eu-west-1:000000000000:function:mlops-control-plane-dev-getApprovedModel',
    );
    expect(wiring.modelPackageGroups).toEqual(['mlops-control-plane-dev-models']);
    expect(wiring.buckets).toContainEqual({
      name: 'mlops-control-plane-dev-data-000000000000-eu-west-1',
      eventBridgeEnabled: true,
    });
  });

  it('reads the topics (ARNs, display names)', () => {
    expect(wiring.topics.map((topic) => topic.arn)).toContain(
      'arn:aws:sns:eu-west-1:000000000000:mlops-control-plane-dev-notifications',
    );
  });
});

describe('readStackWiring on the packaged prod template (recipients given)', () => {
  it('reads e-mail subscriptions with their filter policies', () => {
    const wiring = readStackWiring(packagedTemplate('prod'), {
      ...location,
      stackName: 'mlops-control-plane-prod',
    });
    expect(wiring.subscriptions).toContainEqual({
      topicArn: 'arn:aws:sns:eu-west-1:000000000000:mlops-control-plane-prod-notifications',
      protocol: 'email',
      endpoint: 'ds@example.com',
      filterPolicy: { category: expect.arrayContaining(['model-approval']) as unknown },
      filterPolicyScope: 'MessageAttributes',
    });
  });
});
