import {
  DescribeModelPackageCommand,
  DescribePipelineExecutionCommand,
  ListModelPackagesCommand,
  type ListModelPackagesCommandInput,
  ListPipelineExecutionStepsCommand,
  type ModelApprovalStatus,
  SageMakerClient,
  StartPipelineExecutionCommand,
  UpdateModelPackageCommand,
} from '@aws-sdk/client-sagemaker';
import { createSageMakerClient } from '../functions/aws/sagemaker-client';
import { startPipelineExecution } from '../functions/aws/sagemaker-pipelines';
import type { PipelineStartRequest } from '../functions/core/pipeline-start-request';
import { GET_APPROVED_MODEL_OUTPUT_NAMES } from '../pipeline-definitions/batch-inference-contract';
import {
  SAMPLE_DEPLOYMENT_VALUES,
  sampleFeatureStoreSettings,
} from '../pipeline-definitions/check-definitions';
import { withFeatureStore } from '../pipeline-definitions/feature-store-variant';
import {
  PIPELINE_IDS,
  declaredParameterNames,
  readDefinitionTemplate,
  renderPipeline,
} from '../pipeline-definitions/pipeline-catalog';
import { renderPipelineDefinition } from '../pipeline-definitions/render-definition';
import type { AwsEvent } from '../tooling/local/event-bus';
import {
  INTERNAL_FAILURE_FAULT,
  type LocalSageMaker,
  THROTTLING_FAULT,
  startLocalSageMaker,
} from '../tooling/local/sagemaker-endpoint';
import { loadScenario } from '../tooling/local/scenario';

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

describe('local model registry: customer metadata as the SageMaker API model limits it', () => {
  const group = 'mlops-dev-models';
  const generatedBy =
    'arn:aws:sagemaker:eu-west-1:000000000000:pipeline/mlops-dev-training/execution/0123456789ab';
  let sageMaker: LocalSageMaker;
  beforeEach(async () => {
    sageMaker = await startLocalSageMaker([], { modelPackageGroups: [group] });
  });
  afterEach(() => sageMaker.close());
  const register = (metadata: Record<string, unknown>) =>
    sageMaker.registerModelVersion(
      { ModelPackageGroupName: group, CustomerMetadataProperties: metadata },
      generatedBy,
    );

  it('accepts keys of 1-128 and values of 1-256 letters, digits, spaces and _.:/=+-@', () => {
    expect(
      register({
        origin: 'recalibration',
        inputDataUrl: 's3://b/sales @28EU@29@2C 2026/',
        ['k'.repeat(128)]: `Données ${'x'.repeat(248)}`,
      }),
    ).toBe(`arn:aws:sagemaker:eu-west-1:000000000000:model-package/${group}/1`);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a value with ( , and space', { inputDataUrl: 's3://b/sales (EU), 2026/' }, 'Map value'],
    ['a value with &', { inputDataUrl: 's3://b/x&y/' }, 'Map value'],
    ['a value over 256 characters', { inputDataUrl: `s3://b/${'a'.repeat(250)}` }, 'Map value'],
    ['an empty value', { origin: '' }, 'Map value'],
    ['a value that is not a string', { version: 3 }, 'Map value'],
    ['an empty key', { '': 'x' }, 'Map keys'],
    ['a key over 128 characters', { ['k'.repeat(129)]: 'x' }, 'Map keys'],
    ['a key with %', { 'a%b': 'x' }, 'Map keys'],
    ['no entries', {}, 'between 1 and 50 entries'],
    [
      '51 entries',
      Object.fromEntries(Array.from({ length: 51 }, (_, index) => [`k${index}`, 'v'])),
      'between 1 and 50 entries',
    ],
  ])('refuses %s, as CreateModelPackage would', (_why, metadata, message) => {
    expect(() => register(metadata)).toThrow(message);
  });

  it('refuses the same in UpdateModelPackage', async () => {
    const arn = register({ origin: 'recalibration' });
    const client = new SageMakerClient({ endpoint: sageMaker.url, maxAttempts: 1 });
    await expect(
      client.send(
        new UpdateModelPackageCommand({ ModelPackageArn: arn, CustomerMetadataProperties: {} }),
      ),
    ).rejects.toThrow('between 1 and 50 entries');
    await expect(
      client.send(
        new UpdateModelPackageCommand({
          ModelPackageArn: arn,
          CustomerMetadataProperties: { reviewer: 'x&y' },
        }),
      ),
    ).rejects.toThrow('Map value');
  });
});

describe('local SageMaker: seeded random faults (npm run bench)', () => {
  const saved = process.env.AWS_ENDPOINT_URL_SAGEMAKER;
  afterEach(() => {
    process.env.AWS_ENDPOINT_URL_SAGEMAKER = saved;
  });

  /** What `count` distinct starts met, one after the other, each with a single attempt. */
  async function distinctStarts(count: number): Promise<string[]> {
    const client = createSageMakerClient({ maxAttempts: 1, retryMode: 'standard' });
    const met: string[] = [];
    for (let index = 0; index < count; index += 1) {
      const token = `object-${String(index).padStart(64, '0')}`;
      met.push(
        await startPipelineExecution(client, { ...request, clientRequestToken: token }).then(
          () => 'started',
          (error: Error) => (error.cause as Error).name,
        ),
      );
    }
    return met;
  }

  /** What 200 distinct starts met, in order, against a fresh endpoint with the given seed. */
  async function outcomes(seed: number): Promise<string[]> {
    const sageMaker = await startLocalSageMaker([
      { name: 'mlops-dev-training', parameterNames: ['InputDataUrl'] },
    ]);
    process.env.AWS_ENDPOINT_URL_SAGEMAKER = sageMaker.url;
    sageMaker.injectRandomFaults({
      operation: 'StartPipelineExecution',
      seed,
      faults: [
        { probability: 0.3, fault: THROTTLING_FAULT },
        { probability: 0.05, fault: INTERNAL_FAILURE_FAULT },
      ],
    });
    const met = await distinctStarts(200);
    await sageMaker.close();
    return met;
  }

  it('a rate limit throttles what the bucket does not hold', async () => {
    const sageMaker = await startLocalSageMaker([
      { name: 'mlops-dev-training', parameterNames: ['InputDataUrl'] },
    ]);
    process.env.AWS_ENDPOINT_URL_SAGEMAKER = sageMaker.url;
    sageMaker.limitRate({ operation: 'StartPipelineExecution', perSecond: 0.001, burst: 5 });
    const met = await distinctStarts(8);
    await sageMaker.close();
    expect(met).toEqual([...Array(5).fill('started'), ...Array(3).fill('ThrottlingException')]);
  });

  it('the same seed repeats the same faults; the shares follow the probabilities', async () => {
    const first = await outcomes(7);
    expect(await outcomes(7)).toEqual(first);
    expect(await outcomes(8)).not.toEqual(first);
    const share = (name: string) => first.filter((outcome) => outcome === name).length / 200;
    expect(share('ThrottlingException')).toBeGreaterThan(0.22);
    expect(share('ThrottlingException')).toBeLessThan(0.38);
    expect(share('InternalFailure')).toBeGreaterThan(0.01);
    expect(share('InternalFailure')).toBeLessThan(0.1);
  });
});

describe('local SageMaker walking the real pipeline definitions with the default scenario', () => {
  const events: AwsEvent[] = [];
  const objects = new Map<string, string>();
  const lambdaPayloads: unknown[] = [];
  let sageMaker: LocalSageMaker;
  let client: SageMakerClient;

  /** What getApprovedModel answers: the newest approved version, asked over the wire. */
  async function newestApproved(payload: unknown): Promise<Record<string, string>> {
    lambdaPayloads.push(payload);
    const { ModelPackageSummaryList: [newest] = [] } = await client.send(
      new ListModelPackagesCommand({
        ModelPackageGroupName: SAMPLE_DEPLOYMENT_VALUES.modelPackageGroupName,
        ModelApprovalStatus: 'Approved',
        SortOrder: 'Descending',
        MaxResults: 1,
      }),
    );
    if (newest === undefined) throw new Error('No approved model version');
    return Object.fromEntries(
      GET_APPROVED_MODEL_OUTPUT_NAMES.map((name) => [
        name,
        name === 'ModelPackageVersion' ? String(newest.ModelPackageVersion) : `${name}-value`,
      ]),
    );
  }

  beforeEach(async () => {
    events.length = 0;
    objects.clear();
    // A training pipeline with the feature store on, training from the offline store; its name
    // ends in -training, so the scenario's training steps apply.
    const fromHistory = renderPipelineDefinition(
      withFeatureStore(
        readDefinitionTemplate('training'),
        sampleFeatureStoreSettings('offline-store'),
      ),
      SAMPLE_DEPLOYMENT_VALUES,
    );
    sageMaker = await startLocalSageMaker(
      [
        ...PIPELINE_IDS.map((id) => {
          const definition = renderPipeline(id, SAMPLE_DEPLOYMENT_VALUES);
          return {
            name: `mlops-dev-${id}`,
            parameterNames: declaredParameterNames(id),
            definition,
          };
        }),
        {
          name: 'mlops-dev-features-training',
          parameterNames: [...declaredParameterNames('training'), 'TrainingHistoryDays'],
          definition: fromHistory,
        },
      ],
      {
        modelPackageGroups: [SAMPLE_DEPLOYMENT_VALUES.modelPackageGroupName],
        emit: (event) => events.push(event),
        runs: {
          scenario: { ...loadScenario('default'), stepDurationMs: 0 },
          invokeLambda: (_arn, payload) => newestApproved(payload),
          putObject: async (uri, body) => {
            objects.set(uri, body);
          },
          onRunError: (_execution, error) => {
            throw error;
          },
        },
      },
    );
    client = new SageMakerClient({ endpoint: sageMaker.url, maxAttempts: 1 });
  });
  afterEach(() => sageMaker.close());

  async function run(id: string, token: string, parameters: Record<string, string> = {}) {
    const { PipelineExecutionArn: arn = '' } = await client.send(
      new StartPipelineExecutionCommand({
        PipelineName: `mlops-dev-${id}`,
        ClientRequestToken: token.padEnd(40, '0'),
        PipelineParameters: Object.entries(parameters).map(([Name, Value]) => ({ Name, Value })),
      }),
    );
    await sageMaker.idle();
    const execution = await client.send(
      new DescribePipelineExecutionCommand({ PipelineExecutionArn: arn }),
    );
    const { PipelineExecutionSteps: steps = [] } = await client.send(
      new ListPipelineExecutionStepsCommand({ PipelineExecutionArn: arn, SortOrder: 'Ascending' }),
    );
    return { arn, execution, steps };
  }

  const detailsOf = (detailType: string) =>
    events.filter((event) => event['detail-type'] === detailType).map((event) => event.detail);

  it('a training run walks its steps in dependency order, registers a version and says so in events', async () => {
    const { arn, execution, steps } = await run('training', 'training-1');
    expect(execution.PipelineExecutionStatus).toBe('Succeeded');
    const names = steps.map((step) => step.StepName);
    expect(names[0]).toBe('Preprocess');
    expect(names.indexOf('Train')).toBeLessThan(names.indexOf('CreateModel'));
    expect(names.indexOf('Evaluate')).toBeLessThan(names.indexOf('AucMeetsThreshold'));
    expect(names.at(-1)).toBe('RegisterModel');
    expect(names).not.toContain('ModelNotRegistered');
    expect(
      steps.find((step) => step.StepName === 'AucMeetsThreshold')?.Metadata?.Condition?.Outcome,
    ).toBe('True');
    const evaluation = [...objects.entries()].find(([uri]) =>
      uri.endsWith('/Evaluate/evaluation.json'),
    );
    expect(evaluation?.[0]).toContain(
      `/pipelines/mlops-dev-training/${arn.split('/').pop()}/Evaluate/`,
    );
    expect(JSON.parse(evaluation?.[1] ?? '{}')).toHaveProperty(
      'binary_classification_metrics.auc.value',
      0.91,
    );

    expect(detailsOf('SageMaker Model Building Pipeline Execution Status Change')).toEqual([
      expect.objectContaining({
        currentPipelineExecutionStatus: 'Executing',
        pipelineExecutionArn: arn,
      }),
      expect.objectContaining({
        currentPipelineExecutionStatus: 'Succeeded',
        previousPipelineExecutionStatus: 'Executing',
      }),
    ]);
    const preprocess = detailsOf(
      'SageMaker Model Building Pipeline Execution Step Status Change',
    ).filter((detail) => detail.stepName === 'Preprocess');
    expect(preprocess.map((detail) => detail.currentStepStatus)).toEqual([
      'Starting',
      'Executing',
      'Succeeded',
    ]);
    expect(preprocess[2]).toMatchObject({
      stepType: 'Processing',
      pipelineArn: 'arn:aws:sagemaker:eu-west-1:000000000000:pipeline/mlops-dev-training',
      metadata: {
        processingJob: {
          arn: expect.stringMatching(
            /:processing-job\/pipelines-[0-9a-f]{12}-preprocess-/,
          ) as unknown,
        },
      },
    });
    expect(detailsOf('SageMaker Model Package State Change')).toEqual([
      expect.objectContaining({
        ModelPackageGroupName: 'mlops-dev-models',
        ModelPackageVersion: 1,
        ModelApprovalStatus: 'PendingManualApproval',
        MetadataProperties: { GeneratedBy: arn },
        CreationTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) as unknown,
      }),
    ]);
  });

  it.each([
    [
      'a folder named "sales (EU), 2026/"',
      's3://b/data/training/sales (EU), 2026/',
      's3://b/data/training/sales @28EU@29@2C 2026/',
    ],
    ['a folder named "x&y/"', 's3://b/data/training/x&y/', 's3://b/data/training/x@26y/'],
    [
      'a 1,024-character URI',
      `s3://b/data/training/${'d'.repeat(1003)}`,
      expect.stringMatching(/^s3:\/\/b\/data\/training\/d{162}@@sha256:[0-9a-f]{64}$/),
    ],
  ])('a training run on %s registers its model', async (_why, inputDataUrl, recorded) => {
    const { arn, execution } = await run('training', 'training-odd-input', {
      InputDataUrl: inputDataUrl,
    });
    expect(execution.PipelineExecutionStatus).toBe('Succeeded');
    const [modelPackageArn] = detailsOf('SageMaker Model Package State Change').map(
      (detail) => detail.ModelPackageArn as string,
    );
    const version = await client.send(
      new DescribeModelPackageCommand({ ModelPackageName: modelPackageArn }),
    );
    expect(version.CustomerMetadataProperties).toEqual({
      origin: 'recalibration',
      inputDataUrl: recorded,
      sourceExecutionArn: arn,
    });
    expect(
      JSON.parse(
        objects.get(
          `s3://${SAMPLE_DEPLOYMENT_VALUES.dataBucket}/pipelines/mlops-dev-training/${arn.split('/').pop()}/Preprocess/metadata/customer_metadata.json`,
        ) ?? '{}',
      ),
    ).toEqual({ inputDataUrl: recorded });
  });

  it('with the feature store, a training run walks IngestFeatures and BuildTrainingSet, and its version records the group, window and query', async () => {
    const { arn, execution, steps } = await run('features-training', 'features-training-1');
    expect(execution.PipelineExecutionStatus).toBe('Succeeded');
    expect(steps.slice(0, 3).map((step) => [step.StepName, step.StepStatus])).toEqual([
      ['Preprocess', 'Succeeded'],
      ['IngestFeatures', 'Succeeded'],
      ['BuildTrainingSet', 'Succeeded'],
    ]);
    const [modelPackageArn] = detailsOf('SageMaker Model Package State Change').map(
      (detail) => detail.ModelPackageArn as string,
    );
    const version = await client.send(
      new DescribeModelPackageCommand({ ModelPackageName: modelPackageArn }),
    );
    // The scenario's property files (tooling/local/scenarios/default.json) stand in for the jobs'.
    expect(version.CustomerMetadataProperties).toMatchObject({
      origin: 'recalibration',
      sourceExecutionArn: arn,
      featureGroupName: 'mlops-control-plane-local-features',
      queryExecutionId: 'c0ffee00-1d2e-4f3a-8b4c-5d6e7f8a9b0c',
      trainingWindow: '2026-08-23T17:00:46Z/2026-11-21T17:00:46Z',
    });
    expect([...objects.keys()]).toContain(
      `s3://${SAMPLE_DEPLOYMENT_VALUES.dataBucket}/pipelines/mlops-dev-features-training/${arn.split('/').pop()}/BuildTrainingSet/metadata/training_set.json`,
    );
  });

  it('ListModelPackages sorts ascending by default, filters by status, pages; UpdateModelPackage approves', async () => {
    await run('training', 'training-1');
    await run('training', 'training-2');
    const list = async (input: Omit<ListModelPackagesCommandInput, 'ModelPackageGroupName'>) =>
      (
        await client.send(
          new ListModelPackagesCommand({ ModelPackageGroupName: 'mlops-dev-models', ...input }),
        )
      ).ModelPackageSummaryList?.map((summary) => summary.ModelPackageVersion);
    expect(await list({})).toEqual([1, 2]);
    expect(await list({ SortOrder: 'Descending', MaxResults: 1 })).toEqual([2]);
    expect(await list({ ModelApprovalStatus: 'Approved' })).toEqual([]);
    const firstPage = await client.send(
      new ListModelPackagesCommand({ ModelPackageGroupName: 'mlops-dev-models', MaxResults: 1 }),
    );
    const secondPage = await client.send(
      new ListModelPackagesCommand({
        ModelPackageGroupName: 'mlops-dev-models',
        MaxResults: 1,
        NextToken: firstPage.NextToken,
      }),
    );
    expect(
      secondPage.ModelPackageSummaryList?.map((summary) => summary.ModelPackageVersion),
    ).toEqual([2]);

    const arn = 'arn:aws:sagemaker:eu-west-1:000000000000:model-package/mlops-dev-models/1';
    events.length = 0;
    await client.send(
      new UpdateModelPackageCommand({
        ModelPackageArn: arn,
        ModelApprovalStatus: 'Approved',
        ApprovalDescription: 'ok',
      }),
    );
    expect(await list({ ModelApprovalStatus: 'Approved' })).toEqual([1]);
    expect(detailsOf('SageMaker Model Package State Change')).toEqual([
      expect.objectContaining({
        ModelPackageArn: arn,
        ModelApprovalStatus: 'Approved',
        ApprovalDescription: 'ok',
      }),
    ]);
    await expect(
      client.send(
        new UpdateModelPackageCommand({
          ModelPackageArn: arn,
          ModelApprovalStatus: 'Fine' as ModelApprovalStatus,
        }),
      ),
    ).rejects.toThrow("Value 'Fine' at 'modelApprovalStatus' failed to satisfy constraint");
    await expect(list({ MaxResults: 101 })).rejects.toThrow(
      'Member must have value between 1 and 100',
    );
    await expect(
      client.send(new DescribeModelPackageCommand({ ModelPackageName: `${arn.slice(0, -1)}9` })),
    ).rejects.toThrow('does not exist');
  });

  it('a scoring run asks the Lambda step for the approved model; without one the step fails', async () => {
    const withoutModel = await run('batch-inference', 'scoring-1');
    expect(withoutModel.execution.PipelineExecutionStatus).toBe('Failed');
    expect(withoutModel.steps.find((step) => step.StepName === 'GetApprovedModel')).toMatchObject({
      StepStatus: 'Failed',
      FailureReason: 'No approved model version',
    });
    expect(lambdaPayloads).toEqual([{ ModelPackageGroupName: 'mlops-dev-models' }]);

    await run('training', 'training-1');
    await client.send(
      new UpdateModelPackageCommand({
        ModelPackageArn:
          'arn:aws:sagemaker:eu-west-1:000000000000:model-package/mlops-dev-models/1',
        ModelApprovalStatus: 'Approved',
      }),
    );
    const scored = await run('batch-inference', 'scoring-2', {
      InputDataUrl: 's3://b/data/inference/x.csv',
    });
    expect(scored.execution.PipelineExecutionStatus).toBe('Succeeded');
    const check = scored.steps.find((step) => step.StepName === 'CheckInputDataQuality')?.Metadata
      ?.QualityCheck;
    expect(check?.BaselineUsedForDriftCheckStatistics).toBe('BaselineStatisticsUrl-value');
    expect(JSON.parse(objects.get(check?.ViolationReport ?? '') ?? '{}').violations).toHaveLength(
      2,
    );
    expect(
      scored.steps.find((step) => step.StepName === 'GetApprovedModel')?.Metadata?.Lambda
        ?.OutputParameters,
    ).toContainEqual({
      Name: 'ModelPackageVersion',
      Value: '1',
    });
    expect(scored.steps.map((step) => step.StepName)).not.toContain('EvaluateModelQuality');
  });

  it('with ground truth below the threshold the run fails at the violation step, with the marker', async () => {
    await run('training', 'training-1');
    await client.send(
      new UpdateModelPackageCommand({
        ModelPackageArn:
          'arn:aws:sagemaker:eu-west-1:000000000000:model-package/mlops-dev-models/1',
        ModelApprovalStatus: 'Approved',
      }),
    );
    events.length = 0;
    const { arn, execution, steps } = await run('batch-inference', 'scoring-3', {
      GroundTruthUrl: 's3://b/truth.csv',
    });
    expect(execution).toMatchObject({
      PipelineExecutionStatus: 'Failed',
      FailureReason: 'Step failure: One or multiple steps failed.',
    });
    const message = 'MODEL_QUALITY_VIOLATION: metric=auc value=0.62 threshold=0.7';
    expect(steps.find((step) => step.StepName === 'ModelQualityViolation')).toMatchObject({
      StepStatus: 'Failed',
      FailureReason: message,
    });
    expect(
      detailsOf('SageMaker Model Building Pipeline Execution Step Status Change'),
    ).toContainEqual(
      expect.objectContaining({
        stepName: 'ModelQualityViolation',
        currentStepStatus: 'Failed',
        failureReason: message,
        pipelineExecutionArn: arn,
      }),
    );
    expect(
      detailsOf('SageMaker Model Building Pipeline Execution Status Change').at(-1),
    ).not.toHaveProperty('failureReason');
  });
});
