// `npm start`: the whole stack on 127.0.0.1, from the template `serverless package` writes for the
// local stage, until Ctrl-C.
import './silence-sdk-node-notice';
import { relative } from 'node:path';
import { consoleActivityLog } from './activity-log';
import { LOCAL_CREDENTIALS, type LocalCloud, startLocalCloud } from './local-cloud';
import { type LocalCloudSettings, localCloudSettings } from './local-cloud-settings';

function describeCloud(
  cloud: LocalCloud,
  { stateDirectory, featureStore }: LocalCloudSettings,
): string {
  const { endpoints, wiring } = cloud;
  const bucket =
    wiring.buckets.find((candidate) => candidate.eventBridgeEnabled)?.name ?? '<bucket>';
  return [
    '',
    'Local cloud ready (127.0.0.1 only):',
    `  S3         ${endpoints.s3}   buckets: ${wiring.buckets.map((candidate) => candidate.name).join(', ')}`,
    `  SageMaker  ${endpoints.sageMaker}   pipelines: ${wiring.pipelines.map((pipeline) => pipeline.name).join(', ')}`,
    `  SNS        ${endpoints.sns}   topics: ${wiring.topics.map((topic) => topic.name).join(', ')}`,
    `  Functions  ${wiring.functions.map((fn) => fn.name).join(', ')}`,
    `  Rules      ${wiring.rules.map((rule) => rule.logicalId).join(', ')}`,
    `  Inbox      open ${endpoints.inbox} (e-mails are also kept in ${relative(process.cwd(), stateDirectory)}/mail/)`,
    `  Scenario   ${cloud.scenario}`,
    ...(featureStore === undefined
      ? []
      : [`  Features   feature store on, training source ${featureStore} (LOCAL_FEATURE_STORE)`]),
    '',
    'Try it:',
    `  npm run drop -- some.csv data/inference/$(date +%F)/scores.csv`,
    `  AWS_ACCESS_KEY_ID=${LOCAL_CREDENTIALS.accessKeyId} AWS_SECRET_ACCESS_KEY=${LOCAL_CREDENTIALS.secretAccessKey} aws --endpoint-url ${endpoints.s3} s3 cp some.csv s3://${bucket}/data/training/$(date +%Y-%m)/part-0.csv`,
    '  npm run event -- model-package-approved   (a sample of events/, adapted to this stack; npm run event lists them)',
    ...wiring.rules
      .filter((rule) => rule.scheduleExpression !== undefined)
      .map(
        (rule) =>
          `  curl -X POST ${endpoints.control}/schedules/${rule.logicalId}   (fire ${rule.scheduleExpression} now)`,
      ),
    '  npm run demo   (in another terminal: the whole story, step by step)',
    '',
    `Ctrl-C stops: runs under way finish, queues, runs and model versions are kept in ${relative(process.cwd(), stateDirectory) || stateDirectory}/ for the next start (npm run local:reset forgets everything).`,
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const settings = localCloudSettings(process.env, process.argv.slice(2));
  const cloud = await startLocalCloud(settings, consoleActivityLog());
  console.log(describeCloud(cloud, settings));
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    console.log('Stopping the local cloud...');
    cloud.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
