// `serverless invoke local` runs one function's handler inside the Serverless process, with the
// environment serverless.yml gives it. For a deployed stage Serverless resolves the environment's
// references (Ref) with that stage's CloudFormation stack; the local stage has no such stack, so
// the running local cloud (npm start) stands in for it: the function gets the environment the
// cloud gives its own copy of the function, resolved from the template the cloud was packaged
// with, and a sample of events/ is adapted to that stack as `npm run event` adapts it.
import { functionPlatformEnvironment } from './local/local-cloud';
import { localCloudSettings } from './local/local-cloud-settings';
import { readLocalStack } from './local/local-stack';
import { runningLocalCloud } from './local/running-local-cloud';
import { SAMPLE_STACK, adaptSample, namesSampleAccount } from './local/sample-event';

/** The stage `npm start` packages and runs. */
export const LOCAL_STAGE = 'local';

/** What one `serverless invoke local --stage local` takes from the running local cloud. */
export interface LocalInvocation {
  /** The environment the local cloud gives the function of this (physical) name. */
  environmentOf(functionName: string): Record<string, string>;
  /** The event, adapted to the local stack when it is a sample of events/, with what changed. */
  adapt(event: unknown): Promise<{ readonly event: unknown; readonly changes: readonly string[] }>;
}

/**
 * The running local cloud that `environment` (its LOCAL_*_PORT variables, as `npm start` reads
 * them) points at, ready to lend its stack to one local invocation; fails, saying how to start
 * one, when none runs.
 *
 * @example
 * const local = await localInvocation(process.env);
 * fn.environment = local.environmentOf('mlops-control-plane-local-onDataUpload');
 * const { event } = await local.adapt(sample);
 */
export async function localInvocation(environment: NodeJS.ProcessEnv): Promise<LocalInvocation> {
  const cloud = await runningLocalCloud(localCloudSettings(environment), 'invoke again');
  const { wiring, region } = cloud.stack;
  const platform = functionPlatformEnvironment(cloud.endpoints, region);
  return {
    environmentOf(functionName) {
      const fn = wiring.functions.find((candidate) => candidate.name === functionName);
      if (fn === undefined) {
        throw new Error(
          `The running local cloud has no function ${functionName} (it runs ${wiring.functions.map((candidate) => candidate.name).join(', ')}): restart npm start to run the current serverless.yml`,
        );
      }
      return { ...platform, ...fn.environment };
    },
    async adapt(event) {
      if (!namesSampleAccount(event)) return { event, changes: [] };
      const { sample, changes } = adaptSample(event, await readLocalStack(cloud.stack));
      return { event: sample, changes };
    },
  };
}

/**
 * Why an event cannot go to a deployed stage as it is: a sample of events/ names the dev stage's
 * account and resources, which the functions of another stage ignore as not theirs.
 *
 * @example
 * sampleStageMismatch(pipelineFailedSample, 'prod'); // 'The event is a sample of events/ ...'
 */
export function sampleStageMismatch(event: unknown, stage: string): string | undefined {
  if (stage === SAMPLE_STACK.stage || !namesSampleAccount(event)) return undefined;
  return `The event is a sample of events/, written for the ${SAMPLE_STACK.stage} stage (account ${SAMPLE_STACK.accountId}, its resources): stage ${stage}'s functions would ignore it. Edit a copy for stage ${stage}, or invoke with --stage ${LOCAL_STAGE} against the local cloud (npm start), which adapts it.`;
}
