// Serverless plugin: validates `custom.mlops` with the same schemas the functions use at cold start
// (and across sections: routes against the pipeline definitions), then derives from that one
// configuration and the function declarations (tooling/declarations/) what serverless.yml needs, as
// `${mlops:...}` variables: the functions, their rules, permissions and roles, and the pipelines.
// It also adds an alarm for every function and dead-letter queue, and uploads the pipelines' step
// scripts on deploy.
require('./register-ts');
const { parseDeploymentConfig, recipientSubscriptions } = require('./deployment-config.ts');
const { InvalidDeploymentConfigError } = require('./configuration-problems.ts');
const { describeProblemsWithParameters } = require('./configuration-parameters.ts');
const { readDefinitionTemplate } = require('../pipeline-definitions/pipeline-catalog.ts');
const { sageMakerImageUri } = require('../pipeline-definitions/sagemaker-image-uris.ts');
const { operationalAlarms } = require('./operational-alarms.ts');
const { ALL_FUNCTIONS } = require('./declarations/all-functions.ts');
const { functionResources, serverlessFunctions } = require('./function-resources.ts');
const { pipelineCodeObjects } = require('./pipeline-code-upload.ts');
const { resourceNameProblems } = require('./resource-names.ts');
const { reportKeys } = require('./report-locations.ts');
const { imageRepositoryArns } = require('./image-repositories.ts');
const { deadLetterQueuePolicy } = require('./dead-letter-queue-policy.ts');
const {
  SAMPLE_ACCOUNT_ID,
  accountIdStandIn,
  deployTimeValue,
  localEnvironment,
  withAccountIdStandIn,
} = require('./deploy-time-values.ts');
const {
  featureStoreNames,
  featureStoreOutputs,
  featureStoreResources,
  featureStoreSettings,
} = require('./feature-store-wiring.ts');
const { withFeatureStore } = require('../pipeline-definitions/feature-store-variant.ts');
const { parseLedgerSettings } = require('./ledger-wiring.ts');
const { LOCAL_STAGE, localInvocation, sampleStageMismatch } = require('./invoke-local.ts');

// Values derived from the configuration may name the data bucket, whose default name holds the
// account id: `emit` turns them into what CloudFormation resolves at deploy time.
const VARIABLES = {
  functions: ({ stack, emit }) => emit(serverlessFunctions(ALL_FUNCTIONS, stack)),
  'functions.resources': ({ stack, emit }) => ({
    Resources: emit(functionResources(ALL_FUNCTIONS, stack)),
  }),
  'notifications.resources': ({ stack }) => ({
    Resources: recipientSubscriptions(stack.deployment.notifications),
  }),
  // With the feature store on, the training pipelines gain its steps (feature-store-variant.ts);
  // off, the templates are the files as they are.
  'pipelines.training.template': ({ featureStore }) => trainingTemplate('training', featureStore),
  'pipelines.training-hpo.template': ({ featureStore }) =>
    trainingTemplate('training-hpo', featureStore),
  'pipelines.batch-inference.template': () => readDefinitionTemplate('batch-inference'),
  'images.repositoryArns': ({ region }) =>
    imageRepositoryArns(
      ['xgboost', 'sklearn', 'model-monitor'].map((image) => sageMakerImageUri(image, region)),
    ),
  'images.xgboost': ({ region }) => sageMakerImageUri('xgboost', region),
  'images.sklearn': ({ region }) => sageMakerImageUri('sklearn', region),
  'images.modelMonitor': ({ region }) => sageMakerImageUri('model-monitor', region),
  'featureStore.resources': ({ deployment, featureStoreNames: names }) =>
    names === undefined
      ? { Resources: {} }
      : {
          Resources: featureStoreResources(deployment.featureStore, deployment.dataset, names),
          Outputs: featureStoreOutputs(deployment.featureStore, names),
        },
};

function trainingTemplate(id, featureStore) {
  const template = readDefinitionTemplate(id);
  return featureStore === undefined ? template : withFeatureStore(template, featureStore);
}

async function resolveContext(resolveVariable, written, ServerlessError) {
  const [rawMlops, pipelines, region, stage, service, modelPackageGroup, rawDataBucket] =
    await Promise.all(
      [
        'self:custom.mlops',
        'self:custom.pipelines',
        'self:provider.region',
        'sls:stage',
        'self:service',
        'self:custom.modelPackageGroup',
        'self:custom.dataBucket',
      ].map((address) => resolveVariable(address)),
    );
  const standIn = accountIdStandIn({ rawMlops, rawDataBucket });
  let deployment;
  try {
    deployment = parseOrExplain(
      withAccountIdStandIn(rawMlops, standIn),
      pipelines,
      { ...written, stage },
      ServerlessError,
    );
  } catch (error) {
    // The account id is not known yet: say so rather than show the stand-in's digits. The same
    // error object is kept, so Serverless still lists it once.
    error.message = error.message.replaceAll(standIn, '<account>');
    throw error;
  }
  // Named only when on: a stage name too long for a feature group must not fail packaging otherwise.
  const names = deployment.featureStore.enabled
    ? featureStoreNames(service, stage, rawDataBucket)
    : undefined;
  return {
    // What the function declarations read (tooling/function-declaration.ts, StackContext).
    stack: {
      deployment,
      ledger: parseLedgerSettings(rawMlops.ledger),
      stackPrefix: `${service}-${stage}`,
      stage,
      modelPackageGroup,
      dataBucket: withAccountIdStandIn(rawDataBucket, standIn),
      rawDataBucket,
      reports: reportKeys(deployment.pipelines, deployment.retraining.modelMonitor),
    },
    deployment,
    emit: (value) => deployTimeValue(value, standIn),
    region,
    featureStoreNames: names,
    featureStore:
      names && featureStoreSettings(deployment.featureStore, deployment.dataset, names, region),
  };
}

/** The data bucket's name as CloudFormation resolved it (the default one holds the account id). */
async function deployedDataBucket(provider) {
  const { Stacks = [] } = await provider.request('CloudFormation', 'describeStacks', {
    StackName: provider.naming.getStackName(),
  });
  const output = (Stacks[0]?.Outputs ?? []).find(
    (candidate) => candidate.OutputKey === 'DataBucketName',
  );
  if (output === undefined) throw new Error('The stack has no DataBucketName output');
  return output.OutputValue;
}

/**
 * `serverless invoke local` takes plain strings only: the account id in the configuration is
 * completed with AWS_ACCOUNT_ID, or the account of the sample events.
 */
function completeEnvironmentsForLocalInvocation(serverless) {
  const location = {
    accountId: process.env.AWS_ACCOUNT_ID ?? SAMPLE_ACCOUNT_ID,
    region: serverless.service.provider.region,
  };
  for (const fn of Object.values(serverless.service.functions ?? {})) {
    if (fn.environment !== undefined) fn.environment = localEnvironment(fn.environment, location);
  }
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
    // An invalid configuration fails every one of the variables: they resolve to nothing
    // and the first lifecycle event reports the problem once.
    let configurationError;
    const invokesLocally = () =>
      (serverless.processedInput?.commands ?? []).join(' ') === 'invoke local';
    const stage = () => serverless.getProvider('aws').getStage();
    // With --stage local: the running local cloud the invocation takes its stack from.
    let local;
    // What stops a local invocation is said as it is, without a stack trace.
    const refuseLocalInvocation = (error) => {
      throw new ServerlessError(error.message, 'MLOPS_LOCAL_INVOCATION');
    };
    this.hooks = {
      initialize: async () => {
        if (configurationError !== undefined) {
          throw new ServerlessError(configurationError.message, 'MLOPS_INVALID_CONFIGURATION');
        }
        if (!invokesLocally()) return;
        if (stage() !== LOCAL_STAGE) {
          completeEnvironmentsForLocalInvocation(serverless);
          return;
        }
        // Before Serverless resolves the environment's references, which it would ask AWS for.
        const fn = serverless.service.getFunction(options.function);
        [local, fn.environment] = await localInvocation(process.env)
          .then((cloud) => [cloud, cloud.environmentOf(fn.name)])
          .catch(refuseLocalInvocation);
      },
      // Serverless has read the event (--path, --data) by now, and runs the handler next.
      'invoke:local:loadEnvVars': async () => {
        if (local === undefined) {
          const mismatch = sampleStageMismatch(options.data, stage());
          if (mismatch !== undefined) {
            throw new ServerlessError(mismatch, 'MLOPS_SAMPLE_OF_ANOTHER_STAGE');
          }
          return;
        }
        const { event, changes } = await local.adapt(options.data).catch(refuseLocalInvocation);
        options.data = event;
        if (changes.length > 0) {
          log.notice(`The event, adapted to the local stack:\n  ${changes.join('\n  ')}`);
        }
      },
      'after:aws:package:finalize:mergeCustomProviderResources': () => {
        const template = serverless.service.provider.compiledCloudFormationTemplate;
        Object.assign(template.Resources, operationalAlarms(template.Resources, 'OpsAlarmsTopic'));
        Object.assign(
          template.Resources,
          deadLetterQueuePolicy(template.Resources, 'NotificationsDeadLetterQueue'),
        );
        const problems = resourceNameProblems(template, {
          stackName: serverless.getProvider('aws').naming.getStackName(),
          region: serverless.service.provider.region,
        });
        if (problems.length > 0) {
          throw new ServerlessError(
            `${problems.length} name(s) AWS would reject (a shorter service or stage name helps):\n  ${problems.join('\n  ')}`,
            'MLOPS_INVALID_NAME',
          );
        }
      },
      'after:deploy:deploy': async () => {
        const provider = serverless.getProvider('aws');
        const bucket = await deployedDataBucket(provider);
        for (const object of pipelineCodeObjects(bucket)) {
          await provider.request('S3', 'putObject', object);
          log.info(`Uploaded s3://${object.Bucket}/${object.Key}`);
        }
      },
    };
    // All the variables derive from one configuration: validate it once per run. What is
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
            configurationError ??= error;
            // Serverless checks that `functions` is an object before the first lifecycle event
            // can report the problem.
            return { value: address === 'functions' ? {} : '' };
          }
        },
      },
    };
  }
}

module.exports = MlopsConfigPlugin;
