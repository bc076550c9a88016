import { dataUploadConfigSchema } from '../../functions/config/data-upload-config';
import { dataUploadEventPattern, dataUploadPipelineArns } from '../data-upload-wiring';
import { declareFunction } from '../function-declaration';

// The buffer and its dead-letter queue: tooling/resources/queues.yml says why there are two.
const BUFFER = 'DataUploadBuffer';
const DEAD_LETTER_QUEUE = 'DataUploadDeadLetterQueue';

export const onDataUpload = declareFunction({
  name: 'onDataUpload',
  description: 'Starts the SageMaker pipeline that a route assigns to each created S3 object',
  trigger: ({ deployment }) => ({
    kind: 'queue',
    queue: BUFFER,
    queueDeadLetterQueue: DEAD_LETTER_QUEUE,
    queuePolicy: 'DataUploadQueuesPolicy',
    batchSize: deployment.uploadBuffer.batchSize,
    batchWindowSeconds: deployment.uploadBuffer.batchWindowSeconds,
    deadLetterQueue: DEAD_LETTER_QUEUE,
    rules: [
      {
        id: 'DataUploadRule',
        name: 'data-upload',
        description:
          'S3 Object Created events of the configured buckets and prefixes, to the upload buffer',
        match: { kind: 'pattern', pattern: dataUploadEventPattern(deployment.dataUpload) },
        targetId: 'data-upload-buffer',
      },
    ],
  }),
  configuration: {
    variable: 'DATA_UPLOAD_CONFIG',
    schema: dataUploadConfigSchema,
    build: ({ deployment }) => deployment.dataUpload,
  },
  recordsDecisions: true,
  sendsEmails: false,
  permissions: ({ deployment }) => [
    {
      Sid: 'StartRoutedPipelines',
      Action: 'sagemaker:StartPipelineExecution',
      Resource: dataUploadPipelineArns(deployment.dataUpload),
    },
    {
      Sid: 'HandBackUploadNotifications',
      Action: 'sqs:SendMessage',
      Resource: [BUFFER, DEAD_LETTER_QUEUE].map((id) => ({ 'Fn::GetAtt': [id, 'Arn'] })),
    },
  ],
  // Where unstarted notifications go back to (a quota refusal, the deadline) and where those that
  // can never succeed go at once.
  environment: {
    UPLOAD_BUFFER_URL: { Ref: BUFFER },
    UPLOAD_DEAD_LETTER_QUEUE_URL: { Ref: DEAD_LETTER_QUEUE },
  },
});
