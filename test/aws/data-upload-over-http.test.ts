import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { createSageMakerClient } from '../../functions/aws/sagemaker-client';
import { startPipelineExecution } from '../../functions/aws/sagemaker-pipelines';
import type { DataUploadConfig } from '../../functions/config/data-upload-config';
import type { QueueMessage } from '../../functions/core/upload-redelivery';
import { createOnDataUploadHandler } from '../../functions/handlers/on-data-upload';
import { keptDecisions } from '../support/ledger-fixtures';
import { lambdaContext } from '../support/lambda-context';
import { useLocalSageMaker } from '../support/local-sagemaker';
import { eventBridgeObjectCreated, sqsBatch, testConfig } from '../support/upload-fixtures';

// The shell with the real SDK against the local SageMaker, which keeps runs by ClientRequestToken.
describe('onDataUpload over HTTP: a start cut short is tried again and finds its run', () => {
  const sageMaker = useLocalSageMaker([
    {
      name: 'mlops-dev-batch-inference',
      parameterNames: ['InputDataUrl', 'ModelPackageGroupName'],
    },
  ]);

  function handler(sageMakerSettings: Partial<DataUploadConfig['sageMaker']>, reserveMs = 5_000) {
    const config = {
      ...testConfig,
      finishReserveMs: reserveMs,
      sageMaker: { ...testConfig.sageMaker, ...sageMakerSettings },
    };
    const client = createSageMakerClient(config.sageMaker);
    return createOnDataUploadHandler({
      config,
      startPipeline: (request, signal) => startPipelineExecution(client, request, signal),
      sendToBuffer: async (messages) => {
        requeued.push(...messages);
        return new Map();
      },
      sendToDeadLetterQueue: async () => new Map(),
      decisions: keptDecisions(),
      now: () => new Date('2026-11-21T06:00:00.000Z'),
      logger: new Logger(),
      metrics: new Metrics(),
    });
  }

  const requeued: QueueMessage[] = [];
  beforeEach(() => {
    requeued.length = 0;
  });

  const upload = () => sqsBatch([eventBridgeObjectCreated('data/inference/a.csv')]);

  function redelivered() {
    const batch = upload();
    (batch.Records[0]?.attributes as Record<string, string>).ApproximateReceiveCount = '2';
    return batch;
  }

  function startTokens(): unknown[] {
    return sageMaker()
      .requests.filter((request) => request.target === 'SageMaker.StartPipelineExecution')
      .map((request) => request.body.ClientRequestToken);
  }

  it('timed out: redelivered, the same token returns the run the stalled call started', async () => {
    sageMaker().injectFaults({ stallMs: 60_000 });
    const handle = handler({ maxAttempts: 1, requestTimeoutMs: 500 });
    const context = lambdaContext(() => 60_000);
    // Its only message failed: the whole batch fails, and SQS redelivers it.
    await expect(handle(upload(), context)).rejects.toThrow('All records failed processing');
    // The stalled call did start its run: a second one would be a duplicate.
    expect(sageMaker().executions).toHaveLength(1);
    await expect(handle(redelivered(), context)).resolves.toEqual({ batchItemFailures: [] });
    expect(sageMaker().executions).toHaveLength(1);
    expect(new Set(startTokens()).size).toBe(1);
  });

  it('aborted at the deadline between attempts: requeued, and the copy finds the run', async () => {
    // Launch while more than 2.6 s remain, abort at 2 s: with 2.7 s left, 0.7 s in, during the
    // second attempt (the first timed out at 0.5 s).
    sageMaker().injectFaults({ stallMs: 60_000 }, { stallMs: 60_000 }, { stallMs: 60_000 });
    const handle = handler(
      { maxAttempts: 3, connectionTimeoutMs: 100, requestTimeoutMs: 500 },
      2_000,
    );
    await expect(
      handle(
        upload(),
        lambdaContext(() => 2_700),
      ),
    ).resolves.toEqual({
      batchItemFailures: [],
    });
    // Without the abort a third attempt would follow.
    expect(startTokens().length).toBeLessThan(3);
    expect(requeued).toHaveLength(1);
    const copy = sqsBatch([requeued[0]?.body]);
    await expect(
      handle(
        copy,
        lambdaContext(() => 60_000),
      ),
    ).resolves.toEqual({
      batchItemFailures: [],
    });
    expect(sageMaker().executions).toHaveLength(1);
    expect(new Set(startTokens()).size).toBe(1);
  });
});
