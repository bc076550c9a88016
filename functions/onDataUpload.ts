import { sendMessages } from './aws/queue-messages';
import { createSageMakerClient } from './aws/sagemaker-client';
import { startPipelineExecution } from './aws/sagemaker-pipelines';
import { createSqsClient } from './aws/sqs-client';
import { dataUploadConfigSchema } from './config/data-upload-config';
import { parseConfigFromEnvironment } from './config/parse-config';
import { readUploadBufferSettings } from './config/upload-buffer-settings';
import { createOnDataUploadHandler } from './handlers/on-data-upload';
import { createObservability } from './observability/powertools';
import { asLambdaHandler } from './runtime/lambda-handler';
import { createLedgerRuntime } from './runtime/ledger-runtime';

// Parsed at cold start: a broken configuration fails every invocation loudly instead of misrouting.
const config = parseConfigFromEnvironment(
  dataUploadConfigSchema,
  process.env,
  'DATA_UPLOAD_CONFIG',
);
const buffer = readUploadBufferSettings(process.env);
const sageMaker = createSageMakerClient(config.sageMaker);
// Hand-back calls run in the last seconds of an invocation: short timeouts, few attempts (a copy
// that cannot be sent leaves its original to SQS's redelivery instead). Built on first use: most
// invocations never hand anything back, and every cold start would pay for it.
let sqs: ReturnType<typeof createSqsClient> | undefined;
const handBackClient = () =>
  (sqs ??= createSqsClient({
    maxAttempts: 3,
    retryMode: 'standard',
    connectionTimeoutMs: 1_000,
    requestTimeoutMs: 2_000,
  }));
const { logger, metrics } = createObservability();
const { decisions } = createLedgerRuntime(process.env, config.sageMaker, { logger, metrics });

export const handler = asLambdaHandler(
  createOnDataUploadHandler({
    config,
    startPipeline: (request, abortSignal) =>
      startPipelineExecution(sageMaker, request, abortSignal),
    sendToBuffer: (messages, abortSignal) =>
      sendMessages(handBackClient(), buffer.bufferUrl, messages, abortSignal),
    sendToDeadLetterQueue: (messages, abortSignal) =>
      sendMessages(handBackClient(), buffer.deadLetterQueueUrl, messages, abortSignal),
    now: () => new Date(),
    decisions,
    logger,
    metrics,
  }),
  { logger, metrics, decisions },
);
