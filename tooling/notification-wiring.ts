import type { NotificationsConfig } from '../functions/config/notifications-config';
import type { RetrainingConfig } from '../functions/config/retraining-config';
import { ALARM_DETAIL_TYPE } from '../functions/schemas/cloudwatch-alarm-event';
import { MODEL_QUALITY_VIOLATION_STEP_NAME } from '../pipeline-definitions/model-quality-violation';
import {
  MODEL_PACKAGE_DETAIL_TYPE,
  PIPELINE_EXECUTION_DETAIL_TYPE,
  PIPELINE_STEP_DETAIL_TYPE,
  PROCESSING_JOB_DETAIL_TYPE,
} from '../functions/schemas/sagemaker-events';
import type { StackPipelines } from './deployment-config';

/** What the e-mailing functions know of the stack, and the dataset's feature names if configured. */
interface StackNames {
  readonly stage: string;
  readonly pipelines: StackPipelines;
  readonly modelPackageGroup: string;
  readonly datasetFeatures?: readonly string[];
}

/**
 * The document onPipelineStatusChange and onModelPackageStateChange read at cold start
 * (notificationFunctionsConfigSchema): the settings without the recipients, plus names.
 */
export function notificationFunctionsConfig(
  notifications: NotificationsConfig,
  names: StackNames,
): Record<string, unknown> {
  const { executionStatuses, stepNotifications, maxDriftViolations, approval } = notifications;
  return { executionStatuses, stepNotifications, maxDriftViolations, approval, ...names };
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

/** What onMonitoringViolation reads at cold start (monitoringFunctionConfigSchema). */
export function monitoringFunctionConfig(
  retraining: RetrainingConfig,
  notifications: NotificationsConfig,
  names: StackNames,
): Record<string, unknown> {
  return { ...retraining, maxDriftViolations: notifications.maxDriftViolations, ...names };
}

/**
 * What reaches onMonitoringViolation: the model-quality marker of this stack's scoring runs (the
 * Fail step's own status event, which carries the marker: the run's event does not, and taking
 * both would e-mail a held-back retrain twice), configured drift alarms entering ALARM, and Model
 * Monitor jobs (not the pipelines' own checks, which onPipelineStatusChange reports) that
 * completed with violations.
 */
export function monitoringEventPattern(
  retraining: RetrainingConfig,
  pipelines: StackPipelines,
): Record<string, unknown> {
  const pipelineArn = [{ suffix: `:pipeline/${pipelines['batch-inference'].toLowerCase()}` }];
  const alarmNames = retraining.alarms.map((alarm) => alarm.name);
  return {
    $or: [
      {
        source: ['aws.sagemaker'],
        'detail-type': [PIPELINE_STEP_DETAIL_TYPE],
        detail: {
          pipelineArn,
          // Not on failureReason: the Fail step's message is documented in its metadata only,
          // so the function reads it from the run when the event lacks it.
          stepName: [MODEL_QUALITY_VIOLATION_STEP_NAME],
          currentStepStatus: ['Failed'],
        },
      },
      {
        source: ['aws.sagemaker'],
        'detail-type': [PROCESSING_JOB_DETAIL_TYPE],
        detail: {
          ProcessingJobStatus: ['Completed'],
          ExitMessage: [{ prefix: 'CompletedWithViolations' }],
          ProcessingJobName: [{ 'anything-but': { prefix: 'pipelines-' } }],
        },
      },
      ...(alarmNames.length === 0
        ? []
        : [
            {
              source: ['aws.cloudwatch'],
              'detail-type': [ALARM_DETAIL_TYPE],
              detail: { alarmName: alarmNames, state: { value: ['ALARM'] } },
            },
          ]),
    ],
  };
}
