import * as z from 'zod/mini';
import '../schemas/zod-english-messages';
import { TEMPLATE_PLACEHOLDERS, unknownTemplatePlaceholders } from '../core/email/template';
import { NOTIFICATION_CATEGORIES } from '../core/notification-category';
import { booleanSetting, integerSetting } from './command-line-settings';
import { pipelineParameterValueSchema } from './sagemaker-names';

export const PIPELINE_EXECUTION_STATUSES = [
  'Executing',
  'Stopping',
  'Stopped',
  'Failed',
  'Succeeded',
] as const;
export const STEP_STATUSES = ['Starting', ...PIPELINE_EXECUTION_STATUSES] as const;

const recipientSchema = z.strictObject({
  /** An empty address leaves the recipient out, so a stage can run without one. */
  email: z.union([z.literal(''), z.email()]),
  /** The categories this recipient receives, or `all`. */
  categories: z.union(
    [z.literal('all'), z.array(z.enum(NOTIFICATION_CATEGORIES)).check(z.minLength(1))],
    {
      // zod/mini says only "Invalid input" when no member of a union fits: say what is allowed.
      error: (issue) =>
        `must be all or a list of ${NOTIFICATION_CATEGORIES.join(', ')}, not ${JSON.stringify(issue.input)}`,
    },
  ),
  /** Also receive the CloudWatch alarms (function errors, dead letters). */
  ops: booleanSetting(false),
});

export type Recipient = z.infer<typeof recipientSchema>;

const templateSchema = z.string().check(
  z.minLength(1),
  z.refine((template) => unknownTemplatePlaceholders(template).length === 0, {
    error: (issue) =>
      `unknown placeholder ${unknownTemplatePlaceholders(String(issue.input))
        .map((name) => `{{${name}}}`)
        .join(', ')} (known: ${TEMPLATE_PLACEHOLDERS.join(', ')})`,
  }),
);

/** An e-mail for a (pipeline, step, status) combination the team asked for. */
const stepNotificationSchema = z.strictObject({
  /** A pipeline id (training, training-hpo, batch-inference) or `*`. */
  pipeline: z.string().check(z.minLength(1)),
  /** A step name or `*`. */
  step: z.string().check(z.minLength(1)),
  statuses: z.array(z.enum(STEP_STATUSES)).check(z.minLength(1)),
  subject: templateSchema,
  body: templateSchema,
});

export type StepNotification = z.infer<typeof stepNotificationSchema>;

export const notificationsConfigSchema = z.strictObject({
  recipients: z._default(z.array(recipientSchema), []),
  /** Execution statuses that send an e-mail (`Executing` announces every start). */
  executionStatuses: z._default(z.array(z.enum(PIPELINE_EXECUTION_STATUSES)), [
    'Failed',
    'Stopped',
    'Succeeded',
  ]),
  stepNotifications: z._default(z.array(stepNotificationSchema), []),
  /** How many violated constraints a drift warning lists before pointing at the full report. */
  maxDriftViolations: integerSetting(1, 100, 10),
  approval: z.prefault(
    z
      .strictObject({
        /** Start a scoring run when a version is approved. */
        startBatchInference: booleanSetting(false),
        /** The data that scoring run reads (its InputDataUrl). */
        inputDataUrl: z.optional(pipelineParameterValueSchema),
      })
      .check(
        z.refine(
          (approval) => !approval.startBatchInference || approval.inputDataUrl !== undefined,
          {
            message: 'inputDataUrl is required when startBatchInference is true',
            path: ['inputDataUrl'],
          },
        ),
      ),
    {},
  ),
});

export type NotificationsConfig = z.infer<typeof notificationsConfigSchema>;
