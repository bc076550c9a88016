import * as z from 'zod/mini';
import '../schemas/zod-english-messages';
import { notificationsConfigSchema } from './notifications-config';
import { pipelineNameSchema } from './sagemaker-names';

/**
 * What onPipelineStatusChange and onModelPackageStateChange read at cold start: the notification
 * settings (recipients excepted: SNS subscriptions route by attribute, functions never see them)
 * and the names of this stack's pipelines and model package group.
 */
export const notificationFunctionsConfigSchema = z.extend(
  z.omit(notificationsConfigSchema, { recipients: true }),
  {
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
        maxAttempts: z._default(z.number(), 5),
        retryMode: z._default(z.enum(['standard', 'adaptive']), 'adaptive'),
      }),
      {},
    ),
  },
);

export type NotificationFunctionsConfig = z.infer<typeof notificationFunctionsConfigSchema>;
