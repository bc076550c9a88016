// `npm start`: the packaged onDataUpload, unchanged, against a SageMaker control plane on 127.0.0.1.
// Each sample event in events/ is delivered as AWS would deliver it; the SQS batch is delivered
// twice, as at-least-once delivery may, to show that the second delivery starts nothing new.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PIPELINE_IDS, declaredParameterNames } from '../../pipeline-definitions/pipeline-catalog';
import { packageFunction } from '../package-function';
import { type LocalPipeline, startLocalSageMaker } from './sagemaker-endpoint';

const root = join(__dirname, '..', '..');
const STAGE = 'dev';

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

/** Pipelines as the stack names them (`<service>-<stage>-<pipeline id>`), with their parameters. */
function localPipelines(pipelineNames: readonly string[]): LocalPipeline[] {
  return pipelineNames.flatMap((name) => {
    const id = PIPELINE_IDS.find((candidate) => name.endsWith(`-${candidate}`));
    return id === undefined ? [] : [{ name, parameterNames: declaredParameterNames(id) }];
  });
}

function lambdaContext(functionName: string) {
  return {
    functionName,
    functionVersion: '$LATEST',
    memoryLimitInMB: '256',
    awsRequestId: `local-${Date.now()}`,
    invokedFunctionArn: `arn:aws:lambda:eu-west-1:000000000000:function:${functionName}`,
    getRemainingTimeInMillis: () => 60_000,
  };
}

async function main(): Promise<void> {
  console.log(`Packaging onDataUpload for stage ${STAGE} (offline)...`);
  const packaged = packageFunction('onDataUpload', STAGE);
  const config = JSON.parse(packaged.environment.DATA_UPLOAD_CONFIG ?? '{}') as {
    routes: Array<{ name: string; pipeline: string }>;
  };
  const sageMaker = await startLocalSageMaker(
    localPipelines([...new Set(config.routes.map((route) => route.pipeline))]),
  );
  Object.assign(process.env, packaged.environment, {
    AWS_ENDPOINT_URL_SAGEMAKER: sageMaker.url,
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  console.log(
    `Local SageMaker control plane on ${sageMaker.url}; routes: ${config.routes.map((route) => route.name).join(', ')}\n`,
  );
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the packaged bundle is CommonJS
    const { handler } = require(packaged.bundle) as { handler: Handler };
    const deliveries = readdirSync(join(root, 'events'))
      .filter((file) => file.endsWith('.json'))
      .sort()
      .flatMap((file) => (file.endsWith('.sqs.json') ? [file, `${file} (redelivered)`] : [file]));
    for (const delivery of deliveries) {
      const file = delivery.replace(/ \(redelivered\)$/, '');
      const before = sageMaker.executions.length;
      const result = await handler(
        JSON.parse(readFileSync(join(root, 'events', file), 'utf8')),
        lambdaContext('onDataUpload'),
      );
      const started = sageMaker.executions.slice(before);
      console.log(`events/${delivery}`);
      for (const execution of started) {
        const input = (
          execution.request.PipelineParameters as Array<{ Name: string; Value: string }>
        )[0];
        console.log(
          `  started ${execution.request.PipelineExecutionDisplayName} of ${execution.pipelineName}`,
        );
        console.log(`          ${input?.Name}=${input?.Value}`);
      }
      if (started.length === 0) console.log(`  no new run  (${JSON.stringify(result)})`);
    }
    console.log(`\n${sageMaker.executions.length} pipeline runs started in all.`);
  } finally {
    await sageMaker.close();
    packaged.remove();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
