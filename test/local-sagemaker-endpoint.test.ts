import { createSageMakerClient } from '../functions/aws/sagemaker-client';
import { startPipelineExecution } from '../functions/aws/sagemaker-pipelines';
import type { PipelineStartRequest } from '../functions/core/pipeline-start-request';
import { startLocalSageMaker } from '../tooling/local/sagemaker-endpoint';

const request: PipelineStartRequest = {
  pipelineName: 'mlops-dev-training',
  parameters: [{ name: 'InputDataUrl', value: 's3://bucket/data/training/2026-11-01/' }],
  displayName: 'training-data-20261101T060000-9bb0416a',
  description: 'Started by onDataUpload',
  clientRequestToken: `folder-${'0f'.repeat(32)}`,
};

describe('local SageMaker control plane (npm start) with the real SDK', () => {
  const saved = process.env.AWS_ENDPOINT_URL_SAGEMAKER;
  let sageMaker: Awaited<ReturnType<typeof startLocalSageMaker>>;
  beforeEach(async () => {
    sageMaker = await startLocalSageMaker([
      { name: 'mlops-dev-training', parameterNames: ['InputDataUrl'] },
    ]);
    process.env.AWS_ENDPOINT_URL_SAGEMAKER = sageMaker.url;
  });
  afterEach(async () => {
    process.env.AWS_ENDPOINT_URL_SAGEMAKER = saved;
    await sageMaker.close();
  });
  const client = () => createSageMakerClient({ maxAttempts: 1, retryMode: 'standard' });

  it('honours ClientRequestToken: the same request twice is one execution', async () => {
    const first = await startPipelineExecution(client(), request);
    const second = await startPipelineExecution(client(), request);
    expect(second).toBe(first);
    expect(first).toMatch(
      /^arn:aws:sagemaker:eu-west-1:000000000000:pipeline\/mlops-dev-training\/execution\/[0-9a-f]{12}$/,
    );
    expect(sageMaker.executions).toHaveLength(1);
  });

  it.each<[string, Partial<PipelineStartRequest>, string]>([
    [
      'a reused token with other parameters',
      { parameters: [{ name: 'InputDataUrl', value: 's3://other/' }] },
      'already used with different parameters',
    ],
    [
      'an undeclared parameter',
      { clientRequestToken: `x-${'1'.repeat(40)}`, parameters: [{ name: 'Unknown', value: 'x' }] },
      "Parameter 'Unknown' is not declared",
    ],
    ['a short token', { clientRequestToken: 'short' }, "'clientRequestToken'"],
    [
      'an invalid display name',
      { clientRequestToken: `y-${'2'.repeat(40)}`, displayName: 'bad_name' },
      "'pipelineExecutionDisplayName'",
    ],
    [
      'an unknown pipeline',
      { clientRequestToken: `z-${'3'.repeat(40)}`, pipelineName: 'nope' },
      "ResourceNotFound: Pipeline 'nope' does not exist",
    ],
  ])('refuses %s like the service', async (_why, change, message) => {
    await startPipelineExecution(client(), request);
    await expect(startPipelineExecution(client(), { ...request, ...change })).rejects.toThrow(
      message,
    );
  });
});
