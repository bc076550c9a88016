import { createSageMakerClient } from './aws/sagemaker-client';
import { startPipelineExecution } from './aws/sagemaker-pipelines';
import { dataUploadConfigSchema } from './config/data-upload-config';
import { parseConfigFromEnvironment } from './config/parse-config';
import { createDataUploadHandler } from './handlers/data-upload';
import { createObservability } from './observability/powertools';
import { asLambdaHandler } from './runtime/lambda-handler';

// Parsed at cold start: a broken configuration fails every invocation loudly instead of misrouting.
const config = parseConfigFromEnvironment(
  dataUploadConfigSchema,
  process.env,
  'DATA_UPLOAD_CONFIG',
);
const sageMaker = createSageMakerClient(config.sageMaker);
const { logger, metrics } = createObservability();

export const handler = asLambdaHandler(
  createDataUploadHandler({
    config,
    startPipeline: (request) => startPipelineExecution(sageMaker, request),
    logger,
    metrics,
  }),
  { logger, metrics },
);
