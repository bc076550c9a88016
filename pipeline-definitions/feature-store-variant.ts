import { declaredSteps } from './checker/declared-steps';
import { isJsonObject, type JsonObject, type JsonValue } from './checker/json-value';
import {
  BUILD_TRAINING_SET_STEP_NAME,
  EVENT_TIME_FEATURE_NAME,
  FEATURE_INGESTION_PROPERTY_FILE,
  FEATURE_STORE_METADATA,
  type FeatureStoreSettings,
  HISTORY_DAYS_PARAMETER,
  INGEST_FEATURES_STEP_NAME,
  RECORD_IDENTIFIER_FEATURE_NAME,
  TRAINING_SET_PROPERTY_FILE,
} from './feature-store-contract';
import { CUSTOMER_METADATA_STEP_NAME } from './training-contract';

/** A container argument holds at most 256 characters (`ContainerArgument`, SageMaker API model). */
export const MAX_CONTAINER_ARGUMENT_LENGTH = 256;

/** Preprocess's outputs that become the training set's, and which BuildTrainingSet replaces. */
const TRAINING_SET_OUTPUTS = ['train', 'validation', 'test', 'baseline'] as const;
/** The outputs that hold every prepared row between them (label first, no header). */
const PREPARED_OUTPUTS = ['train', 'validation', 'test'] as const;
const INPUT_ROOT = '/opt/ml/processing/input';
const OUTPUT_ROOT = '/opt/ml/processing/output';
const CODE_DIR = `${INPUT_ROOT}/code`;

/**
 * A training pipeline's definition template with the feature store on: the same template, plus
 *
 * - **IngestFeatures** after Preprocess: writes every prepared row to the feature group, or fails
 *   with the numbers (scripts/ingest_features.py);
 * - with the training source `offline-store`, **BuildTrainingSet**: the training set from the
 *   group's history over the {@link HISTORY_DAYS_PARAMETER} days before the run, plus the run's own
 *   rows (scripts/build_training_set.py); the steps that read Preprocess's train, validation, test
 *   and baseline outputs read BuildTrainingSet's instead;
 * - customer metadata of the registered version: `featureGroupName`, and with the offline store
 *   `queryExecutionId` and `trainingWindow`, each with `Std:JsonGet` from the property file of the
 *   step that knows it.
 *
 * The new steps run the step scripts as Preprocess does (image, role, instance type, code input,
 * retry policies are Preprocess's), and hold no placeholder but those of the template, so the
 * result deploys through `Fn::Sub` or {@link renderPipelineDefinition} like the template itself.
 * The settings' values are literals of the deployment; the dataset schema's columns travel as
 * `name:Type` lists cut into container arguments of at most 256 characters.
 *
 * @example
 * const template = withFeatureStore(readDefinitionTemplate('training'), settings);
 */
export function withFeatureStore(template: string, settings: FeatureStoreSettings): string {
  const definition = JSON.parse(template) as { Parameters: JsonValue[]; Steps: JsonValue[] };
  const steps = declaredSteps(definition.Steps).steps;
  const preprocess = steps.find((step) => step.name === CUSTOMER_METADATA_STEP_NAME)?.definition;
  if (preprocess === undefined || !steps.some((step) => step.type === 'RegisterModel')) {
    throw new Error(
      `The feature store extends training pipelines, which have a ${CUSTOMER_METADATA_STEP_NAME} and a RegisterModel step`,
    );
  }
  const fromHistory = settings.trainingSource === 'offline-store';
  const added = [ingestFeaturesStep(preprocess, settings)];
  if (fromHistory) {
    added.push(buildTrainingSetStep(preprocess, settings));
    definition.Parameters.push({
      Name: HISTORY_DAYS_PARAMETER,
      Type: 'Integer',
      DefaultValue: settings.historyDays,
    });
  }
  const metadataKeys = Object.keys(FEATURE_STORE_METADATA).filter(
    (key) => fromHistory || key === 'featureGroupName',
  ) as Array<keyof typeof FEATURE_STORE_METADATA>;
  const position = definition.Steps.indexOf(preprocess) + 1;
  const extended = definition.Steps.map((step) =>
    step === preprocess ? step : extendStep(step, fromHistory, metadataKeys),
  );
  extended.splice(position, 0, ...added);
  return JSON.stringify({ ...definition, Steps: extended });
}

/**
 * The columns as container arguments: `name:Type` entries joined by commas, cut into arguments
 * of at most {@link MAX_CONTAINER_ARGUMENT_LENGTH} characters (a name has at most 64).
 *
 * @example
 * featureArguments([{ name: 'age', type: 'Integral' }]); // ['age:Integral']
 */
export function featureArguments(features: FeatureStoreSettings['dataset']['features']): string[] {
  const chunks: string[] = [];
  for (const entry of features.map((feature) => `${feature.name}:${feature.type}`)) {
    const last = chunks.at(-1);
    if (last !== undefined && last.length + 1 + entry.length <= MAX_CONTAINER_ARGUMENT_LENGTH) {
      chunks[chunks.length - 1] = `${last},${entry}`;
    } else {
      chunks.push(entry);
    }
  }
  return chunks;
}

function ingestFeaturesStep(preprocess: JsonObject, settings: FeatureStoreSettings): JsonObject {
  return processingStep(preprocess, {
    name: INGEST_FEATURES_STEP_NAME,
    description:
      'Writes every prepared row to the feature group with PutRecord (retrying throttled calls) and fails, with both numbers, unless as many rows were written as prepared.',
    script: 'ingest_features.py',
    arguments: [
      ['--prepared-dir', `${INPUT_ROOT}/prepared`],
      ['--metadata-dir', `${INPUT_ROOT}/metadata`],
      ['--output-dir', `${OUTPUT_ROOT}/ingestion`],
      ['--feature-group-name', settings.featureGroupName],
      ['--region', settings.region],
      ...columnArguments(settings),
    ],
    inputs: [...preparedInputs(), preprocessMetadataInput()],
    outputs: [['ingestion', `${OUTPUT_ROOT}/ingestion`]],
    propertyFile: [FEATURE_INGESTION_PROPERTY_FILE, 'ingestion', 'feature_ingestion.json'],
  });
}

function buildTrainingSetStep(preprocess: JsonObject, settings: FeatureStoreSettings): JsonObject {
  const { database, table, workGroup } = settings.offlineStore;
  return processingStep(preprocess, {
    name: BUILD_TRAINING_SET_STEP_NAME,
    description:
      "Builds the training set from the feature group's offline store (one Athena query over the TrainingHistoryDays before this run's event time) and this run's prepared rows, split as Preprocess splits.",
    script: 'build_training_set.py',
    arguments: [
      ['--prepared-dir', `${INPUT_ROOT}/prepared`],
      ['--metadata-dir', `${INPUT_ROOT}/metadata`],
      ['--ingestion-dir', `${INPUT_ROOT}/ingestion`],
      ['--output-dir', OUTPUT_ROOT],
      // An Integer parameter as a string, the way the SageMaker Python SDK's to_string() does.
      [
        '--history-days',
        { 'Std:Join': { On: '', Values: [{ Get: `Parameters.${HISTORY_DAYS_PARAMETER}` }] } },
      ],
      ['--database', database],
      ['--table', table],
      ['--workgroup', workGroup],
      ['--region', settings.region],
      ...columnArguments(settings),
    ],
    inputs: [
      ...preparedInputs(),
      preprocessMetadataInput(),
      ['ingestion', propertyOf(INGEST_FEATURES_STEP_NAME, 'ingestion'), `${INPUT_ROOT}/ingestion`],
    ],
    outputs: [...TRAINING_SET_OUTPUTS, 'metadata'].map((name) => [name, `${OUTPUT_ROOT}/${name}`]),
    propertyFile: [TRAINING_SET_PROPERTY_FILE, 'metadata', 'training_set.json'],
  });
}

/** An option and its values, e.g. `['--features', 'a:Integral,b:Fractional', 'c:Integral']`. */
type Argument = readonly JsonValue[];
type Input = readonly [name: string, uri: JsonValue, localPath: string];

interface ProcessingStepSpec {
  readonly name: string;
  readonly description: string;
  readonly script: string;
  readonly arguments: readonly Argument[];
  readonly inputs: readonly Input[];
  readonly outputs: ReadonlyArray<readonly [name: string, localPath: string]>;
  readonly propertyFile: readonly [name: string, output: string, filePath: string];
}

/** CreateProcessingJob takes at most 100 container arguments (`ContainerArguments`, same model). */
const MAX_CONTAINER_ARGUMENTS = 100;

/** A Processing step that runs a step script the way Preprocess runs preprocess.py. */
function processingStep(preprocess: JsonObject, spec: ProcessingStepSpec): JsonObject {
  const containerArguments = spec.arguments.flat();
  if (containerArguments.length > MAX_CONTAINER_ARGUMENTS) {
    throw new Error(
      `The dataset schema's features take ${containerArguments.length} container arguments of step ${spec.name}, more than the ${MAX_CONTAINER_ARGUMENTS} a processing job takes: use fewer features or shorter names`,
    );
  }
  const preprocessArguments = preprocess.Arguments as JsonObject;
  const appSpecification = preprocessArguments.AppSpecification as JsonObject;
  const codeInput = (preprocessArguments.ProcessingInputs as JsonObject[]).find(
    (input) => input.InputName === 'code',
  );
  if (codeInput === undefined) throw new Error('Preprocess has no code input to share');
  const [propertyFileName, propertyOutput, filePath] = spec.propertyFile;
  return {
    Name: spec.name,
    Type: 'Processing',
    Description: spec.description,
    Arguments: {
      ProcessingResources: preprocessArguments.ProcessingResources ?? null,
      AppSpecification: {
        ImageUri: appSpecification.ImageUri ?? null,
        ContainerEntrypoint: ['python3', `${CODE_DIR}/${spec.script}`],
        ContainerArguments: containerArguments,
      },
      RoleArn: preprocessArguments.RoleArn ?? null,
      ProcessingInputs: [
        ...spec.inputs.map(([name, uri, localPath]) => s3Input(name, uri, localPath)),
        codeInput,
      ],
      ProcessingOutputConfig: {
        Outputs: spec.outputs.map(([name, localPath]) => s3Output(spec.name, name, localPath)),
      },
      StoppingCondition: preprocessArguments.StoppingCondition ?? null,
    },
    PropertyFiles: [
      { PropertyFileName: propertyFileName, OutputName: propertyOutput, FilePath: filePath },
    ],
    RetryPolicies: preprocess.RetryPolicies ?? [],
  };
}

function columnArguments(settings: FeatureStoreSettings): Argument[] {
  return [
    ['--record-identifier', RECORD_IDENTIFIER_FEATURE_NAME],
    ['--event-time', EVENT_TIME_FEATURE_NAME],
    ['--label', settings.dataset.label],
    ['--features', ...featureArguments(settings.dataset.features)],
  ];
}

function preparedInputs(): Input[] {
  return PREPARED_OUTPUTS.map((name) => [
    `prepared-${name}`,
    propertyOf(CUSTOMER_METADATA_STEP_NAME, name),
    `${INPUT_ROOT}/prepared/${name}`,
  ]);
}

function preprocessMetadataInput(): Input {
  return [
    'metadata',
    propertyOf(CUSTOMER_METADATA_STEP_NAME, 'metadata'),
    `${INPUT_ROOT}/metadata`,
  ];
}

function propertyOf(step: string, output: string): JsonObject {
  return { Get: `Steps.${step}.ProcessingOutputConfig.Outputs['${output}'].S3Output.S3Uri` };
}

function s3Input(name: string, uri: JsonValue, localPath: string): JsonObject {
  return {
    InputName: name,
    AppManaged: false,
    S3Input: {
      S3Uri: uri,
      LocalPath: localPath,
      S3DataType: 'S3Prefix',
      S3InputMode: 'File',
      S3DataDistributionType: 'FullyReplicated',
      S3CompressionType: 'None',
    },
  };
}

/** An output under the run's folder, `s3://<bucket>/pipelines/<pipeline>/<execution>/<step>/<name>`. */
function s3Output(step: string, name: string, localPath: string): JsonObject {
  return {
    OutputName: name,
    AppManaged: false,
    S3Output: {
      S3Uri: {
        'Std:Join': {
          On: '/',
          Values: [
            's3:/',
            '${DataBucket}',
            'pipelines',
            { Get: 'Execution.PipelineName' },
            { Get: 'Execution.PipelineExecutionId' },
            step,
            name,
          ],
        },
      },
      LocalPath: localPath,
      S3UploadMode: 'EndOfJob',
    },
  };
}

/**
 * A step of the template (condition branches included) as the feature store needs it: with the
 * training source `offline-store` every read of Preprocess's training-set outputs turned to
 * BuildTrainingSet's, and the RegisterModel step with the feature store's metadata.
 */
function extendStep(
  step: JsonValue,
  fromHistory: boolean,
  metadataKeys: ReadonlyArray<keyof typeof FEATURE_STORE_METADATA>,
): JsonValue {
  const replacements = new Map(
    TRAINING_SET_OUTPUTS.map((name) => [
      propertyOf(CUSTOMER_METADATA_STEP_NAME, name).Get,
      propertyOf(BUILD_TRAINING_SET_STEP_NAME, name),
    ]),
  );
  const visit = (value: JsonValue): JsonValue => {
    if (Array.isArray(value)) return value.map(visit);
    if (!isJsonObject(value)) return value;
    const replacement = typeof value.Get === 'string' ? replacements.get(value.Get) : undefined;
    if (fromHistory && replacement !== undefined) return replacement;
    const visited = Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, visit(item)]),
    );
    return value.Type === 'RegisterModel' ? withFeatureMetadata(visited, metadataKeys) : visited;
  };
  return visit(step);
}

function withFeatureMetadata(
  registerModel: JsonObject,
  keys: ReadonlyArray<keyof typeof FEATURE_STORE_METADATA>,
): JsonObject {
  const registerArguments = registerModel.Arguments as JsonObject;
  const metadata = registerArguments.CustomerMetadataProperties as JsonObject;
  const added = Object.fromEntries(
    keys.map((key) => {
      const { step, file } = FEATURE_STORE_METADATA[key];
      return [
        key,
        {
          'Std:JsonGet': {
            PropertyFile: { Get: `Steps.${step}.PropertyFiles.${file}` },
            Path: key,
          },
        },
      ];
    }),
  );
  return {
    ...registerModel,
    Arguments: { ...registerArguments, CustomerMetadataProperties: { ...metadata, ...added } },
  };
}
