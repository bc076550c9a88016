import * as z from 'zod/mini';
import '../schemas/zod-english-messages';
import { integerSetting } from './command-line-settings';
import { pipelineParameterNameSchema, pipelineParameterValueSchema } from './sagemaker-names';

const retrainPipelineSchema = z.enum(['training', 'training-hpo']);
const parametersSchema = z._default(
  z.record(pipelineParameterNameSchema, pipelineParameterValueSchema),
  {},
);

// SageMaker's MonitoringScheduleName and ProcessingJobName shapes (botocore sagemaker 2017-07-24).
const monitoringScheduleNameSchema = z
  .string()
  .check(
    z.regex(
      /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/,
      'must be a monitoring schedule name: 1-63 letters, digits or inner hyphens',
    ),
  );
const jobNamePrefixSchema = z
  .string()
  .check(
    z.regex(
      /^[a-zA-Z0-9][a-zA-Z0-9-]{0,62}$/,
      'must be the start of a processing job name: 1-63 letters, digits or hyphens',
    ),
  );

/**
 * Which Model Monitor jobs are this team's: none unless named, since the account's other teams
 * run monitors too. A job counts when its schedule is listed (the job event carries
 * `MonitoringScheduleArn`) or its name starts with a listed prefix; its violations report is read
 * only under `reportPrefix` of this stack's data bucket.
 */
const modelMonitorSchema = z.strictObject({
  scheduleNames: z._default(z.array(monitoringScheduleNameSchema), []),
  jobNamePrefixes: z._default(z.array(jobNamePrefixSchema), []),
  reportPrefix: z._default(
    z
      .string()
      .check(
        z.regex(
          /^[^/].{0,1022}\/$/,
          'must be a key prefix that ends with / and does not start with /',
        ),
      ),
    'monitoring/',
  ),
});

export type ModelMonitorConfig = z.infer<typeof modelMonitorSchema>;

export const retrainingConfigSchema = z.strictObject({
  /** No retrain starts within this many hours of the target pipeline's last start. */
  cooldownHours: integerSetting(0, 720, 6),
  /** What a model-quality violation starts: retuning by default. */
  onModelQuality: z._default(retrainPipelineSchema, 'training-hpo'),
  /** Parameters of every retrain run (the training data to use, above all). */
  parameters: parametersSchema,
  /** CloudWatch alarms whose ALARM state starts a retrain. */
  alarms: z._default(
    z.array(
      z.strictObject({
        name: z.string().check(z.minLength(1), z.maxLength(255)),
        pipeline: z._default(retrainPipelineSchema, 'training'),
        parameters: parametersSchema,
      }),
    ),
    [],
  ),
  /** Model Monitor jobs whose violations are e-mailed as drift warnings. */
  modelMonitor: z.prefault(modelMonitorSchema, {}),
});

export type RetrainingConfig = z.infer<typeof retrainingConfigSchema>;
