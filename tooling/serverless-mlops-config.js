// Serverless plugin: validates `custom.mlops` with the same schemas the functions use at cold start
// (and across sections: routes against the pipeline definitions), then derives from that one
// configuration what serverless.yml needs, as `${mlops:...}` variables. It also adds an alarm for
// every function and dead-letter queue, and uploads the pipelines' step scripts on deploy.
require('./register-ts');
const { parseDeploymentConfig, recipientSubscriptions } = require('./deployment-config.ts');
const { InvalidDeploymentConfigError } = require('./configuration-problems.ts');
const { describeProblemsWithParameters } = require('./configuration-parameters.ts');
const {
  dataUploadEventPattern,
  dataUploadPipelineArns,
  pipelineArns,
} = require('./data-upload-wiring.ts');
const { readDefinitionTemplate } = require('../pipeline-definitions/pipeline-catalog.ts');
const { sageMakerImageUri } = require('../pipeline-definitions/sagemaker-image-uris.ts');
const { operationalAlarms } = require('./operational-alarms.ts');
const { scheduleFunctionConfig, scheduleRuleResources } = require('./schedule-wiring.ts');
const {
  modelPackageEventPattern,
  monitoringEventPattern,
  monitoringFunctionConfig,
  notificationFunctionsConfig,
  pipelineStatusEventPattern,
} = require('./notification-wiring.ts');
const { pipelineCodeObjects } = require('./pipeline-code-upload.ts');

// Lambda caps all environment variables of a function at 4 KB together.
const ENVIRONMENT_DOCUMENT_MAX_BYTES = 3500;

const VARIABLES = {
  'dataUpload.configJson': ({ deployment }) =>
    environmentDocument(deployment.dataUpload, 'custom.mlops.dataUpload'),
  'dataUpload.eventPattern': ({ deployment }) => dataUploadEventPattern(deployment.dataUpload),
  'dataUpload.pipelineArns': ({ deployment }) => dataUploadPipelineArns(deployment.dataUpload),
  'notifications.resources': ({ deployment }) => ({
    Resources: recipientSubscriptions(deployment.notifications),
  }),
  'notifications.functionConfigJson': ({ deployment, stage, modelPackageGroup }) =>
    environmentDocument(
      notificationFunctionsConfig(deployment.notifications, {
        stage,
        pipelines: deployment.pipelines,
        modelPackageGroup,
      }),
      'custom.mlops.notifications',
    ),
  'notifications.pipelineStatusPattern': ({ deployment }) =>
    pipelineStatusEventPattern(deployment.notifications, deployment.pipelines),
  'notifications.modelPackagePattern': ({ modelPackageGroup }) =>
    modelPackageEventPattern(modelPackageGroup),
  'retraining.functionConfigJson': ({ deployment, stage, modelPackageGroup }) =>
    environmentDocument(
      monitoringFunctionConfig(deployment.retraining, deployment.notifications, {
        stage,
        pipelines: deployment.pipelines,
        modelPackageGroup,
      }),
      'custom.mlops.retraining',
    ),
  'retraining.eventPattern': ({ deployment }) =>
    monitoringEventPattern(deployment.retraining, deployment.pipelines),
  'schedules.functionConfigJson': ({ deployment, stage, modelPackageGroup, ruleNamePrefix }) =>
    environmentDocument(
      scheduleFunctionConfig(deployment.schedules, {
        stage,
        pipelines: deployment.pipelines,
        modelPackageGroup,
        ruleNamePrefix,
      }),
      'custom.mlops.schedules',
    ),
  'schedules.resources': ({ deployment, ruleNamePrefix }) => ({
    Resources: scheduleRuleResources(deployment.schedules, ruleNamePrefix),
  }),
  'pipelines.scheduledArns': ({ deployment }) => pipelineArns(Object.values(deployment.pipelines)),
  'pipelines.retrainArns': ({ deployment }) =>
    pipelineArns([deployment.pipelines.training, deployment.pipelines['training-hpo']]),
  'pipelines.executionArns': ({ deployment }) =>
    pipelineArns(Object.values(deployment.pipelines), '/execution/*'),
  'pipelines.batchInferenceArns': ({ deployment }) =>
    pipelineArns([deployment.pipelines['batch-inference']]),
  'pipelines.batchInferenceExecutionArns': ({ deployment }) =>
    pipelineArns([deployment.pipelines['batch-inference']], '/execution/*'),
  'pipelines.training.template': () => readDefinitionTemplate('training'),
  'pipelines.trainingHpo.template': () => readDefinitionTemplate('training-hpo'),
  'pipelines.batchInference.template': () => readDefinitionTemplate('batch-inference'),
  'images.xgboost': ({ region }) => sageMakerImageUri('xgboost', region),
  'images.sklearn': ({ region }) => sageMakerImageUri('sklearn', region),
  'images.modelMonitor': ({ region }) => sageMakerImageUri('model-monitor', region),
};

function environmentDocument(config, source) {
  const json = JSON.stringify(config);
  if (Buffer.byteLength(json) > ENVIRONMENT_DOCUMENT_MAX_BYTES) {
    throw new Error(
      `${source} is ${Buffer.byteLength(json)} bytes as JSON; a Lambda environment holds at most ${ENVIRONMENT_DOCUMENT_MAX_BYTES} (fewer routes or shorter names)`,
    );
  }
  return json;
}

async function resolveContext(resolveVariable, written, ServerlessError) {
  const [mlops, pipelines, region, stage, service, modelPackageGroup] = await Promise.all(
    [
      'self:custom.mlops',
      'self:custom.pipelines',
      'self:provider.region',
      'sls:stage',
      'self:service',
      'self:custom.modelPackageGroup',
    ].map((address) => resolveVariable(address)),
  );
  return {
    deployment: parseOrExplain(mlops, pipelines, { ...written, stage }, ServerlessError),
    region,
    stage,
    modelPackageGroup,
    ruleNamePrefix: `${service}-${stage}-`,
  };
}

function parseOrExplain(mlops, pipelines, parameterSources, ServerlessError) {
  try {
    return parseDeploymentConfig(mlops, pipelines);
  } catch (error) {
    if (!(error instanceof InvalidDeploymentConfigError)) throw error;
    // Serverless lists a variable's error as it is when its message starts "Cannot resolve
    // variable at", and the same error object once: every variable awaiting this configuration
    // gets this one object, so the problems appear once, not once per variable. Each problem is
    // said under the parameter the user typed, where its value came from one.
    throw new ServerlessError(
      `Cannot resolve variable at "custom.mlops": ${describeProblemsWithParameters(error.problems, mlops, parameterSources)}`,
      'MLOPS_INVALID_CONFIGURATION',
    );
  }
}

/** What serverless.yml and the command line say before Serverless resolves any variable. */
function writtenConfiguration(serverless, options) {
  const input = serverless.configurationInput ?? {};
  const given = options.param ?? [];
  return {
    writtenMlops: structuredClone(input.custom?.mlops),
    writtenParams: structuredClone(input.params),
    commandLine: Array.isArray(given) ? given : [given],
  };
}

class MlopsConfigPlugin {
  constructor(serverless, options, { log }) {
    const ServerlessError = serverless.classes.Error;
    this.hooks = {
      'after:aws:package:finalize:mergeCustomProviderResources': () => {
        const template = serverless.service.provider.compiledCloudFormationTemplate;
        Object.assign(template.Resources, operationalAlarms(template.Resources, 'OpsAlarmsTopic'));
      },
      'after:deploy:deploy': async () => {
        const bucket = serverless.service.custom.dataBucket;
        const provider = serverless.getProvider('aws');
        for (const object of pipelineCodeObjects(bucket)) {
          await provider.request('S3', 'putObject', object);
          log.info(`Uploaded s3://${object.Bucket}/${object.Key}`);
        }
      },
    };
    // Some twenty variables derive from one configuration: validate it once per run. What is
    // written is read here, before Serverless resolves variables, to name the `--param` a bad
    // value came from.
    const written = writtenConfiguration(serverless, options);
    let context;
    const contextOf = (resolveVariable) => {
      context ??= resolveContext(resolveVariable, written, ServerlessError);
      return context;
    };
    this.configurationVariablesSources = {
      mlops: {
        async resolve({ address, resolveVariable }) {
          const derive = VARIABLES[address];
          if (derive === undefined) {
            throw new ServerlessError(
              `Unknown variable \${mlops:${address}}`,
              'MLOPS_UNKNOWN_VARIABLE',
            );
          }
          const resolved = await contextOf(resolveVariable);
          try {
            return { value: derive(resolved) };
          } catch (error) {
            throw new ServerlessError(error.message, 'MLOPS_INVALID_CONFIGURATION');
          }
        },
      },
    };
  }
}

module.exports = MlopsConfigPlugin;
