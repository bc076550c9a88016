import { createSageMakerClient } from './aws/sagemaker-client';
import { startPipelineExecution } from './aws/sagemaker-pipelines';
import { dataUploadConfigSchema } from './config/data-upload-config';
import { parseConfigFromEnvironment } from './config/parse-config';
import { createDataUploadHandler } from './handlers/data-upload';
import { createObservability } from './observability/powertools';
import { asLambdaHandler } from './runtime/lambda-handler';
import { createLedgerRuntime } from './runtime/ledger-runtime';

// Parsed at cold start: a broken configuration fails every invocation loudly instead of misrouting.
const config = parseConfigFromEnvironment(
  dataUploadConfigSchema,
  process.env,
  'DATA_UPLOAD_CONFIG',
);
const sageMaker = createSageMakerClient(config.sageMaker);
const { logger, metrics } = createObservability();
const { decisions } = createLedgerRuntime(process.env, config.sageMaker, { logger, metrics });

export const handler = asLambdaHandler(
  createDataUploadHandler({
    config,
    startPipeline: (request) => startPipelineExecution(sageMaker, request),
    decisions,
    logger,
    metrics,
  }),
  { logger, metrics, decisions },
);
