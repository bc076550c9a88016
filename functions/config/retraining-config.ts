import * as z from 'zod/mini';
import '../schemas/zod-english-messages';
import { integerSetting } from './command-line-settings';
import { pipelineParameterNameSchema, pipelineParameterValueSchema } from './sagemaker-names';

const retrainPipelineSchema = z.enum(['training', 'training-hpo']);
const parametersSchema = z._default(
  z.record(pipelineParameterNameSchema, pipelineParameterValueSchema),
  {},
);

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
});

export type RetrainingConfig = z.infer<typeof retrainingConfigSchema>;
