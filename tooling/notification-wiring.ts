import {
  type NotificationFunctionsConfig,
  notificationFunctionsConfigSchema,
} from '../functions/config/function-configs';
import type { NotificationsConfig } from '../functions/config/notifications-config';
import {
  MODEL_PACKAGE_DETAIL_TYPE,
  PIPELINE_EXECUTION_DETAIL_TYPE,
  PIPELINE_STEP_DETAIL_TYPE,
} from '../functions/schemas/sagemaker-events';
import {
  MODEL_QUALITY_METRIC,
  MODEL_QUALITY_THRESHOLD_PARAMETER,
} from '../pipeline-definitions/batch-inference-contract';
import { parameterDefault } from '../pipeline-definitions/pipeline-catalog';
import type { StackPipelines } from './deployment-config';
import type { Complete, StackContext } from './function-declaration';
import { datasetFeatures, stackFacts } from './stack-facts';

/**
 * The document onPipelineStatusChange and onModelPackageStateChange read at cold start
 * (notificationFunctionsConfigSchema): the settings without the recipients, plus names.
 */
export function notificationFunctionsConfig(
  stack: StackContext,
): Complete<NotificationFunctionsConfig> {
  const { executionStatuses, stepNotifications, maxDriftViolations, approval } =
    stack.deployment.notifications;
  return {
    executionStatuses,
    stepNotifications,
    maxDriftViolations,
    approval,
    qualityGate: scoringQualityGate(),
    ...stackFacts(stack),
    datasetFeatures: datasetFeatures(stack),
  };
}

/**
 * What onPipelineStatusChange and onModelPackageStateChange share: one configuration document,
 * the ledger, and e-mails.
 */
export const NOTIFICATION_FUNCTION = {
  configuration: {
    variable: 'NOTIFY_CONFIG',
    schema: notificationFunctionsConfigSchema,
    build: notificationFunctionsConfig,
  },
  recordsDecisions: true,
  sendsEmails: true,
} as const;

/**
 * What scoring's quality check demands unless a run is started with another threshold: the review
 * e-mail says whether a version would pass it. Read from the definition, the one place it is set.
 */
function scoringQualityGate(): { metric: string; threshold: number } {
  const threshold = Number(parameterDefault('batch-inference', MODEL_QUALITY_THRESHOLD_PARAMETER));
  if (!Number.isFinite(threshold)) {
    throw new Error(
      `batch-inference.json declares no numeric default for ${MODEL_QUALITY_THRESHOLD_PARAMETER}`,
    );
  }
  return { metric: MODEL_QUALITY_METRIC, threshold };
}

/**
 * What reaches onPipelineStatusChange: this stack's pipelines only (their ARNs are lower-case in
 * events), and only the statuses and steps that can produce an e-mail, so that the function is not
 * invoked (nor reads SageMaker) for every step transition of every run.
 */
export function pipelineStatusEventPattern(
  notifications: NotificationsConfig,
  pipelines: StackPipelines,
): Record<string, unknown> {
  const arnsOf = (names: readonly string[]) =>
    names.map((name) => ({ suffix: `:pipeline/${name.toLowerCase()}` }));
  const allPipelines = arnsOf(Object.values(pipelines));
  const steps = [
    // Only scoring checks the input against a baseline; the training pipelines' checks compute a
    // new baseline with the check skipped, and never report violations.
    {
      pipelineArn: arnsOf([pipelines['batch-inference']]),
      stepType: ['QualityCheck'],
      currentStepStatus: ['Succeeded'],
    },
    ...notifications.stepNotifications.map((wanted) => ({
      pipelineArn:
        wanted.pipeline === '*'
          ? allPipelines
          : arnsOf([pipelines[wanted.pipeline as keyof StackPipelines]]),
      ...(wanted.step === '*' ? {} : { stepName: [wanted.step] }),
      currentStepStatus: [...wanted.statuses],
    })),
  ];
  return {
    source: ['aws.sagemaker'],
    $or: [
      {
        'detail-type': [PIPELINE_EXECUTION_DETAIL_TYPE],
        detail: {
          pipelineArn: allPipelines,
          currentPipelineExecutionStatus: [...notifications.executionStatuses],
        },
      },
      ...steps.map((step) => ({ 'detail-type': [PIPELINE_STEP_DETAIL_TYPE], detail: step })),
    ],
  };
}

/**
 * What reaches onModelPackageStateChange: new versions of this stack's model package group (no
 * `UpdatedModelPackageFields`) and updates that changed an approval status; updates of other
 * fields (lifecycle stage, metadata) do not invoke it.
 */
export function modelPackageEventPattern(modelPackageGroup: string): Record<string, unknown> {
  return {
    source: ['aws.sagemaker'],
    'detail-type': [MODEL_PACKAGE_DETAIL_TYPE],
    detail: {
      ModelPackageGroupName: [modelPackageGroup],
      $or: [
        { UpdatedModelPackageFields: [{ exists: false }] },
        { UpdatedModelPackageFields: ['ModelApprovalStatus'] },
      ],
    },
  };
}
