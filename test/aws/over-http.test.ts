import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { findNewestApprovedModelPackageArn } from '../../functions/aws/approved-model-lookup';
import { describeModelVersion } from '../../functions/aws/model-registry';
import { readStepFailureMessage } from '../../functions/aws/pipeline-execution-steps';
import { listRecentExecutions } from '../../functions/aws/recent-executions';
import { createSageMakerClient } from '../../functions/aws/sagemaker-client';
import { startPipelineExecution } from '../../functions/aws/sagemaker-pipelines';
import { NoApprovedModelError } from '../../functions/errors';
import { createGetApprovedModelHandler } from '../../functions/handlers/get-approved-model';
import { createOnMonitoringViolationHandler } from '../../functions/handlers/on-monitoring-violation';
import {
  THROTTLING_FAULT,
  type LocalSageMaker,
  startLocalSageMaker,
} from '../../tooling/local/sagemaker-endpoint';
import { monitoringConfig } from '../support/monitoring-fixtures';
import { sampleEvent } from '../support/upload-fixtures';
import { keptDecisions, publishingEveryTime } from '../support/ledger-fixtures';

// The real SDK against the local SageMaker, which sorts, filters and honours tokens like the service.
const GROUP = 'mlops-control-plane-dev-models';
const saved = process.env.AWS_ENDPOINT_URL_SAGEMAKER;
let sageMaker: LocalSageMaker;

beforeEach(async () => {
  sageMaker = await startLocalSageMaker(
    [
      {
        name: 'mlops-control-plane-dev-training-hpo',
        parameterNames: ['InputDataUrl', 'ModelPackageGroupName'],
      },
      {
        name: 'mlops-control-plane-dev-training',
        parameterNames: ['InputDataUrl', 'ModelPackageGroupName'],
      },
    ],
    { modelPackageGroups: [GROUP] },
  );
  process.env.AWS_ENDPOINT_URL_SAGEMAKER = sageMaker.url;
});
afterEach(async () => {
  process.env.AWS_ENDPOINT_URL_SAGEMAKER = saved;
  await sageMaker.close();
});

const client = () => createSageMakerClient({ maxAttempts: 3, retryMode: 'standard' });

function registerVersion(
  status: 'Approved' | 'PendingManualApproval' | 'Rejected',
  tag: string,
): string {
  return sageMaker.registerModelVersion(
    {
      ModelPackageGroupName: GROUP,
      ModelApprovalStatus: status,
      InferenceSpecification: {
        Containers: [{ Image: 'xgboost:1.7-1', ModelDataUrl: `s3://b/${tag}/model.tar.gz` }],
        SupportedContentTypes: ['text/csv'],
        SupportedResponseMIMETypes: ['text/csv'],
      },
      DriftCheckBaselines: {
        ModelDataQuality: {
          Statistics: { ContentType: 'application/json', S3Uri: `s3://b/${tag}/statistics.json` },
          Constraints: { ContentType: 'application/json', S3Uri: `s3://b/${tag}/constraints.json` },
        },
      },
    },
    `arn:aws:sagemaker:eu-west-1:000000000000:pipeline/mlops-control-plane-dev-training/execution/${tag}`,
  );
}

const pause = () => new Promise((resolve) => setTimeout(resolve, 15));

describe('getApprovedModel over HTTP', () => {
  function handler() {
    const sdk = client();
    return createGetApprovedModelHandler({
      findNewestApprovedArn: (group) => findNewestApprovedModelPackageArn(sdk, group),
      describe: (arn) => describeModelVersion(sdk, arn),
      logger: new Logger(),
    });
  }

  it('returns the newest of several approved versions, not the oldest, nor a newer pending one', async () => {
    registerVersion('Approved', 'v1');
    await pause();
    const second = registerVersion('Approved', 'v2');
    await pause();
    registerVersion('Rejected', 'v3');
    await pause();
    registerVersion('PendingManualApproval', 'v4');
    const output = await handler()({ ModelPackageGroupName: GROUP });
    expect(output).toMatchObject({
      ModelPackageArn: second,
      ModelPackageVersion: '2',
      ModelDataUrl: 's3://b/v2/model.tar.gz',
      BaselineStatisticsUrl: 's3://b/v2/statistics.json',
      BaselineConstraintsUrl: 's3://b/v2/constraints.json',
    });
    expect(sageMaker.requests.map((request) => request.target)).toEqual([
      'SageMaker.ListModelPackages',
      'SageMaker.DescribeModelPackage',
    ]);
  });

  it('none approved: a clear error, and no describe', async () => {
    registerVersion('PendingManualApproval', 'v1');
    await expect(handler()({ ModelPackageGroupName: GROUP })).rejects.toThrow(NoApprovedModelError);
    expect(sageMaker.requests).toHaveLength(1);
  });
});

describe('a retrain over HTTP', () => {
  it('throttled once on start: the SDK retries with the same token, one run starts', async () => {
    const sdk = client();
    const handle = createOnMonitoringViolationHandler({
      config: monitoringConfig,
      region: 'eu-west-1',
      now: () => new Date('2026-11-23T04:10:30Z'),
      listRecentExecutions: (name) => listRecentExecutions(sdk, name),
      startPipeline: (request) => startPipelineExecution(sdk, request),
      readStepFailureMessage: (arn, step) => readStepFailureMessage(sdk, arn, step),
      readJsonObject: async () => undefined,
      publish: publishingEveryTime(async () => 'm'),
      decisions: keptDecisions(),
      logger: new Logger(),
      metrics: new Metrics(),
    });
    sageMaker.injectFaults({ ...THROTTLING_FAULT, operation: 'StartPipelineExecution' });
    await expect(
      handle(sampleEvent('pipeline-step-model-quality-violation.json')),
    ).resolves.toMatchObject({ outcome: 'started' });
    const starts = sageMaker.requests.filter(
      (request) => request.target === 'SageMaker.StartPipelineExecution',
    );
    expect(starts).toHaveLength(2);
    expect(starts[1]?.body.ClientRequestToken).toBe(starts[0]?.body.ClientRequestToken);
    expect(sageMaker.executions).toHaveLength(1);

    // The same violation again: the run it started is found by its token, nothing else starts.
    await expect(
      handle(sampleEvent('pipeline-step-model-quality-violation.json')),
    ).resolves.toMatchObject({ outcome: 'duplicate' });
    expect(sageMaker.executions).toHaveLength(1);
  });
});
