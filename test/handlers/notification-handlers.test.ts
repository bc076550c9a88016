import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { createSageMakerClient } from '../../functions/aws/sagemaker-client';
import { startPipelineExecution } from '../../functions/aws/sagemaker-pipelines';
import type { QualityCheckOutcome } from '../../functions/aws/pipeline-execution-steps';
import type { Notification } from '../../functions/core/notification';
import type { FailedStep, RunParameter } from '../../functions/core/pipeline-notifications';
import { InvalidEventError } from '../../functions/errors';
import { createOnModelPackageStateChangeHandler } from '../../functions/handlers/on-model-package-state-change';
import { createOnPipelineStatusChangeHandler } from '../../functions/handlers/on-pipeline-status-change';
import { startLocalSageMaker } from '../../tooling/local/sagemaker-endpoint';
import { registeredModelVersion } from '../support/model-versions';
import { notifyConfig } from '../support/notification-fixtures';
import { sampleEvent } from '../support/upload-fixtures';
import { keptDecisions, publishingEveryTime } from '../support/ledger-fixtures';

function pipelineStatusSetUp() {
  const reads = {
    readExecutionFailureReason: jest.fn(async (): Promise<string | undefined> => 'Step failure'),
    readFailedSteps: jest.fn(async (): Promise<FailedStep[]> => []),
    readRunParameters: jest.fn(async (): Promise<RunParameter[]> => []),
    readQualityCheck: jest.fn(async (): Promise<QualityCheckOutcome> => ({})),
    readJsonObject: jest.fn(async (): Promise<unknown> => undefined),
  };
  const publish = jest.fn<Promise<string>, [Notification]>(async () => 'message-id');
  const handle = createOnPipelineStatusChangeHandler({
    config: notifyConfig,
    region: 'eu-west-1',
    ...reads,
    publish: publishingEveryTime(publish),
    decisions: keptDecisions(),
    logger: new Logger(),
    metrics: new Metrics(),
  });
  return { handle, reads, publish };
}

describe('onPipelineStatusChange: the reads it makes', () => {
  it('a run that succeeded: one e-mail and no SageMaker or S3 read', async () => {
    const { handle, reads, publish } = pipelineStatusSetUp();
    await expect(handle(sampleEvent('pipeline-execution-succeeded.json'))).resolves.toEqual({
      published: 1,
    });
    expect(publish).toHaveBeenCalledTimes(1);
    for (const read of Object.values(reads)) expect(read).not.toHaveBeenCalled();
  });

  it('a run that failed: each failure fact is read once', async () => {
    const { handle, reads } = pipelineStatusSetUp();
    await handle(sampleEvent('pipeline-execution-failed.json'));
    const executionArn =
      'arn:aws:sagemaker:eu-west-1:123456789012:pipeline/mlops-control-plane-dev-training/execution/f4q8s1u5w9y2';
    for (const read of [
      reads.readExecutionFailureReason,
      reads.readFailedSteps,
      reads.readRunParameters,
    ]) {
      expect(read).toHaveBeenCalledTimes(1);
      expect(read).toHaveBeenCalledWith(executionArn);
    }
  });

  it('a failed run whose steps cannot be read still e-mails what is known, naming the failed read', async () => {
    const { handle, reads, publish } = pipelineStatusSetUp();
    reads.readFailedSteps.mockRejectedValue(
      Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }),
    );
    reads.readRunParameters.mockResolvedValue([{ name: 'InputDataUrl', value: 's3://b/in/' }]);
    await expect(handle(sampleEvent('pipeline-execution-failed.json'))).resolves.toEqual({
      published: 1,
    });
    const body = (publish.mock.calls[0]?.[0].body ?? '').replace(/\s+/g, ' ');
    expect(body).toContain('Step failure');
    expect(body).toContain('InputDataUrl: s3://b/in/');
    expect(body).toContain(
      '- the failed steps: ListPipelineExecutionSteps: ThrottlingException: Rate exceeded',
    );
  });

  it('a failed run with no read answering still e-mails the event itself', async () => {
    const { handle, reads, publish } = pipelineStatusSetUp();
    for (const read of [
      reads.readExecutionFailureReason,
      reads.readFailedSteps,
      reads.readRunParameters,
    ]) {
      read.mockRejectedValue(new Error('AccessDeniedException'));
    }
    await handle(sampleEvent('pipeline-execution-failed.json'));
    const body = publish.mock.calls[0]?.[0].body ?? '';
    expect(body.match(/AccessDeniedException/g)).toHaveLength(3);
    expect(publish.mock.calls[0]?.[0].subject).toContain('Training failed');
  });

  it('a data-quality check without a violation report sends nothing', async () => {
    const { handle, reads, publish } = pipelineStatusSetUp();
    await expect(
      handle(sampleEvent('pipeline-step-data-quality-violations.json')),
    ).resolves.toEqual({ published: 0 });
    expect(reads.readQualityCheck).toHaveBeenCalledTimes(1);
    expect(reads.readJsonObject).not.toHaveBeenCalled();
    expect(publish).not.toHaveBeenCalled();
  });

  it('a violation report that is missing is said to be missing, never read as 0 violations', async () => {
    const { handle, reads, publish } = pipelineStatusSetUp();
    reads.readQualityCheck.mockResolvedValue({
      reportUri: 's3://b/check/constraint_violations.json',
    });
    reads.readJsonObject.mockResolvedValue(undefined);
    await expect(
      handle(sampleEvent('pipeline-step-data-quality-violations.json')),
    ).resolves.toEqual({ published: 1 });
    const warning = publish.mock.calls[0]?.[0];
    expect(warning?.subject).toContain('report missing');
    expect(warning?.body.replace(/\s+/g, ' ')).toContain(
      'reported violations, but its report is missing at s3://b/check/constraint_violations.json',
    );
    expect(warning?.body).not.toMatch(/0 violations/);
  });

  it('an empty violation report sends nothing', async () => {
    const { handle, reads, publish } = pipelineStatusSetUp();
    reads.readQualityCheck.mockResolvedValue({ reportUri: 's3://b/constraint_violations.json' });
    reads.readJsonObject.mockResolvedValue({ violations: [] });
    await handle(sampleEvent('pipeline-step-data-quality-violations.json'));
    expect(publish).not.toHaveBeenCalled();
  });

  it('a failed publish fails the invocation', async () => {
    const { handle, publish } = pipelineStatusSetUp();
    publish.mockRejectedValue(new Error('AuthorizationError'));
    await expect(handle(sampleEvent('pipeline-execution-succeeded.json'))).rejects.toThrow(
      'AuthorizationError',
    );
  });

  it('an event that is not a pipeline status change is rejected, naming what it is', async () => {
    const { handle, publish } = pipelineStatusSetUp();
    await expect(handle(sampleEvent('model-package-approved.json'))).rejects.toThrow(
      InvalidEventError,
    );
    const broken = sampleEvent('pipeline-execution-failed.json') as {
      detail: Record<string, unknown>;
    };
    delete broken.detail.pipelineExecutionArn;
    await expect(handle(broken)).rejects.toThrow('detail.pipelineExecutionArn');
    expect(publish).not.toHaveBeenCalled();
  });
});

describe('onModelPackageStateChange: approval starts one scoring run, even when retried', () => {
  const saved = process.env.AWS_ENDPOINT_URL_SAGEMAKER;
  let sageMaker: Awaited<ReturnType<typeof startLocalSageMaker>>;
  beforeEach(async () => {
    sageMaker = await startLocalSageMaker([
      {
        name: notifyConfig.pipelines['batch-inference'],
        parameterNames: ['InputDataUrl', 'ModelPackageGroupName'],
      },
    ]);
    process.env.AWS_ENDPOINT_URL_SAGEMAKER = sageMaker.url;
  });
  afterEach(async () => {
    process.env.AWS_ENDPOINT_URL_SAGEMAKER = saved;
    await sageMaker.close();
  });

  function setUp(publish: (notification: Notification) => Promise<string | undefined>) {
    const client = createSageMakerClient({ maxAttempts: 1, retryMode: 'standard' });
    const describe = jest.fn(async () => registeredModelVersion());
    const handle = createOnModelPackageStateChangeHandler({
      config: notifyConfig,
      region: 'eu-west-1',
      describe,
      findNewestApprovedArn: async () => undefined,
      readRunDescription: async () => undefined,
      readJsonObject: async () => ({}),
      startPipeline: (request) => startPipelineExecution(client, request),
      publish: publishingEveryTime(publish),
      decisions: keptDecisions(),
      logger: new Logger(),
      metrics: new Metrics(),
    });
    return { handle, describe };
  }

  it('a duplicated approval event starts one run and confirms twice with the same run', async () => {
    const published: Notification[] = [];
    const { handle, describe } = setUp(async (notification) => {
      published.push(notification);
      return 'm';
    });
    const first = await handle(sampleEvent('model-package-approved.json'));
    const second = await handle(sampleEvent('model-package-approved.json'));
    expect(sageMaker.executions).toHaveLength(1);
    expect(second.scoringRunArn).toBe(first.scoringRunArn);
    expect(published.map((notification) => notification.kind)).toEqual([
      'model-approved',
      'model-approved',
    ]);
    expect(describe).not.toHaveBeenCalled();
  });

  it('a failed e-mail fails the invocation; its retry finds the run already started', async () => {
    let attempts = 0;
    const { handle } = setUp(async () => {
      attempts += 1;
      if (attempts === 1) throw new Error('SNS unavailable');
      return 'm';
    });
    await expect(handle(sampleEvent('model-package-approved.json'))).rejects.toThrow(
      'SNS unavailable',
    );
    await expect(handle(sampleEvent('model-package-approved.json'))).resolves.toMatchObject({
      published: 1,
    });
    expect(sageMaker.executions).toHaveLength(1);
    expect(sageMaker.executions[0]?.request.PipelineParameters).toEqual([
      { Name: 'InputDataUrl', Value: 's3://mlops-control-plane-dev-data/data/inference/latest/' },
      { Name: 'ModelPackageGroupName', Value: 'mlops-control-plane-dev-models' },
    ]);
  });

  it('an update that leaves the approval status alone confirms nothing and starts nothing', async () => {
    const published: Notification[] = [];
    const { handle } = setUp(async (notification) => {
      published.push(notification);
      return 'm';
    });
    const lifecycle = sampleEvent('model-package-approved.json') as {
      detail: Record<string, unknown>;
    };
    lifecycle.detail.UpdatedModelPackageFields = ['ModelLifeCycle'];
    await expect(handle(lifecycle)).resolves.toEqual({ published: 0 });
    const approval = sampleEvent('model-package-approved.json') as {
      detail: Record<string, unknown>;
    };
    approval.detail.UpdatedModelPackageFields = ['ModelApprovalStatus', 'ApprovalDescription'];
    await expect(handle(approval)).resolves.toMatchObject({ published: 1 });
    expect(sageMaker.executions).toHaveLength(1);
    expect(published.map((notification) => notification.kind)).toEqual(['model-approved']);
  });

  it('two deliveries of one approval that differ outside its identity start one run and confirm both', async () => {
    const published: Notification[] = [];
    const { handle } = setUp(async (notification) => {
      published.push(notification);
      return 'm';
    });
    const first = sampleEvent('model-package-approved.json') as { detail: Record<string, unknown> };
    const second = sampleEvent('model-package-approved.json') as {
      detail: Record<string, unknown>;
    };
    delete second.detail.ModelPackageVersion;
    second.detail.ApprovalDescription = 'edited later';
    const a = await handle(first);
    const b = await handle(second);
    expect(b.scoringRunArn).toBe(a.scoringRunArn);
    expect(sageMaker.executions).toHaveLength(1);
    expect(published).toHaveLength(2);
  });

  it('a rejection starts nothing; another group is ignored', async () => {
    const published: Notification[] = [];
    const { handle } = setUp(async (notification) => {
      published.push(notification);
      return 'm';
    });
    await handle(sampleEvent('model-package-rejected.json'));
    const other = sampleEvent('model-package-approved.json') as { detail: Record<string, unknown> };
    other.detail.ModelPackageGroupName = 'someone-elses-models';
    await expect(handle(other)).resolves.toEqual({ published: 0 });
    expect(sageMaker.executions).toEqual([]);
    expect(published.map((notification) => notification.kind)).toEqual(['model-rejected']);
  });

  it('a new version is described once and its metrics read once', async () => {
    const readJsonObject = jest.fn(async () => ({
      binary_classification_metrics: { auc: { value: 0.9 } },
    }));
    const describe = jest.fn(async () => registeredModelVersion());
    const publish = jest.fn<Promise<string>, [Notification]>(async () => 'm');
    const handle = createOnModelPackageStateChangeHandler({
      config: notifyConfig,
      region: 'eu-west-1',
      describe,
      findNewestApprovedArn: async () => undefined,
      readRunDescription: async () => undefined,
      readJsonObject,
      startPipeline: async () => 'never',
      publish: publishingEveryTime(publish),
      decisions: keptDecisions(),
      logger: new Logger(),
      metrics: new Metrics(),
    });
    await handle(sampleEvent('model-package-pending-approval.json'));
    expect(describe).toHaveBeenCalledTimes(1);
    expect(readJsonObject).toHaveBeenCalledWith('s3://bucket/evaluation/run-7/evaluation.json');
    expect(publish.mock.calls[0]?.[0].body).toMatch(/^auc +0\.9$/m);
  });
});
