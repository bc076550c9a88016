// Serverless plugin: validates `custom.mlops` with the same schemas the functions use at cold start
// (and across sections: routes against the pipeline definitions), then derives from that one
// configuration what serverless.yml needs, as `${mlops:...}` variables. It also adds an alarm for
// every function and dead-letter queue, and uploads the pipelines' step scripts on deploy.
require('./register-ts');
const { parseDeploymentConfig, recipientSubscriptions } = require('./deployment-config.ts');
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
const { ledgerFunctionConfig, parseLedgerSettings } = require('./ledger-wiring.ts');

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
  'pipelines.trainingExecutionArns': ({ deployment }) =>
    pipelineArns(
      [deployment.pipelines.training, deployment.pipelines['training-hpo']],
      '/execution/*',
    ),
  'pipelines.batchInferenceExecutionArns': ({ deployment }) =>
    pipelineArns([deployment.pipelines['batch-inference']], '/execution/*'),
  'pipelines.training.template': () => readDefinitionTemplate('training'),
  'pipelines.trainingHpo.template': () => readDefinitionTemplate('training-hpo'),
  'pipelines.batchInference.template': () => readDefinitionTemplate('batch-inference'),
  'ledger.configJson': ({ ledger, stage }) => ledgerFunctionConfig(ledger, stage),
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

async function resolveContext(resolveVariable) {
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
    deployment: parseDeploymentConfig(mlops, pipelines),
    ledger: parseLedgerSettings(mlops.ledger),
    region,
    stage,
    modelPackageGroup,
    ruleNamePrefix: `${service}-${stage}-`,
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
    // Some twenty variables derive from one configuration: validate it once per run.
    let context;
    const contextOf = (resolveVariable) => {
      context ??= resolveContext(resolveVariable);
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
          try {
            return { value: derive(await contextOf(resolveVariable)) };
          } catch (error) {
            throw new ServerlessError(error.message, 'MLOPS_INVALID_CONFIGURATION');
          }
        },
      },
    };
  }
}

module.exports = MlopsConfigPlugin;
