import {
  GetObjectCommand,
  type GetObjectCommandOutput,
  NoSuchKey,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  DescribePipelineExecutionCommand,
  ListPipelineExecutionStepsCommand,
  ListPipelineParametersForExecutionCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import {
  readFailedSteps,
  readQualityCheck,
  readStepFailureMessage,
} from '../../functions/aws/pipeline-execution-steps';
import { readExecutionFailureReason } from '../../functions/aws/pipeline-executions';
import { readRunParameters } from '../../functions/aws/pipeline-parameters';
import { readJsonObject } from '../../functions/aws/s3-objects';
import { publishNotification } from '../../functions/aws/sns-publisher';

const executionArn =
  'arn:aws:sagemaker:eu-west-1:123456789012:pipeline/mlops-dev-training/execution/f4q8s1u5w9y2';

describe('SNS publisher', () => {
  const sns = mockClient(SNSClient);
  afterAll(() => sns.restore());

  it('publishes subject, body and the filter attributes', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const messageId = await publishNotification(
      new SNSClient({}),
      'arn:aws:sns:eu-west-1:123456789012:topic',
      {
        category: 'drift',
        severity: 'warning',
        kind: 'drift-warning',
        pipeline: 'mlops-dev-batch-inference',
        subject: '[dev] Data drift',
        body: 'Body\n',
      },
    );
    expect(messageId).toBe('m-1');
    expect(sns).toHaveReceivedCommandWith(PublishCommand, {
      TopicArn: 'arn:aws:sns:eu-west-1:123456789012:topic',
      Subject: '[dev] Data drift',
      Message: 'Body\n',
      MessageAttributes: {
        category: { DataType: 'String', StringValue: 'drift' },
        severity: { DataType: 'String', StringValue: 'warning' },
        kind: { DataType: 'String', StringValue: 'drift-warning' },
        pipeline: { DataType: 'String', StringValue: 'mlops-dev-batch-inference' },
      },
    });
  });

  it('a failed publish is thrown, not swallowed', async () => {
    sns
      .on(PublishCommand)
      .rejects(Object.assign(new Error('KMS key disabled'), { name: 'KMSDisabledException' }));
    await expect(
      publishNotification(new SNSClient({}), 'arn:t', {
        category: 'drift',
        severity: 'info',
        kind: 'k',
        subject: 's',
        body: 'b',
      }),
    ).rejects.toThrow('KMS key disabled');
  });
});

describe('pipeline execution reads', () => {
  const sageMaker = mockClient(SageMakerClient);
  afterEach(() => sageMaker.reset());
  afterAll(() => sageMaker.restore());

  it('a failed run: the execution reason, the failed steps over all pages, the parameters', async () => {
    sageMaker
      .on(DescribePipelineExecutionCommand)
      .resolves({ FailureReason: 'Step failure: One or multiple steps failed.' });
    sageMaker
      .on(ListPipelineExecutionStepsCommand, {
        PipelineExecutionArn: executionArn,
        NextToken: undefined,
      })
      .resolves({
        PipelineExecutionSteps: [
          {
            StepName: 'Preprocess',
            StepStatus: 'Succeeded',
            Metadata: { ProcessingJob: { Arn: 'p' } },
          },
        ],
        NextToken: 'page-2',
      })
      .on(ListPipelineExecutionStepsCommand, {
        PipelineExecutionArn: executionArn,
        NextToken: 'page-2',
      })
      .resolves({
        PipelineExecutionSteps: [
          {
            StepName: 'Train',
            StepStatus: 'Failed',
            FailureReason: 'ClientError: bad channel',
            Metadata: { TrainingJob: { Arn: 't' } },
          },
        ],
      });
    sageMaker
      .on(ListPipelineParametersForExecutionCommand)
      .resolves({ PipelineParameters: [{ Name: 'InputDataUrl', Value: 's3://b/d/' }] });
    const client = new SageMakerClient({});
    await expect(readExecutionFailureReason(client, executionArn)).resolves.toBe(
      'Step failure: One or multiple steps failed.',
    );
    await expect(readFailedSteps(client, executionArn)).resolves.toEqual([
      { name: 'Train', type: 'TrainingJob', failureReason: 'ClientError: bad channel' },
    ]);
    await expect(readRunParameters(client, executionArn)).resolves.toEqual([
      { name: 'InputDataUrl', value: 's3://b/d/' },
    ]);
    expect(sageMaker).toHaveReceivedCommandWith(DescribePipelineExecutionCommand, {
      PipelineExecutionArn: executionArn,
    });
    expect(sageMaker).toHaveReceivedCommandTimes(ListPipelineExecutionStepsCommand, 2);
  });

  it("a Fail step's own message, from its metadata, rather than a generic failure reason", async () => {
    sageMaker.on(ListPipelineExecutionStepsCommand).resolves({
      PipelineExecutionSteps: [
        {
          StepName: 'ModelQualityViolation',
          StepStatus: 'Failed',
          FailureReason: 'Step failure',
          Metadata: {
            Fail: { ErrorMessage: 'MODEL_QUALITY_VIOLATION: metric=auc value=0.61 threshold=0.7' },
          },
        },
      ],
    });
    const client = new SageMakerClient({});
    await expect(
      readStepFailureMessage(client, executionArn, 'ModelQualityViolation'),
    ).resolves.toBe('MODEL_QUALITY_VIOLATION: metric=auc value=0.61 threshold=0.7');
    await expect(readFailedSteps(client, executionArn)).resolves.toEqual([
      {
        name: 'ModelQualityViolation',
        type: 'Fail',
        failureReason: 'MODEL_QUALITY_VIOLATION: metric=auc value=0.61 threshold=0.7',
      },
    ]);
    await expect(readStepFailureMessage(client, executionArn, 'Other')).resolves.toBeUndefined();
  });

  it("the violation report of a QualityCheck step, or none, and the run's model version", async () => {
    sageMaker.on(ListPipelineExecutionStepsCommand).resolves({
      PipelineExecutionSteps: [
        {
          StepName: 'GetApprovedModel',
          Metadata: {
            Lambda: {
              OutputParameters: [
                {
                  Name: 'ModelPackageArn',
                  Value: 'arn:aws:sagemaker:eu-west-1:1:model-package/g/4',
                },
                { Name: 'ModelPackageVersion', Value: '4' },
              ],
            },
          },
        },
        {
          StepName: 'CheckInputDataQuality',
          Metadata: {
            QualityCheck: { ViolationReport: 's3://b/report/constraint_violations.json' },
          },
        },
        { StepName: 'BaselineDataQuality', Metadata: { QualityCheck: { SkipCheck: true } } },
      ],
    });
    const client = new SageMakerClient({});
    await expect(readQualityCheck(client, executionArn, 'CheckInputDataQuality')).resolves.toEqual({
      reportUri: 's3://b/report/constraint_violations.json',
      modelVersion: 'v4 (arn:aws:sagemaker:eu-west-1:1:model-package/g/4)',
    });
    await expect(readQualityCheck(client, executionArn, 'BaselineDataQuality')).resolves.toEqual({
      modelVersion: 'v4 (arn:aws:sagemaker:eu-west-1:1:model-package/g/4)',
    });
    expect(sageMaker).toHaveReceivedCommandTimes(ListPipelineExecutionStepsCommand, 2);
  });
});

describe('S3 JSON reports', () => {
  const s3 = mockClient(S3Client);
  afterEach(() => s3.reset());
  afterAll(() => s3.restore());

  // The SDK's streaming body, reduced to the one method the adapter uses.
  function body(text: string) {
    return { transformToString: async () => text } as unknown as GetObjectCommandOutput['Body'];
  }

  it('reads and parses the object at an s3:// URI', async () => {
    s3.on(GetObjectCommand, { Bucket: 'b', Key: 'reports/a b.json' }).resolves({
      Body: body('{"violations":[]}'),
      ContentLength: 17,
    });
    await expect(readJsonObject(new S3Client({}), 's3://b/reports/a b.json')).resolves.toEqual({
      violations: [],
    });
  });

  it('no object is undefined; invalid JSON is an error', async () => {
    s3.on(GetObjectCommand, { Key: 'missing.json' }).rejects(
      new NoSuchKey({ message: 'gone', $metadata: {} }),
    );
    s3.on(GetObjectCommand, { Key: 'broken.json' }).resolves({ Body: body('{'), ContentLength: 1 });
    await expect(readJsonObject(new S3Client({}), 's3://b/missing.json')).resolves.toBeUndefined();
    await expect(readJsonObject(new S3Client({}), 's3://b/broken.json')).rejects.toThrow(
      's3://b/broken.json is not JSON',
    );
  });
});
