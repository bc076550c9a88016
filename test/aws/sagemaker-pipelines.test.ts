import { SageMakerClient, StartPipelineExecutionCommand } from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { createSageMakerClient } from '../../functions/aws/sagemaker-client';
import { startPipelineExecution } from '../../functions/aws/sagemaker-pipelines';
import type { PipelineStartRequest } from '../../functions/core/pipeline-start-request';
import { PipelineStartError } from '../../functions/errors';
import { THROTTLING_FAULT, startLocalSageMaker } from '../../tooling/local/sagemaker-endpoint';

const request: PipelineStartRequest = {
  pipelineName: 'mlops-dev-batch-inference',
  parameters: [
    { name: 'InputDataUrl', value: 's3://bucket/data/inference/café + bar.csv' },
    { name: 'ModelPackageGroupName', value: 'mlops-dev-models' },
  ],
  displayName: 'inference-data-20261121T053001-0a1b2c3d',
  description: 'Started by onDataUpload, route inference-data (object mode): new object ...',
  clientRequestToken: `object-${'ab'.repeat(32)}`,
};
const executionArn =
  'arn:aws:sagemaker:eu-west-1:123456789012:pipeline/mlops-dev-batch-inference/execution/abc123';

describe('startPipelineExecution with a stubbed client', () => {
  // mockClient patches every SageMakerClient; restore it so the HTTP tests below use the real one.
  const sageMaker = mockClient(SageMakerClient);
  afterEach(() => sageMaker.reset());
  afterAll(() => sageMaker.restore());

  it('sends exactly the planned request and returns the execution ARN', async () => {
    sageMaker.on(StartPipelineExecutionCommand).resolves({ PipelineExecutionArn: executionArn });
    await expect(startPipelineExecution(new SageMakerClient({}), request)).resolves.toBe(
      executionArn,
    );
    expect(sageMaker).toHaveReceivedCommandTimes(StartPipelineExecutionCommand, 1);
    expect(sageMaker).toHaveReceivedCommandWith(StartPipelineExecutionCommand, {
      PipelineName: 'mlops-dev-batch-inference',
      PipelineExecutionDisplayName: 'inference-data-20261121T053001-0a1b2c3d',
      PipelineExecutionDescription: request.description,
      PipelineParameters: [
        { Name: 'InputDataUrl', Value: 's3://bucket/data/inference/café + bar.csv' },
        { Name: 'ModelPackageGroupName', Value: 'mlops-dev-models' },
      ],
      ClientRequestToken: request.clientRequestToken,
    });
  });

  it('wraps a service error, keeping its name and cause', async () => {
    const failure = Object.assign(new Error('Pipeline not found'), { name: 'ResourceNotFound' });
    sageMaker.on(StartPipelineExecutionCommand).rejects(failure);
    const attempt = startPipelineExecution(new SageMakerClient({}), request);
    await expect(attempt).rejects.toThrow(PipelineStartError);
    await expect(attempt).rejects.toThrow('ResourceNotFound: Pipeline not found');
  });

  it('refuses a reply without an execution ARN instead of reporting success', async () => {
    sageMaker.on(StartPipelineExecutionCommand).resolves({});
    await expect(startPipelineExecution(new SageMakerClient({}), request)).rejects.toThrow(
      'no execution ARN',
    );
  });
});

describe('startPipelineExecution over HTTP with the real SDK', () => {
  const saved = process.env.AWS_ENDPOINT_URL;
  let sageMaker: Awaited<ReturnType<typeof startLocalSageMaker>>;
  beforeEach(async () => {
    sageMaker = await startLocalSageMaker([
      {
        name: 'mlops-dev-batch-inference',
        parameterNames: ['InputDataUrl', 'ModelPackageGroupName'],
      },
    ]);
    process.env.AWS_ENDPOINT_URL = sageMaker.url;
  });
  afterEach(async () => {
    process.env.AWS_ENDPOINT_URL = saved;
    await sageMaker.close();
  });

  it('a throttling reply is retried by the SDK with the same token: one start', async () => {
    sageMaker.injectFaults(THROTTLING_FAULT);
    const client = createSageMakerClient({ maxAttempts: 3, retryMode: 'standard' });
    const startedArn = await startPipelineExecution(client, request);
    expect(sageMaker.executions.map((execution) => execution.executionArn)).toEqual([startedArn]);
    expect(sageMaker.requests).toHaveLength(2);
    const [first, retry] = sageMaker.requests;
    expect(first?.target).toBe('SageMaker.StartPipelineExecution');
    expect(first?.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(retry?.body).toEqual(first?.body);
    expect(first?.body).toEqual({
      PipelineName: 'mlops-dev-batch-inference',
      PipelineExecutionDisplayName: request.displayName,
      PipelineExecutionDescription: request.description,
      PipelineParameters: [
        { Name: 'InputDataUrl', Value: 's3://bucket/data/inference/café + bar.csv' },
        { Name: 'ModelPackageGroupName', Value: 'mlops-dev-models' },
      ],
      ClientRequestToken: request.clientRequestToken,
    });
  });

  it('a 5xx reply is retried too', async () => {
    sageMaker.injectFaults({ status: 500, type: 'InternalFailure', message: 'try again' });
    const client = createSageMakerClient({ maxAttempts: 3, retryMode: 'standard' });
    await startPipelineExecution(client, request);
    expect(sageMaker.requests).toHaveLength(2);
    expect(sageMaker.executions).toHaveLength(1);
  });

  it('a validation error is not retried and surfaces with its name', async () => {
    const client = createSageMakerClient({ maxAttempts: 3, retryMode: 'standard' });
    const undeclared = { ...request, parameters: [{ name: 'Unknown', value: 'x' }] };
    await expect(startPipelineExecution(client, undeclared)).rejects.toThrow(
      "ValidationException: Parameter 'Unknown' is not declared",
    );
    expect(sageMaker.requests).toHaveLength(1);
  });

  it('a stalled reply ends at the request timeout; the retry finds the run it started: one run', async () => {
    sageMaker.injectFaults({ stallMs: 60_000 });
    const client = createSageMakerClient({
      maxAttempts: 2,
      retryMode: 'standard',
      requestTimeoutMs: 300,
    });
    const startedArn = await startPipelineExecution(client, request);
    expect(sageMaker.requests).toHaveLength(2);
    expect(sageMaker.requests[1]?.body).toEqual(sageMaker.requests[0]?.body);
    expect(sageMaker.executions.map((execution) => execution.executionArn)).toEqual([startedArn]);
  });

  it('an aborted call rejects with AbortError, which is not retried', async () => {
    sageMaker.injectFaults({ stallMs: 60_000 });
    const client = createSageMakerClient({ maxAttempts: 3, retryMode: 'standard' });
    const controller = new AbortController();
    const attempt = startPipelineExecution(client, request, controller.signal);
    setTimeout(() => controller.abort(), 100);
    await expect(attempt).rejects.toMatchObject({ cause: { name: 'AbortError' } });
    expect(sageMaker.requests).toHaveLength(1);
  });

  it('gives up after the configured attempts when throttling persists', async () => {
    sageMaker.injectFaults(THROTTLING_FAULT, THROTTLING_FAULT, THROTTLING_FAULT);
    const client = createSageMakerClient({ maxAttempts: 2, retryMode: 'standard' });
    await expect(startPipelineExecution(client, request)).rejects.toThrow('ThrottlingException');
    expect(sageMaker.requests).toHaveLength(2);
    expect(sageMaker.executions).toEqual([]);
  });
});
