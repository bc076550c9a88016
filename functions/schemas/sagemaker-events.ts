import * as z from 'zod/mini';
import './zod-english-messages';
import { awsNamePattern, identifierString, s3UriString } from './text-fields';
import { InvalidEventError } from '../errors';
import { eventLabel } from './parse-event';

// EventBridge events SageMaker emits, narrowed to the fields we read (AWS documents them in
// "Automating Amazon SageMaker with Amazon EventBridge"). Pipeline ARNs in them are lower-case.

const eventBridgeEnvelope = {
  id: z.string().check(z.minLength(1)),
  source: z.literal('aws.sagemaker'),
  time: z.iso.datetime(),
  region: z.string().check(z.minLength(1)),
};

// The ARNs are read back from SageMaker and compared with ours: their parts are held to the API's
// name patterns (pipeline names of 1-256, execution ids of letters and digits), which also keeps
// text that is not valid Unicode out.
const PIPELINE_ARN = `arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:\\d{12}:pipeline/${awsNamePattern(256)}`;
const pipelineArn = z
  .string()
  .check(z.regex(new RegExp(`^${PIPELINE_ARN}$`), 'must be a pipeline ARN'));
const executionArn = z
  .string()
  .check(
    z.regex(
      new RegExp(`^${PIPELINE_ARN}/execution/[a-zA-Z0-9]{1,64}$`),
      'must be a pipeline execution ARN',
    ),
  );

export const PIPELINE_EXECUTION_DETAIL_TYPE =
  'SageMaker Model Building Pipeline Execution Status Change';
export const PIPELINE_STEP_DETAIL_TYPE =
  'SageMaker Model Building Pipeline Execution Step Status Change';
export const MODEL_PACKAGE_DETAIL_TYPE = 'SageMaker Model Package State Change';

export const pipelineExecutionStatusChangeSchema = z.object({
  ...eventBridgeEnvelope,
  'detail-type': z.literal(PIPELINE_EXECUTION_DETAIL_TYPE),
  detail: z.object({
    pipelineArn,
    pipelineExecutionArn: executionArn,
    currentPipelineExecutionStatus: z.string().check(z.minLength(1)),
    previousPipelineExecutionStatus: z.optional(z.string()),
    executionStartTime: z.optional(z.iso.datetime()),
    executionEndTime: z.optional(z.iso.datetime()),
    pipelineExecutionDisplayName: z.optional(z.string()),
    pipelineExecutionDescription: z.optional(z.string()),
  }),
});

export type PipelineExecutionStatusChange = z.infer<typeof pipelineExecutionStatusChangeSchema>;

export const pipelineStepStatusChangeSchema = z.object({
  ...eventBridgeEnvelope,
  'detail-type': z.literal(PIPELINE_STEP_DETAIL_TYPE),
  detail: z.object({
    pipelineArn,
    pipelineExecutionArn: executionArn,
    stepName: identifierString().check(z.minLength(1), z.maxLength(256)),
    stepType: z.optional(z.string()),
    currentStepStatus: z.string().check(z.minLength(1)),
    previousStepStatus: z.optional(z.string()),
    stepStartTime: z.optional(z.iso.datetime()),
    stepEndTime: z.optional(z.iso.datetime()),
    failureReason: z.optional(z.string()),
  }),
});

export type PipelineStepStatusChange = z.infer<typeof pipelineStepStatusChangeSchema>;

export const modelPackageStateChangeSchema = z.object({
  ...eventBridgeEnvelope,
  'detail-type': z.literal(MODEL_PACKAGE_DETAIL_TYPE),
  detail: z.object({
    ModelPackageGroupName: z
      .string()
      .check(z.regex(new RegExp(`^${awsNamePattern(63)}$`), 'must be a model package group name')),
    ModelPackageArn: z
      .string()
      .check(
        z.regex(
          new RegExp(
            `^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:\\d{12}:model-package/${awsNamePattern(63)}/\\d{1,10}$`,
          ),
          'must be the ARN of a versioned model package',
        ),
      ),
    ModelPackageVersion: z.optional(z.number()),
    ModelApprovalStatus: z.enum(['Approved', 'Rejected', 'PendingManualApproval']),
    ModelPackageStatus: z.optional(z.string()),
    ApprovalDescription: z.optional(z.string()),
    /** On updates: the fields the update changed (absent when a version is created). */
    UpdatedModelPackageFields: z.optional(z.array(z.string())),
  }),
});

export type ModelPackageStateChange = z.infer<typeof modelPackageStateChangeSchema>;

export const PROCESSING_JOB_DETAIL_TYPE = 'SageMaker Processing Job State Change';

export const processingJobStateChangeSchema = z.object({
  ...eventBridgeEnvelope,
  'detail-type': z.literal(PROCESSING_JOB_DETAIL_TYPE),
  detail: z.object({
    ProcessingJobName: z
      .string()
      .check(z.regex(new RegExp(`^${awsNamePattern(63)}$`), 'must be a processing job name')),
    ProcessingJobStatus: z.string(),
    ExitMessage: z.optional(z.string()),
    /** Set on jobs a Model Monitor schedule started (DescribeProcessingJob's field of that name). */
    MonitoringScheduleArn: z.optional(z.string()),
    ProcessingOutputConfig: z.optional(
      z.object({
        Outputs: z.array(
          z.object({
            OutputName: z.optional(z.string()),
            S3Output: z.optional(z.object({ S3Uri: s3UriString() })),
          }),
        ),
      }),
    ),
  }),
});

export type ProcessingJobStateChange = z.infer<typeof processingJobStateChangeSchema>;

/**
 * Where a processing job wrote: its first S3 output. A job without one cannot be what the event
 * says it is, so the event is refused with the field named.
 */
export function processingJobS3Output(event: ProcessingJobStateChange): string {
  const output = event.detail.ProcessingOutputConfig?.Outputs.find(
    (candidate) => candidate.S3Output !== undefined,
  )?.S3Output?.S3Uri;
  if (output === undefined) {
    throw new InvalidEventError(
      `${eventLabel(event)}: detail.ProcessingOutputConfig.Outputs has no S3 output`,
    );
  }
  return output;
}
