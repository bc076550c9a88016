import * as z from 'zod/mini';
import '../schemas/zod-english-messages';
import { integerSetting } from './command-line-settings';
import { featureNameSchema } from './dataset-schema';
import { notificationsConfigSchema } from './notifications-config';
import { retrainingConfigSchema } from './retraining-config';
import { schedulesConfigSchema } from './schedules-config';
import { bucketNameSchema, pipelineNameSchema } from './sagemaker-names';

/** The SDK's retries in the functions that e-mail (onDataUpload has settings of its own). */
export const STACK_SAGEMAKER_SETTINGS = { maxAttempts: 5, retryMode: 'adaptive' } as const;

/** What every function that e-mails or starts stack pipelines knows of the stack it runs in. */
const stackShape = {
  /** Shown in every subject, so dev and prod e-mails never look alike. */
  stage: z
    .string()
    .check(z.regex(/^[a-zA-Z0-9-]{1,20}$/, 'must be 1-20 letters, digits or hyphens')),
  pipelines: z.strictObject({
    training: pipelineNameSchema,
    'training-hpo': pipelineNameSchema,
    'batch-inference': pipelineNameSchema,
  }),
  modelPackageGroup: z
    .string()
    .check(z.regex(/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/, 'must be a model package group name')),
  sageMaker: z.prefault(
    z.strictObject({
      maxAttempts: integerSetting(1, 20, STACK_SAGEMAKER_SETTINGS.maxAttempts),
      retryMode: z._default(z.enum(['standard', 'adaptive']), STACK_SAGEMAKER_SETTINGS.retryMode),
    }),
    {},
  ),
};

/**
 * The dataset schema's feature names in column order (custom.mlops.dataset), for e-mails that
 * name features: only the names, so that wide datasets still fit the function's environment.
 */
const datasetFeaturesShape = {
  datasetFeatures: z.optional(z.array(featureNameSchema)),
};

/**
 * What onPipelineStatusChange and onModelPackageStateChange read at cold start: the notification
 * settings (recipients excepted: SNS subscriptions route by attribute, functions never see them)
 * and the names of this stack's pipelines and model package group.
 */
export const notificationFunctionsConfigSchema = z.extend(
  z.omit(notificationsConfigSchema, { recipients: true }),
  {
    ...stackShape,
    ...datasetFeaturesShape,
    /** Scoring's quality check (from batch-inference.json): review e-mails compare against it. */
    qualityGate: z.strictObject({
      metric: z.string().check(z.minLength(1)),
      threshold: z.number(),
    }),
  },
);

export type NotificationFunctionsConfig = z.infer<typeof notificationFunctionsConfigSchema>;

/**
 * What onMonitoringViolation reads at cold start: the retraining settings, the stack, and its data
 * bucket (Model Monitor reports are read there only).
 */
export const monitoringFunctionConfigSchema = z.extend(retrainingConfigSchema, {
  ...stackShape,
  ...datasetFeaturesShape,
  maxDriftViolations: integerSetting(1, 100, 10),
  dataBucket: bucketNameSchema,
});

export type MonitoringFunctionConfig = z.infer<typeof monitoringFunctionConfigSchema>;

/** What onSchedule reads at cold start: the schedules and the stack. */
export const scheduleFunctionConfigSchema = z.strictObject({
  ...stackShape,
  schedules: schedulesConfigSchema,
  /**
   * Schedules' rules are named `<prefix><schedule name>`; the prefix is `<service>-<stage>-`. A
   * rule name has at most 64 characters: packaging checks each whole name against that limit.
   */
  ruleNamePrefix: z.string().check(z.minLength(1), z.maxLength(63)),
});

export type ScheduleFunctionConfig = z.infer<typeof scheduleFunctionConfigSchema>;
