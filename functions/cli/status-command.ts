import { readLatestPipelineDecisions } from '../aws/ledger-records';
import { listModelVersions } from '../aws/model-versions';
import { readQueueDepth } from '../aws/queue-depths';
import { listRecentExecutions } from '../aws/recent-executions';
import type { CommandOutput } from './command-output';
import { readScheduleStates } from './schedules-command';
import type { StackContext } from './stack-context';
import { type StatusReport, latestDecisions, pipelineStatus, statusText } from './status-report';

/** The stack outputs that name its dead-letter queues (serverless.yml resources.Outputs). */
export const DEAD_LETTER_QUEUE_OUTPUTS = [
  'DataUploadDeadLetterQueueUrl',
  'NotificationsDeadLetterQueueUrl',
  'MonitoringDeadLetterQueueUrl',
] as const;
const DECISIONS_PER_PIPELINE = 5;
const DECISIONS_SHOWN = 8;

/**
 * `mlops status`: per pipeline the runs under way and the last finished one, the schedules, the
 * model versions waiting for review, the dead-letter queues' depths and the ledger's latest
 * decisions (its by-pipeline index, no scan), read in parallel.
 */
export async function statusCommand(stack: StackContext, now = new Date()): Promise<CommandOutput> {
  const [config, ledger] = await Promise.all([stack.scheduleConfig(), stack.ledgerConfig()]);
  const pipelines = Object.entries(config.pipelines);
  const [recent, schedules, pendingVersions, deadLetterQueues, records] = await Promise.all([
    Promise.all(pipelines.map(([, name]) => listRecentExecutions(stack.clients.sageMaker, name))),
    readScheduleStates(stack, config.ruleNamePrefix, config.schedules, now),
    listModelVersions(stack.clients.sageMaker, config.modelPackageGroup, 'PendingManualApproval'),
    Promise.all(
      DEAD_LETTER_QUEUE_OUTPUTS.map(async (output) => {
        const depth = await readQueueDepth(stack.clients.sqs, stack.output(output));
        return {
          queue: output.replace(/Url$/, ''),
          waiting: depth.waiting,
          inFlight: depth.inFlight,
        };
      }),
    ),
    Promise.all(
      pipelines.map(([, name]) =>
        readLatestPipelineDecisions(
          stack.clients.dynamoDb,
          ledger.tableName,
          name,
          DECISIONS_PER_PIPELINE,
        ),
      ),
    ),
  ]);
  const report: StatusReport = {
    stackName: stack.stackName,
    at: now.toISOString(),
    pipelines: pipelines.map(([pipeline, name], index) =>
      pipelineStatus(pipeline, name, recent[index] ?? [], now),
    ),
    schedules,
    pendingVersions,
    deadLetterQueues,
    decisions: latestDecisions(records.flat(), DECISIONS_SHOWN),
  };
  return { data: report, text: statusText(report) };
}
