import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  DescribeModelPackageCommand,
  ListModelPackagesCommand,
  ListPipelineExecutionStepsCommand,
  ListPipelineExecutionsCommand,
  type PipelineExecutionStep,
  type PipelineExecutionSummary,
  SageMakerClient,
  UpdateModelPackageCommand,
} from '@aws-sdk/client-sagemaker';
import { INPUT_DATA_QUALITY_STEP_NAME } from '../../pipeline-definitions/batch-inference-contract';
import {
  MODEL_QUALITY_VIOLATION_MARKER,
  MODEL_QUALITY_VIOLATION_STEP_NAME,
} from '../../pipeline-definitions/model-quality-violation';
import { featureDisplayName } from '../../functions/core/feature-display-name';
import {
  BUILD_TRAINING_SET_STEP_NAME,
  INGEST_FEATURES_STEP_NAME,
} from '../../pipeline-definitions/feature-store-contract';
import type { Delivery } from './event-bus';
import { LOCAL_CREDENTIALS, type LocalEndpoints } from './local-cloud';
import { type InboxMessage, readInbox } from './mail-inbox';
import type { StackWiring } from './stack-wiring';

/**
 * One fact of the story: done; held back by a guard of the control plane (the retrain cooldown
 * of an earlier demo, say); not possible yet because a function is missing; or broken.
 */
export interface TimelineEntry {
  readonly step: string;
  readonly status: 'done' | 'held back' | 'not yet built' | 'failed';
  readonly detail: string;
}

export interface DemoOptions {
  readonly endpoints: LocalEndpoints;
  readonly wiring: StackWiring;
  readonly region: string;
  /** Called with each entry as soon as it is known. */
  readonly onEntry?: (entry: TimelineEntry) => void;
  /** How long to wait for one consequence (a run to end, a function to run). */
  readonly timeoutMs?: number;
}

/** The whole story was not told: an entry failed, and the entries so far say which. */
export class DemoStoppedError extends Error {
  constructor(readonly timeline: readonly TimelineEntry[]) {
    super(`The demo stopped at: ${timeline.at(-1)?.step} (${timeline.at(-1)?.detail})`);
  }
}

// The columns of custom.mlops.dataset in serverless.yml: the label first, then the features.
const TRAINING_PART =
  'churned,tenure_months,monthly_charges,support_calls,late_payments,data_usage_gb,contract_months\n' +
  '1,3,89.5,4,2,12.5,1\n0,48,35.0,0,0,3.2,24\n';
const SCORING_INPUT = '12,70.25,1,0,8.1,12\n36,42.0,0,0,2.4,24\n';
const GROUND_TRUTH = '0\n1\n';

/**
 * Plays the MLOps loop against a running local cloud, only through the APIs a team would use (S3
 * PutObject, SageMaker list/describe/update, the inbox), and returns the timeline: training data
 * dropped, training run, model registered, review e-mail, approval, inference data dropped,
 * scoring run with the newest approved model, data-quality violation, warning e-mail,
 * model-quality violation, retraining and its guard, and the ledger saying why an upload started
 * nothing. A step that needs a function the stack does
 * not have yet says "not yet built"; it lights up once a rule delivers its event to a function
 * that does the job. On a cloud that retrained within the cooldown (an earlier demo), retraining
 * is "held back", with the reason its e-mail gives.
 *
 * @example
 * const timeline = await playDemo({ endpoints, wiring, region: 'eu-west-1' });
 */
export async function playDemo(options: DemoOptions): Promise<TimelineEntry[]> {
  const story = demoContext(options);
  const timeline: TimelineEntry[] = [];
  const record = (entry: TimelineEntry) => {
    timeline.push(entry);
    options.onEntry?.(entry);
    if (entry.status === 'failed') throw new DemoStoppedError(timeline);
  };

  const training = await story.trainingRun(record);
  const modelPackage = await story.registeredVersion(training, record);
  await story.reviewEmail(modelPackage, record);
  const approvedVersion = await story.approve(modelPackage, record);
  const scoring = await story.scoringRun(approvedVersion, record);
  await story.dataQualityViolation(scoring, record);
  const violation = await story.modelQualityViolation(record);
  await story.retraining(violation, record);
  await story.ignoredUploadExplained(record);
  return timeline;
}

type RecordEntry = (entry: TimelineEntry) => void;

function demoContext(options: DemoOptions) {
  const { endpoints, wiring, region } = options;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const started = new Date();
  const runId = started.toISOString().replace(/[-:.]/g, '').slice(0, 15);
  const day = started.toISOString().slice(0, 10);
  const s3 = new S3Client({
    region,
    endpoint: endpoints.s3,
    forcePathStyle: true,
    credentials: LOCAL_CREDENTIALS,
  });
  const sageMaker = new SageMakerClient({
    region,
    endpoint: endpoints.sageMaker,
    credentials: LOCAL_CREDENTIALS,
  });
  const dynamoDb = new DynamoDBClient({
    region,
    endpoint: endpoints.dynamoDb,
    credentials: LOCAL_CREDENTIALS,
  });
  const bucket = wiring.buckets.find((candidate) => candidate.eventBridgeEnabled)?.name ?? '';
  const group = wiring.modelPackageGroups[0] ?? '';
  const pipeline = (id: string) =>
    wiring.pipelines.find((candidate) => candidate.name.endsWith(`-${id}`))?.name ?? id;
  const datasetFeatures = notificationFeatureNames(wiring);

  async function waitFor<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = await probe();
      if (found !== undefined) return found;
      if (Date.now() > deadline)
        throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
      await sleep(100);
    }
  }

  async function drop(key: string, body: string): Promise<string> {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    return `s3://${bucket}/${key}`;
  }

  async function executionsSince(
    pipelineName: string,
    since: Date,
  ): Promise<PipelineExecutionSummary[]> {
    const output = await sageMaker.send(
      new ListPipelineExecutionsCommand({
        PipelineName: pipelineName,
        CreatedAfter: since,
        SortOrder: 'Ascending',
      }),
    );
    return output.PipelineExecutionSummaries ?? [];
  }

  /** A run of a pipeline started since `since` (the first, or the one with `arn`), once it has ended. */
  async function finishedRun(
    pipelineName: string,
    since: Date,
    arn?: string,
  ): Promise<PipelineExecutionSummary> {
    return waitFor(`a run of ${pipelineName} to end`, async () => {
      const runs = await executionsSince(pipelineName, since);
      const run =
        arn === undefined
          ? runs[0]
          : runs.find((candidate) => candidate.PipelineExecutionArn === arn);
      return run?.PipelineExecutionStatus === 'Executing' ? undefined : run;
    });
  }

  async function stepsOf(executionArn: string): Promise<PipelineExecutionStep[]> {
    const output = await sageMaker.send(
      new ListPipelineExecutionStepsCommand({ PipelineExecutionArn: executionArn }),
    );
    return output.PipelineExecutionSteps ?? [];
  }

  async function deliveries(): Promise<Delivery[]> {
    const response = await fetch(`${endpoints.control}/deliveries`);
    return (await response.json()) as Delivery[];
  }

  /** The function a rule target leads to: the target itself, or the consumer of a target queue. */
  function functionBehind(targetArn: string): string | undefined {
    if (targetArn.includes(':lambda:')) return targetArn;
    return wiring.queueEventSources.find((source) => source.queueArn === targetArn)?.functionName;
  }

  /**
   * The functions that received the events naming `resource` (an ARN in the event's resources),
   * directly or through a queue, once each has run, retries included. Empty when no rule sends
   * such events to a function.
   */
  async function functionsThatReacted(resource: string): Promise<string[]> {
    const toFunctions = (all: Delivery[]) =>
      all.filter(
        (delivery) =>
          functionBehind(delivery.targetArn) !== undefined &&
          delivery.event.resources.includes(resource),
      );
    const settled = await waitFor(
      `the functions that received the events of ${resource}`,
      async () => {
        const matching = toFunctions(await deliveries());
        return matching.some((delivery) => delivery.status === 'delivering') ? undefined : matching;
      },
    );
    return [
      ...new Set(
        settled.map((delivery) => functionBehind(delivery.targetArn)?.split(':').pop() ?? ''),
      ),
    ];
  }

  async function emailsSince(
    since: Date,
    mentioning: (message: InboxMessage) => boolean,
  ): Promise<InboxMessage[]> {
    return (await readInbox(endpoints.inbox)).filter(
      (message) =>
        new Date(message.date) >= new Date(since.getTime() - 1000) && mentioning(message),
    );
  }

  function describeEmails(messages: InboxMessage[]): string {
    const subjects = [...new Set(messages.map((message) => `"${message.subject}"`))];
    const recipients = [
      ...new Set(messages.flatMap((message) => message.to.map((to) => to.address))),
    ];
    return `${subjects.join(', ')} to ${recipients.join(', ')}`;
  }

  /** An e-mail step: done when a function that received the events sent a matching e-mail. */
  async function emailStep(
    step: string,
    resource: string,
    since: Date,
    mentioning: (message: InboxMessage) => boolean,
    what: string,
    record: RecordEntry,
  ): Promise<void> {
    const reacted = await functionsThatReacted(resource);
    if (reacted.length === 0) {
      record({ step, status: 'not yet built', detail: `no rule sends these events to a function` });
      return;
    }
    const messages = await emailsSince(since, mentioning);
    record(
      messages.length > 0
        ? { step, status: 'done', detail: describeEmails(messages) }
        : {
            step,
            status: 'not yet built',
            detail: `${reacted.join(', ')} ran but sent no e-mail ${what}`,
          },
    );
  }

  /** Why a retrain was held back, from the e-mail that says so, if one was sent since `since`. */
  async function heldBackRetrain(since: Date): Promise<string | undefined> {
    const [email] = await emailsSince(since, (message) =>
      message.subject.includes('retraining held back'),
    );
    return email === undefined ? undefined : heldBackSection(email.text);
  }

  /**
   * Labels for the day the demo scored, dropped where the ground-truth route claims them: the
   * route starts the quality run of that day's input, as it would for a team's labels.
   */
  async function violationRun(attempt: number) {
    const since = new Date();
    const groundTruthUrl = await drop(
      `data/ground-truth/${day}/store-42-${runId}-${attempt}.csv`,
      GROUND_TRUTH,
    );
    const run = await finishedRun(pipeline('batch-inference'), since);
    const arn = run.PipelineExecutionArn ?? '';
    const failedStep = (await stepsOf(arn)).find(
      (step) => step.StepName === MODEL_QUALITY_VIOLATION_STEP_NAME,
    );
    return { arn, run, failedStep, since, groundTruthUrl };
  }

  return {
    async trainingRun(record: RecordEntry): Promise<PipelineExecutionSummary> {
      const since = new Date();
      const folder = `data/training/${day}-${runId}/`;
      const parts = [
        await drop(`${folder}part-00000.csv`, TRAINING_PART),
        await drop(`${folder}part-00001.csv`, TRAINING_PART),
      ];
      record({
        step: 'training data dropped',
        status: 'done',
        detail: `${parts.length} part files under s3://${bucket}/${folder}`,
      });
      const run = await finishedRun(pipeline('training'), since);
      const runs = await executionsSince(pipeline('training'), since);
      record({
        step: 'training run',
        status:
          run.PipelineExecutionStatus === 'Succeeded' && runs.length === 1 ? 'done' : 'failed',
        detail: `${run.PipelineExecutionDisplayName} ${run.PipelineExecutionStatus}; ${runs.length} run(s) for ${parts.length} part files`,
      });
      // With the feature store on (LOCAL_FEATURE_STORE), the run has its steps too.
      const steps = await stepsOf(run.PipelineExecutionArn ?? '');
      const featureSteps = [INGEST_FEATURES_STEP_NAME, BUILD_TRAINING_SET_STEP_NAME].flatMap(
        (name) => steps.filter((step) => step.StepName === name),
      );
      if (featureSteps.length > 0) {
        record({
          step: 'features kept',
          status: featureSteps.every((step) => step.StepStatus === 'Succeeded') ? 'done' : 'failed',
          detail: featureSteps.map((step) => `${step.StepName} ${step.StepStatus}`).join(', '),
        });
      }
      return run;
    },

    async registeredVersion(training: PipelineExecutionSummary, record: RecordEntry) {
      const newest = await sageMaker.send(
        new ListModelPackagesCommand({
          ModelPackageGroupName: group,
          SortBy: 'CreationTime',
          SortOrder: 'Descending',
          MaxResults: 1,
        }),
      );
      const arn = newest.ModelPackageSummaryList?.[0]?.ModelPackageArn ?? '';
      const modelPackage = await sageMaker.send(
        new DescribeModelPackageCommand({ ModelPackageName: arn }),
      );
      const fromThisRun =
        modelPackage.MetadataProperties?.GeneratedBy === training.PipelineExecutionArn;
      record({
        step: 'model registered',
        status:
          fromThisRun && modelPackage.ModelApprovalStatus === 'PendingManualApproval'
            ? 'done'
            : 'failed',
        detail: `${group} v${modelPackage.ModelPackageVersion}: ${modelPackage.ModelApprovalStatus}${featuresLearnedFrom(modelPackage.CustomerMetadataProperties)}`,
      });
      return {
        arn,
        version: modelPackage.ModelPackageVersion ?? 0,
        registered: modelPackage.CreationTime ?? new Date(),
      };
    },

    async reviewEmail(
      modelPackage: { arn: string; registered: Date },
      record: RecordEntry,
    ): Promise<void> {
      await emailStep(
        'review e-mail',
        modelPackage.arn,
        modelPackage.registered,
        (message) => message.text.includes(modelPackage.arn),
        `naming ${modelPackage.arn}`,
        record,
      );
    },

    async approve(
      modelPackage: { arn: string; version: number },
      record: RecordEntry,
    ): Promise<number> {
      await sageMaker.send(
        new UpdateModelPackageCommand({
          ModelPackageArn: modelPackage.arn,
          ModelApprovalStatus: 'Approved',
          ApprovalDescription: 'Approved by npm run demo: test AUC above the threshold',
        }),
      );
      const approved = await sageMaker.send(
        new DescribeModelPackageCommand({ ModelPackageName: modelPackage.arn }),
      );
      record({
        step: 'approved',
        status: approved.ModelApprovalStatus === 'Approved' ? 'done' : 'failed',
        detail: `UpdateModelPackage: v${modelPackage.version} ${approved.ModelApprovalStatus}`,
      });
      // Whatever reacts to the approval (an e-mail, a scoring run) is done before the story goes on.
      await functionsThatReacted(modelPackage.arn);
      return modelPackage.version;
    },

    async scoringRun(approvedVersion: number, record: RecordEntry): Promise<ScoringRun> {
      const since = new Date();
      // A file that arrives on its own is scored on arrival (the inference-data route); day
      // folders are the daily-scoring schedule's.
      const inputUrl = await drop(
        `data/inference/incoming/${day}-store-42-${runId}.csv`,
        SCORING_INPUT,
      );
      record({ step: 'inference data dropped', status: 'done', detail: inputUrl });
      const run = await finishedRun(pipeline('batch-inference'), since);
      const steps = await stepsOf(run.PipelineExecutionArn ?? '');
      const outputs =
        steps.find((step) => step.Metadata?.Lambda !== undefined)?.Metadata?.Lambda
          ?.OutputParameters ?? [];
      const usedVersion = outputs.find((output) => output.Name === 'ModelPackageVersion')?.Value;
      record({
        step: 'scoring run',
        status:
          run.PipelineExecutionStatus === 'Succeeded' && usedVersion === String(approvedVersion)
            ? 'done'
            : 'failed',
        detail: `${run.PipelineExecutionDisplayName} ${run.PipelineExecutionStatus}, scored with v${usedVersion} (newest approved: v${approvedVersion})`,
      });
      return { arn: run.PipelineExecutionArn ?? '', inputUrl, steps, since };
    },

    async dataQualityViolation(scoring: ScoringRun, record: RecordEntry): Promise<void> {
      const check = scoring.steps.find((step) => step.StepName === INPUT_DATA_QUALITY_STEP_NAME);
      const reportUrl = check?.Metadata?.QualityCheck?.ViolationReport ?? '';
      const [, reportBucket, reportKey] = /^s3:\/\/([^/]+)\/(.+)$/.exec(reportUrl) ?? [];
      const report = await s3.send(new GetObjectCommand({ Bucket: reportBucket, Key: reportKey }));
      const { violations } = JSON.parse((await report.Body?.transformToString()) ?? '{}') as {
        violations: Array<{ feature_name: string; constraint_check_type: string }>;
      };
      record({
        step: 'data-quality violation',
        status: violations.length > 0 ? 'done' : 'failed',
        detail: `${violations.map((violation) => `${violation.feature_name} (${violation.constraint_check_type})`).join(', ')}; report ${reportUrl}`,
      });
      // The e-mail names them as the dataset schema does, when the stack has one.
      const features = violations.map((violation) =>
        featureDisplayName(datasetFeatures, violation.feature_name),
      );
      await emailStep(
        'warning e-mail',
        scoring.arn,
        scoring.since,
        (message) => features.some((feature) => message.text.includes(feature)),
        `naming the violated features (${features.join(', ')})`,
        record,
      );
    },

    async modelQualityViolation(record: RecordEntry) {
      const violation = await violationRun(1);
      const reason = violation.failedStep?.FailureReason ?? '';
      record({
        step: 'model-quality violation',
        status: reason.startsWith(MODEL_QUALITY_VIOLATION_MARKER) ? 'done' : 'failed',
        detail: `${violation.run.PipelineExecutionDisplayName} (ground truth ${violation.groundTruthUrl}, started by the ground-truth route) failed at ${MODEL_QUALITY_VIOLATION_STEP_NAME}: ${reason}`,
      });
      return violation;
    },

    /**
     * A file a team drops in the wrong place: the ledger, asked by the object's URI (its
     * partition), says why nothing started and which route it was probably meant for.
     */
    async ignoredUploadExplained(record: RecordEntry): Promise<void> {
      const table = wiring.tables[0]?.TableName;
      if (table === undefined) {
        record({
          step: 'ignored upload explained',
          status: 'not yet built',
          detail: 'no ledger table in the stack',
        });
        return;
      }
      const uri = await drop(
        `data/inference/incoming/${day}-store-42-${runId}.json`,
        SCORING_INPUT,
      );
      const why = await waitFor(`the ledger's record of ${uri}`, async () => {
        const { Items = [] } = await dynamoDb.send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: 'pk = :uri',
            ExpressionAttributeValues: { ':uri': { S: uri } },
          }),
        );
        return Items[0];
      });
      const closest =
        why.closestRoute?.S === undefined
          ? ''
          : `; closest route ${why.closestRoute.S} wants ${why.closestRouteWants?.S}`;
      record({
        step: 'ignored upload explained',
        status: why.decision?.S === 'upload-ignored' ? 'done' : 'failed',
        detail: `${uri}: ${why.reason?.S}${closest}`,
      });
    },

    async retraining(violation: { arn: string; since: Date }, record: RecordEntry): Promise<void> {
      const reacted = await functionsThatReacted(violation.arn);
      const retrains = await executionsSince(pipeline('training-hpo'), violation.since);
      const heldBack = retrains.length === 0 ? await heldBackRetrain(violation.since) : undefined;
      if (heldBack !== undefined) {
        record({ step: 'training-hpo started', status: 'held back', detail: heldBack });
        record({
          step: 'guard stops a second one',
          status: 'held back',
          detail: 'the guard held back the first one already',
        });
        return;
      }
      if (retrains.length === 0) {
        const who =
          reacted.length === 0
            ? 'no function received its events'
            : `${reacted.join(', ')} received its events: not built yet, or a guard held it back`;
        record({
          step: 'training-hpo started',
          status: 'not yet built',
          detail: `no run of ${pipeline('training-hpo')} after the violation (${who})`,
        });
        record({
          step: 'guard stops a second one',
          status: 'not yet built',
          detail: 'needs the retraining function',
        });
        return;
      }
      record({
        step: 'training-hpo started',
        status: 'done',
        detail: `${retrains[0]?.PipelineExecutionDisplayName} ${retrains[0]?.PipelineExecutionStatus} (the violation's events went to ${reacted.join(', ')})`,
      });
      const second = await violationRun(2);
      await functionsThatReacted(second.arn);
      const after = await executionsSince(pipeline('training-hpo'), violation.since);
      record({
        step: 'guard stops a second one',
        status: after.length === 1 ? 'done' : 'failed',
        detail: `a second violation (${second.run.PipelineExecutionDisplayName}) left ${after.length} run(s) of training-hpo`,
      });
    },
  };
}

/** The dataset schema's feature names the e-mailing functions were packaged with, if any. */
function notificationFeatureNames(wiring: StackWiring): string[] | undefined {
  for (const fn of wiring.functions) {
    const config = fn.environment.NOTIFY_CONFIG;
    if (config === undefined) continue;
    const { datasetFeatures } = JSON.parse(config) as { datasetFeatures?: string[] };
    if (datasetFeatures !== undefined) return datasetFeatures;
  }
  return undefined;
}

/** What a version trained with the feature store recorded about its features, for the timeline. */
function featuresLearnedFrom(metadata: Record<string, string> | undefined): string {
  if (metadata?.featureGroupName === undefined) return '';
  const query =
    metadata.queryExecutionId === undefined
      ? ''
      : `, ${metadata.trainingWindow} by Athena query ${metadata.queryExecutionId}`;
  return `; features from ${metadata.featureGroupName}${query}`;
}

/**
 * What a held-back retrain's e-mail says happens next, as one line: "Nothing for now: retraining
 * was not started because ..., within the 6 h cooldown. A trigger from ... on starts one."
 */
function heldBackSection(text: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.trim() === 'What happens next');
  if (start === -1) return 'the retrain guard held it back (its e-mail says why)';
  const end = lines.findIndex((line, index) => index > start && line.trim() === '');
  return lines
    .slice(start + 1, end === -1 ? undefined : end)
    .map((line) => line.trim())
    .join(' ');
}

interface ScoringRun {
  readonly arn: string;
  readonly inputUrl: string;
  readonly steps: PipelineExecutionStep[];
  readonly since: Date;
}

/**
 * The timeline as the console shows it, one line per entry.
 *
 * @example
 * console.log(formatTimeline(timeline));
 */
export function formatTimeline(timeline: readonly TimelineEntry[]): string {
  const marks = { done: '✓', 'held back': '–', 'not yet built': '–', failed: '✗' } as const;
  const width = Math.max(...timeline.map((entry) => entry.step.length));
  return timeline
    .map((entry, index) => {
      const note = ['held back', 'not yet built'].includes(entry.status) ? `${entry.status}: ` : '';
      return `${String(index + 1).padStart(2)} ${marks[entry.status]} ${entry.step.padEnd(width)}  ${note}${entry.detail}`;
    })
    .join('\n');
}
