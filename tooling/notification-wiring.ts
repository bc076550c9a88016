import type { NotificationsConfig } from '../functions/config/notifications-config';
import {
  MODEL_PACKAGE_DETAIL_TYPE,
  PIPELINE_EXECUTION_DETAIL_TYPE,
  PIPELINE_STEP_DETAIL_TYPE,
} from '../functions/schemas/sagemaker-events';
import type { StackPipelines } from './deployment-config';

/**
 * The document onPipelineStatusChange and onModelPackageStateChange read at cold start
 * (notificationFunctionsConfigSchema): the settings without the recipients, plus names.
 */
export function notificationFunctionsConfig(
  notifications: NotificationsConfig,
  names: { stage: string; pipelines: StackPipelines; modelPackageGroup: string },
): Record<string, unknown> {
  const { executionStatuses, stepNotifications, maxDriftViolations, approval } = notifications;
  return { executionStatuses, stepNotifications, maxDriftViolations, approval, ...names };
}

/**
 * What reaches onPipelineStatusChange: this stack's pipelines only (their ARNs are lower-case in
 * events), and only the statuses that can produce an e-mail, so that the function is not invoked
 * for every step transition of every run.
 */
export function pipelineStatusEventPattern(
  notifications: NotificationsConfig,
  pipelines: StackPipelines,
): Record<string, unknown> {
  const pipelineArn = Object.values(pipelines).map((name) => ({
    suffix: `:pipeline/${name.toLowerCase()}`,
  }));
  const steps = [
    { stepType: ['QualityCheck'], currentStepStatus: ['Succeeded'] },
    ...notifications.stepNotifications.map((wanted) => ({
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
          pipelineArn,
          currentPipelineExecutionStatus: [...notifications.executionStatuses],
        },
      },
      ...steps.map((step) => ({
        'detail-type': [PIPELINE_STEP_DETAIL_TYPE],
        detail: { pipelineArn, ...step },
      })),
    ],
  };
}

/** What reaches onModelPackageStateChange: state changes of this stack's model package group. */
export function modelPackageEventPattern(modelPackageGroup: string): Record<string, unknown> {
  return {
    source: ['aws.sagemaker'],
    'detail-type': [MODEL_PACKAGE_DETAIL_TYPE],
    detail: { ModelPackageGroupName: [modelPackageGroup] },
  };
}
