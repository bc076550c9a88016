import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { PipelineStartRequest } from '../../functions/core/pipeline-start-request';
import { InvalidEventError, PipelineStartError } from '../../functions/errors';
import { createDataUploadHandler } from '../../functions/handlers/data-upload';
import {
  BUCKET,
  eventBridgeObjectCreated,
  sampleEvent,
  sqsBatch,
  testConfig,
} from '../support/upload-fixtures';
import { keptDecisions } from '../support/ledger-fixtures';

function setUp(startPipeline: (request: PipelineStartRequest) => Promise<string> = started) {
  const logger = new Logger();
  const metrics = new Metrics();
  const start = jest.fn(startPipeline);
  const addMetric = jest.spyOn(metrics, 'addMetric');
  const info = jest.spyOn(logger, 'info');
  const handle = createDataUploadHandler({
    config: testConfig,
    startPipeline: start,
    decisions: keptDecisions(),
    logger,
    metrics,
  });
  return { handle, start, addMetric, info };
}

async function started(request: PipelineStartRequest): Promise<string> {
  return `arn:aws:sagemaker:eu-west-1:123456789012:pipeline/${request.pipelineName}/execution/${request.clientRequestToken.slice(-12)}`;
}

const partFile = (index: number) =>
  eventBridgeObjectCreated(`data/training/2026-11-01/part-${String(index).padStart(5, '0')}.csv`, {
    id: `evt-${index}`,
    sequencer: `00${index.toString(16).padStart(16, '0')}`,
    reason: 'CompleteMultipartUpload',
  });

describe('onDataUpload: the shipped ground-truth route', () => {
  it("the ground-truth sample starts the quality run of its day's input", async () => {
    const { handle, start } = setUp();
    await expect(
      handle(sampleEvent('ground-truth-upload.eventbridge.json')),
    ).resolves.toMatchObject({
      started: [{ route: 'ground-truth' }],
    });
    expect(start.mock.calls[0]?.[0].parameters).toEqual([
      { name: 'GroundTruthUrl', value: `s3://${BUCKET}/data/ground-truth/2026-11-21/labels.csv` },
      { name: 'InputDataUrl', value: `s3://${BUCKET}/data/inference/2026-11-21/` },
      { name: 'ModelPackageGroupName', value: 'mlops-dev-models' },
    ]);
  });
});

describe('onDataUpload shell: SQS batches (EventBridge -> SQS buffer -> Lambda)', () => {
  it('500 part files of one folder in one batch: one StartPipelineExecution, no failures', async () => {
    const { handle, start, addMetric } = setUp();
    const response = await handle(
      sqsBatch(Array.from({ length: 500 }, (_, index) => partFile(index))),
    );
    expect(response).toEqual({ batchItemFailures: [] });
    expect(start).toHaveBeenCalledTimes(1);
    expect(start.mock.calls[0]?.[0].parameters[0]).toEqual({
      name: 'InputDataUrl',
      value: `s3://${BUCKET}/data/training/2026-11-01/`,
    });
    expect(addMetric).toHaveBeenCalledWith('PipelineRunsStarted', 'Count', 1);
  });

  it('the sample batch (a duplicate delivery and an encoded key) starts two runs with decoded URIs', async () => {
    const { handle, start } = setUp();
    await expect(handle(sampleEvent('inference-uploads.sqs.json'))).resolves.toEqual({
      batchItemFailures: [],
    });
    expect(start.mock.calls.map(([request]) => request.parameters[0]?.value)).toEqual([
      `s3://${BUCKET}/data/inference/incoming/2026-11-21/store 42 (eu).csv`,
      `s3://${BUCKET}/data/inference/incoming/2026-11-21/café + bar.csv`,
    ]);
  });

  it('a malformed message fails alone; the rest of the batch starts its run', async () => {
    const { handle, start, addMetric } = setUp();
    const response = await handle(
      sqsBatch(['not json', eventBridgeObjectCreated('data/inference/a.csv')]),
    );
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'msg-0' }] });
    expect(start).toHaveBeenCalledTimes(1);
    expect(addMetric).toHaveBeenCalledWith('EventsRejected', 'Count', 1);
  });

  it('a failed start fails exactly the messages that asked for it, for redelivery', async () => {
    const { handle } = setUp(async (request) => {
      if (request.parameters[0]?.value.endsWith('b.csv'))
        throw new PipelineStartError('ResourceNotFound');
      return started(request);
    });
    const response = await handle(
      sqsBatch([
        eventBridgeObjectCreated('data/inference/a.csv', { sequencer: '01' }),
        eventBridgeObjectCreated('data/inference/b.csv', { sequencer: '02' }),
        eventBridgeObjectCreated('data/inference/b.csv', { sequencer: '02' }),
      ]),
    );
    expect(response).toEqual({
      batchItemFailures: [{ itemIdentifier: 'msg-1' }, { itemIdentifier: 'msg-2' }],
    });
  });

  it('when every message fails the whole batch fails (Lambda retries it as a whole)', async () => {
    const { handle } = setUp(async () => {
      throw new PipelineStartError('InternalFailure');
    });
    await expect(
      handle(sqsBatch([eventBridgeObjectCreated('data/inference/a.csv')])),
    ).rejects.toThrow('All records failed processing');
  });

  it('ignored objects are logged with their reason and counted, and their messages succeed', async () => {
    const { handle, start, info } = setUp();
    const response = await handle(
      sqsBatch([
        eventBridgeObjectCreated('data/training/2026-11-01/'),
        eventBridgeObjectCreated('somewhere/else.csv'),
        sampleEvent('s3-test-event.json'),
      ]),
    );
    expect(response).toEqual({ batchItemFailures: [] });
    expect(start).not.toHaveBeenCalled();
    expect(
      info.mock.calls
        .filter(([message]) => message === 'Object ignored')
        .map(([, extra]) => (extra as { reason: string }).reason),
    ).toEqual(['test-event', 'folder-marker', 'no-route']);
  });

  it('a body that is a classic Records[] notification (S3 -> SQS) is accepted too', async () => {
    const { handle, start } = setUp();
    await handle(sqsBatch([sampleEvent('inference-upload.s3-notification.json')]));
    expect(start.mock.calls[0]?.[0].parameters[0]?.value).toBe(
      `s3://${BUCKET}/data/inference/incoming/2026-11-21/region=eu/scores input.csv`,
    );
  });

  it('a batch whose envelope is broken is rejected whole, starting nothing', async () => {
    const { handle, start } = setUp();
    await expect(handle({ Records: [{ eventSource: 'aws:sqs', body: '{}' }] })).rejects.toThrow(
      'Invalid SQS event: Records[0].messageId',
    );
    expect(start).not.toHaveBeenCalled();
  });
});

describe('onDataUpload shell: direct invocations', () => {
  it('an EventBridge event starts its run and returns a summary', async () => {
    const { handle, start } = setUp();
    const summary = await handle(sampleEvent('training-folder-upload.eventbridge.json'));
    expect(start).toHaveBeenCalledTimes(1);
    expect(summary).toEqual({
      started: [
        {
          route: 'training-data',
          input: `s3://${BUCKET}/data/training/2026-11-01/`,
          executionArn: expect.stringContaining(':pipeline/mlops-dev-training/execution/'),
        },
      ],
      ignored: 0,
    });
  });

  it('a classic Records[] notification with several objects starts a run per object', async () => {
    const { handle, start } = setUp();
    const notification = sampleEvent('inference-upload.s3-notification.json') as {
      Records: unknown[];
    };
    const second = JSON.parse(JSON.stringify(notification.Records[0])) as {
      s3: { object: { key: string; sequencer: string } };
    };
    second.s3.object.key = 'data/inference/other.csv';
    second.s3.object.sequencer = '00655C3F6512A0B1FF';
    await handle({ Records: [...notification.Records, second] });
    expect(start).toHaveBeenCalledTimes(2);
  });

  it('a failed start fails the invocation (so Lambda retries it, then its DLQ keeps it)', async () => {
    const { handle } = setUp(async () => {
      throw new PipelineStartError('StartPipelineExecution of x failed: AccessDeniedException');
    });
    await expect(handle(sampleEvent('training-folder-upload.eventbridge.json'))).rejects.toThrow(
      'AccessDeniedException',
    );
  });

  it('an invalid event is rejected naming the field and starts nothing', async () => {
    const { handle, start, addMetric } = setUp();
    const event = sampleEvent('training-folder-upload.eventbridge.json') as {
      detail: { bucket: unknown };
    };
    event.detail.bucket = {};
    const attempt = handle(event);
    await expect(attempt).rejects.toThrow(InvalidEventError);
    await expect(attempt).rejects.toThrow('detail.bucket.name');
    expect(start).not.toHaveBeenCalled();
    expect(addMetric).toHaveBeenCalledWith('EventsRejected', 'Count', 1);
  });
});
