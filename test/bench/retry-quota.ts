// What the SDK's retry quota does to a burst of starts: the same starts through one client, once
// with the SDK's StandardRetryStrategy and once with the project's ThrottlingRetryStrategy.
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { StandardRetryStrategy } from '@smithy/core/retry';
import { performance } from 'node:perf_hooks';
import { startPipelineExecution } from '../../functions/aws/sagemaker-pipelines';
import { clientOptions } from '../../functions/aws/sdk-client-options';
import { ThrottlingRetryStrategy } from '../../functions/aws/throttling-retry-strategy';
import { mapWithConcurrency } from '../../functions/runtime/map-with-concurrency';
import { startLocalSageMaker } from '../../tooling/local/sagemaker-endpoint';
import { injectStartFaults } from './throttled-burst';

export interface QuotaRun {
  readonly strategy: string;
  readonly seconds: number;
  readonly failed: number;
  /** Failed before maxAttempts: the quota refused the retry, and no back-off was waited. */
  readonly refusedByQuota: number;
  readonly quotaLeft: number;
  readonly requests: number;
}

/**
 * Runs `starts` distinct starts, `parallel` at a time, with each strategy against a local SageMaker
 * that throttles and fails at random (the same seed for both).
 *
 * @example
 * const runs = await measureRetryQuota({ starts: 1000, parallel: 16, maxAttempts: 8, seed: 1 });
 */
export async function measureRetryQuota(settings: {
  readonly starts: number;
  readonly parallel: number;
  readonly maxAttempts: number;
  readonly throttledShare: number;
  readonly serverErrorShare: number;
  readonly seed: number;
}): Promise<QuotaRun[]> {
  const strategies = {
    'SDK StandardRetryStrategy': new StandardRetryStrategy(settings.maxAttempts),
    ThrottlingRetryStrategy: new ThrottlingRetryStrategy(settings.maxAttempts),
  };
  const runs: QuotaRun[] = [];
  for (const [name, strategy] of Object.entries(strategies)) {
    const sageMaker = await startLocalSageMaker([
      { name: 'bench', parameterNames: ['InputDataUrl'] },
    ]);
    injectStartFaults(sageMaker, { ...settings, stalledShare: 0, stallMs: 0 });
    const client = new SageMakerClient({
      ...clientOptions({ maxAttempts: settings.maxAttempts, retryMode: 'standard' }),
      retryStrategy: strategy,
      endpoint: sageMaker.url,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    });
    const startedAt = performance.now();
    const outcomes = await mapWithConcurrency(
      Array.from({ length: settings.starts }, (_, index) => index),
      settings.parallel,
      (index) =>
        startPipelineExecution(client, {
          pipelineName: 'bench',
          parameters: [{ name: 'InputDataUrl', value: `s3://bench/${index}.csv` }],
          displayName: `bench-${index}`,
          description: 'retry quota benchmark',
          clientRequestToken: `object-${String(index).padStart(64, '0')}`,
        }),
    );
    const failures = outcomes.flatMap((outcome) =>
      outcome.status === 'rejected' ? [outcome.reason as Error] : [],
    );
    runs.push({
      strategy: name,
      seconds: (performance.now() - startedAt) / 1000,
      failed: failures.length,
      refusedByQuota: failures.filter(
        (failure) =>
          ((failure.cause as { $metadata?: { attempts?: number } }).$metadata?.attempts ?? 0) <
          settings.maxAttempts,
      ).length,
      quotaLeft: strategy.getCapacity(),
      requests: sageMaker.requests.length,
    });
    client.destroy();
    await sageMaker.close();
  }
  return runs;
}
