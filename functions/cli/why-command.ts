import { readLedgerPartition } from '../aws/ledger-records';
import { objectExists } from '../aws/object-existence';
import { readRunStatus } from '../aws/run-status';
import { closestRoute } from '../core/closest-route';
import { orderRoutesBySpecificity, routeObject } from '../core/route-object';
import { folderOf, parseS3Uri, s3Uri } from '../core/s3-key';
import type { CommandOutput } from './command-output';
import { UsageError } from './operator-errors';
import type { StackContext } from './stack-context';
import { type WhyExplanation, explainKey } from './why-explanation';

/**
 * `mlops why s3://bucket/key`: the route that claims the key, what the ledger recorded for it
 * (the object's partition and its folder's), and the likely cause when nothing was.
 */
export async function whyCommand(stack: StackContext, uri: string): Promise<CommandOutput> {
  const location = parseS3Uri(uri);
  if ('problem' in location) throw new UsageError(`The key ${uri} ${location.problem}.`);
  const { bucket, key } = location;
  if (key === '') throw new UsageError(`${uri} names a bucket, not an object: add its key.`);
  const [config, ledger] = await Promise.all([stack.dataUploadConfig(), stack.ledgerConfig()]);
  const routing = routeObject(
    {
      notificationId: 'mlops-why',
      bucket,
      key,
      eventTime: new Date().toISOString(),
      reason: 'why',
    },
    orderRoutesBySpecificity(config.routes),
  );
  const subjects = [...new Set([s3Uri(bucket, key), s3Uri(bucket, folderOf(key))])];
  const [records, exists] = await Promise.all([
    Promise.all(
      subjects.map((subject) =>
        readLedgerPartition(stack.clients.dynamoDb, ledger.tableName, subject),
      ),
    ).then((partitions) =>
      partitions.flat().sort((a, b) => String(a.at).localeCompare(String(b.at))),
    ),
    objectExists(stack.clients.s3, bucket, key),
  ]);
  const runs = [
    ...new Set(
      records.flatMap((record) =>
        typeof record.executionArn === 'string' ? [record.executionArn] : [],
      ),
    ),
  ];
  const statuses = await Promise.all(
    runs.map((arn) => readRunStatus(stack.clients.sageMaker, arn)),
  );
  const explanation = explainKey({
    uri: s3Uri(bucket, key),
    bucket,
    routing,
    closest: 'route' in routing ? undefined : closestRoute(key, bucket, config.routes),
    bucketWatched: config.routes.some((route) => route.bucket === bucket),
    records,
    runStatuses: Object.fromEntries(runs.map((arn, index) => [arn, statuses[index] ?? 'unknown'])),
    objectExists: exists,
  });
  return { data: explanation, text: whyText(explanation) };
}

function whyText(explanation: WhyExplanation): string {
  return [
    explanation.uri,
    `  route     ${explanation.route}`,
    ...(explanation.recorded.length === 0
      ? ['  ledger    no record']
      : explanation.recorded.map(
          (line, index) => `  ${index === 0 ? 'ledger   ' : '         '} ${line}`,
        )),
    `  verdict   ${explanation.verdict}`,
  ].join('\n');
}
