import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Notification } from '../../functions/core/notification';
import type { PipelineStartRequest } from '../../functions/core/pipeline-start-request';
import { createOnScheduleHandler } from '../../functions/handlers/on-schedule';
import { scheduleConfig } from '../support/schedule-fixtures';
import { expectGolden } from '../support/notification-fixtures';
import { sampleEvent } from '../support/upload-fixtures';
import { keptDecisions, publishingEveryTime } from '../support/ledger-fixtures';

function setUp(facts: { inputHasObjects?: boolean; approved?: string } = {}) {
  const started: PipelineStartRequest[] = [];
  const published: Notification[] = [];
  const reads = {
    listRecentExecutions: jest.fn(async () => []),
    prefixHoldsObjects: jest.fn(async () => facts.inputHasObjects ?? true),
    findNewestApprovedArn: jest.fn(async () =>
      'approved' in facts ? facts.approved : 'arn:aws:sagemaker:eu-west-1:1:model-package/g/3',
    ),
  };
  const handle = createOnScheduleHandler({
    config: scheduleConfig,
    ...reads,
    startPipeline: async (request) => {
      started.push(request);
      return 'arn:run';
    },
    publish: publishingEveryTime(async (notification) => {
      published.push(notification);
      return 'm';
    }),
    decisions: keptDecisions(),
    logger: new Logger(),
    metrics: new Metrics(),
  });
  return { handle, started, published, reads };
}

describe('onSchedule shell', () => {
  it('starts the daily scoring when its preconditions hold, reading each once', async () => {
    const { handle, started, published, reads } = setUp();
    await expect(handle(sampleEvent('schedule-daily-scoring.json'))).resolves.toEqual({
      outcome: 'started',
      executionArn: 'arn:run',
    });
    expect(started).toHaveLength(1);
    expect(published).toEqual([]);
    expect(reads.prefixHoldsObjects).toHaveBeenCalledWith('s3://bucket/data/inference/2026-11-21/');
    expect(reads.findNewestApprovedArn).toHaveBeenCalledWith('mlops-control-plane-dev-models');
    expect(reads.listRecentExecutions).toHaveBeenCalledWith(
      'mlops-control-plane-dev-batch-inference',
    );
  });

  it('skips the first scoring run when no model is approved yet, and says so', async () => {
    const { handle, started, published } = setUp({ approved: undefined });
    await expect(handle(sampleEvent('schedule-daily-scoring.json'))).resolves.toEqual({
      outcome: 'skipped',
    });
    expect(started).toEqual([]);
    expectGolden('schedule-skipped', published[0]);
  });

  it('skips when the day has no data', async () => {
    const { handle, published } = setUp({ inputHasObjects: false });
    await handle(sampleEvent('schedule-daily-scoring.json'));
    // The news in a few words; the input's URI is in the body.
    expect(published[0]?.subject).toBe('[dev] Skipped: daily-scoring of 2026-11-21, no input yet');
    expect(published[0]?.body).toContain('holds no object yet');
  });

  it('rejects an event that is not a scheduled event, naming the field', async () => {
    const { handle } = setUp();
    await expect(
      handle({ ...(sampleEvent('schedule-daily-scoring.json') as object), resources: [] }),
    ).rejects.toThrow('resources');
  });
});
