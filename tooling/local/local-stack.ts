import {
  ListModelPackagesCommand,
  ListPipelineExecutionsCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import type { LocalStack } from './sample-event';
import type { StackWiring } from './stack-wiring';

/** What a running local cloud is: its stack's wiring and where it runs. */
export interface LocalStackLocation {
  readonly wiring: StackWiring;
  readonly stackName: string;
  readonly accountId: string;
  readonly region: string;
  /** The local SageMaker, asked for the newest model version and runs, and what it accepts. */
  readonly sageMakerUrl: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/**
 * The running local stack a sample is adapted to, with the newest model version and the newest
 * run of each pipeline read from the local SageMaker at this moment (a sample about a version or
 * a run becomes about them).
 *
 * @example
 * const stack = await readLocalStack({ wiring, stackName, accountId, region, sageMakerUrl, credentials });
 * const { delivery } = adaptSample(sample, stack);
 */
export async function readLocalStack(location: LocalStackLocation): Promise<LocalStack> {
  const { wiring } = location;
  const sageMaker = new SageMakerClient({
    region: location.region,
    endpoint: location.sageMakerUrl,
    credentials: location.credentials,
  });
  try {
    const newestModelVersion = await newestVersion(sageMaker, wiring.modelPackageGroups[0]);
    const newestRunIds: Record<string, string> = {};
    for (const { name } of wiring.pipelines) {
      const id = await newestRunId(sageMaker, name);
      if (id !== undefined) newestRunIds[name] = id;
    }
    return {
      wiring,
      stackName: location.stackName,
      stage: 'local',
      accountId: location.accountId,
      region: location.region,
      newestRunIds,
      ...(newestModelVersion === undefined ? {} : { newestModelVersion }),
    };
  } finally {
    sageMaker.destroy();
  }
}

async function newestVersion(
  sageMaker: SageMakerClient,
  group: string | undefined,
): Promise<number | undefined> {
  if (group === undefined) return undefined;
  const { ModelPackageSummaryList: newest = [] } = await sageMaker.send(
    new ListModelPackagesCommand({
      ModelPackageGroupName: group,
      SortBy: 'CreationTime',
      SortOrder: 'Descending',
      MaxResults: 1,
    }),
  );
  return newest[0]?.ModelPackageVersion;
}

async function newestRunId(sageMaker: SageMakerClient, pipeline: string) {
  const { PipelineExecutionSummaries: newest = [] } = await sageMaker.send(
    new ListPipelineExecutionsCommand({
      PipelineName: pipeline,
      SortBy: 'CreationTime',
      SortOrder: 'Descending',
      MaxResults: 1,
    }),
  );
  return newest[0]?.PipelineExecutionArn?.split('/').pop();
}
