// Serverless plugin: validates `custom.mlops` with the same schemas the functions use at cold start
// and derives, from that one configuration, what serverless.yml needs (environment documents,
// EventBridge patterns, IAM resources) as `${mlops:...}` variables.
require('./register-ts');
const { dataUploadConfigSchema } = require('../functions/config/data-upload-config.ts');
const { parseConfig } = require('../functions/config/parse-config.ts');
const { dataUploadEventPattern, dataUploadPipelineArns } = require('./data-upload-wiring.ts');

// Lambda caps all environment variables of a function at 4 KB together.
const ENVIRONMENT_DOCUMENT_MAX_BYTES = 3500;

const SECTIONS = {
  dataUpload: {
    schema: dataUploadConfigSchema,
    derived: {
      configJson: (config) => environmentDocument(config, 'custom.mlops.dataUpload'),
      eventPattern: dataUploadEventPattern,
      pipelineArns: dataUploadPipelineArns,
    },
  },
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

class MlopsConfigPlugin {
  constructor(serverless) {
    const ServerlessError = serverless.classes.Error;
    this.configurationVariablesSources = {
      mlops: {
        async resolve({ address, resolveVariable }) {
          const [sectionName, derivedName] = String(address).split('.');
          const section = SECTIONS[sectionName];
          const derive = section?.derived[derivedName];
          if (derive === undefined) {
            throw new ServerlessError(
              `Unknown variable \${mlops:${address}}`,
              'MLOPS_UNKNOWN_VARIABLE',
            );
          }
          const source = `custom.mlops.${sectionName}`;
          try {
            const raw = await resolveVariable(`self:${source}`);
            return { value: derive(parseConfig(section.schema, raw, source)) };
          } catch (error) {
            throw new ServerlessError(error.message, 'MLOPS_INVALID_CONFIGURATION');
          }
        },
      },
    };
  }
}

module.exports = MlopsConfigPlugin;
