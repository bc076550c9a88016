import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { EmailIdentity } from '../../functions/core/ledger/email-identity';
import { idempotencyKeyOf } from '../../functions/core/ledger/email-identity';
import { createOnPipelineStatusChangeHandler } from '../../functions/handlers/on-pipeline-status-change';
import { keptDecisions } from '../support/ledger-fixtures';
import { notifyConfig } from '../support/notification-fixtures';
import { sampleEvent } from '../support/upload-fixtures';

// A scoring run and the quality runs its ground truth starts check the same data against the same
// baseline: their drift warnings share one identity, so the ledger sends one e-mail, not three.

const INPUT = 's3://mlops-control-plane-dev-data/data/inference/2026-11-22/';

function warningIdentity(executionId: string, scored: { input?: string; modelVersion?: string }) {
  const identities: EmailIdentity[] = [];
  const handle = createOnPipelineStatusChangeHandler({
    config: notifyConfig,
    region: 'eu-west-1',
    readExecutionFailureReason: async () => undefined,
    readFailedSteps: async () => [],
    readRunParameters: async () =>
      scored.input === undefined ? [] : [{ name: 'InputDataUrl', value: scored.input }],
    readQualityCheck: async () => ({
      reportUri: `s3://mlops-control-plane-dev-data/pipelines/${executionId}/constraint_violations.json`,
      ...(scored.modelVersion === undefined ? {} : { modelVersion: scored.modelVersion }),
    }),
    readJsonObject: async () => ({
      violations: [{ feature_name: 'age', constraint_check_type: 'data_type_check' }],
    }),
    publish: async (identity) => {
      identities.push(identity);
      return { messageId: 'm', replayed: false };
    },
    decisions: keptDecisions(),
    logger: new Logger({ logLevel: 'SILENT' }),
    metrics: new Metrics(),
  });
  const event = sampleEvent('pipeline-step-data-quality-violations.json') as {
    detail: { pipelineExecutionArn: string };
  };
  event.detail.pipelineExecutionArn = event.detail.pipelineExecutionArn.replace(
    /[^/]+$/,
    executionId,
  );
  return handle(event).then(() => {
    expect(identities).toHaveLength(1);
    return idempotencyKeyOf(identities[0] as EmailIdentity);
  });
}

describe('a drift warning is the data’s: one per input, model version and check', () => {
  it('three runs over the same data with the same model: one identity', async () => {
    const keys = await Promise.all(
      ['scoring1abcd', 'quality1abcd', 'quality2abcd'].map((id) =>
        warningIdentity(id, { input: INPUT, modelVersion: 'v3' }),
      ),
    );
    expect(new Set(keys).size).toBe(1);
  });

  it('another model version or other data: another warning', async () => {
    const base = await warningIdentity('scoring1abcd', { input: INPUT, modelVersion: 'v3' });
    expect(await warningIdentity('scoring2abcd', { input: INPUT, modelVersion: 'v4' })).not.toBe(
      base,
    );
    expect(
      await warningIdentity('scoring3abcd', {
        input: INPUT.replace('2026-11-22', '2026-11-23'),
        modelVersion: 'v3',
      }),
    ).not.toBe(base);
  });

  it('without the input or the model version, each run warns on its own', async () => {
    const first = await warningIdentity('scoring1abcd', { modelVersion: 'v3' });
    expect(await warningIdentity('scoring2abcd', { modelVersion: 'v3' })).not.toBe(first);
  });
});
