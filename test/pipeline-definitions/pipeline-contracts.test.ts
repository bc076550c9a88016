import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  GET_APPROVED_MODEL_OUTPUT_NAMES,
  GET_APPROVED_MODEL_STEP_NAME,
  INPUT_DATA_QUALITY_STEP_NAME,
} from '../../pipeline-definitions/batch-inference-contract';
import { SAMPLE_DEPLOYMENT_VALUES } from '../../pipeline-definitions/check-definitions';
import {
  declaredSteps,
  type DeclaredStep,
} from '../../pipeline-definitions/checker/declared-steps';
import { findReferences } from '../../pipeline-definitions/checker/expressions';
import {
  namesIn,
  objectsOf,
  valueAt,
  type JsonObject,
  type JsonValue,
} from '../../pipeline-definitions/checker/json-value';
import {
  MODEL_QUALITY_VIOLATION_MARKER,
  MODEL_QUALITY_VIOLATION_STEP_NAME,
} from '../../pipeline-definitions/model-quality-violation';
import {
  declaredParameterNames,
  PIPELINE_CODE_PREFIX,
  PIPELINE_IDS,
  renderPipeline,
  type PipelineId,
} from '../../pipeline-definitions/pipeline-catalog';
import {
  CUSTOMER_METADATA_PROPERTY_FILE,
  CUSTOMER_METADATA_SCRIPT,
  CUSTOMER_METADATA_STEP_NAME,
} from '../../pipeline-definitions/training-contract';

const values = SAMPLE_DEPLOYMENT_VALUES;
const SCRIPTS_DIR = path.join(__dirname, '..', '..', 'pipeline-definitions', 'scripts');

function definition(id: PipelineId): JsonObject {
  return JSON.parse(renderPipeline(id, values)) as JsonObject;
}

function stepsOf(id: PipelineId): DeclaredStep[] {
  return declaredSteps(definition(id).Steps).steps;
}

function step(id: PipelineId, name: string): JsonObject {
  const found = stepsOf(id).find((candidate) => candidate.name === name);
  if (found === undefined) throw new Error(`${id} has no step ${name}`);
  return found.definition;
}

function parameter(id: PipelineId, name: string): JsonObject | undefined {
  return objectsOf(definition(id).Parameters).find(([, item]) => item.Name === name)?.[1];
}

const get = (target: string): JsonObject => ({ Get: target });

describe('pipeline parameters', () => {
  it.each([
    [
      'training',
      [
        'InputDataUrl',
        'LabelColumn',
        'ModelPackageGroupName',
        'AucThreshold',
        'ProcessingInstanceType',
        'TrainingInstanceType',
        'TransformInstanceType',
      ],
    ],
    [
      'training-hpo',
      [
        'InputDataUrl',
        'LabelColumn',
        'ModelPackageGroupName',
        'AucThreshold',
        'ProcessingInstanceType',
        'TrainingInstanceType',
        'TransformInstanceType',
        'MaxTuningJobs',
        'MaxParallelTuningJobs',
      ],
    ],
    [
      'batch-inference',
      [
        'InputDataUrl',
        'GroundTruthUrl',
        'GroundTruthLabelColumn',
        'ModelPackageGroupName',
        'OutputDataUrl',
        'AucThreshold',
        'ProcessingInstanceType',
        'TransformInstanceType',
        'TransformInstanceCount',
      ],
    ],
  ] as const)('%s declares the documented parameters', (id, names) => {
    expect(declaredParameterNames(id)).toEqual(names);
  });

  it.each(PIPELINE_IDS)(
    '%s takes its input data URI as the String parameter InputDataUrl',
    (id) => {
      expect(parameter(id, 'InputDataUrl')).toMatchObject({ Type: 'String' });
    },
  );

  it('batch-inference skips model quality unless GroundTruthUrl is given', () => {
    expect(parameter('batch-inference', 'GroundTruthUrl')).toEqual({
      Name: 'GroundTruthUrl',
      Type: 'String',
      DefaultValue: '',
    });
    const groundTruthCheck = step('batch-inference', 'IsGroundTruthMissing');
    expect(valueAt(groundTruthCheck, ['Arguments', 'Conditions'])).toEqual([
      { Type: 'Equals', LeftValue: get('Parameters.GroundTruthUrl'), RightValue: '' },
    ]);
    expect(valueAt(groundTruthCheck, ['Arguments', 'IfSteps'])).toEqual([]);
  });

  it.each(PIPELINE_IDS)('%s defaults ModelPackageGroupName to the deployed group', (id) => {
    expect(parameter(id, 'ModelPackageGroupName')?.DefaultValue).toBe(values.modelPackageGroupName);
  });
});

describe('batch-inference contract with the handlers', () => {
  it('asks getApprovedModel for the group and declares its outputs as strings', () => {
    const lookup = step('batch-inference', GET_APPROVED_MODEL_STEP_NAME);
    expect(lookup.Type).toBe('Lambda');
    expect(lookup.FunctionArn).toBe(values.getApprovedModelFunctionArn);
    expect(lookup.Arguments).toEqual({
      ModelPackageGroupName: get('Parameters.ModelPackageGroupName'),
    });
    expect(lookup.OutputParameters).toEqual(
      GET_APPROVED_MODEL_OUTPUT_NAMES.map((name) => ({ OutputName: name, OutputType: 'String' })),
    );
  });

  it('creates the model from the approved package that the lookup returned', () => {
    expect(
      valueAt(step('batch-inference', 'CreateModel'), ['Arguments', 'PrimaryContainer']),
    ).toEqual({
      ModelPackageName: get("Steps.GetApprovedModel.OutputParameters['ModelPackageArn']"),
    });
  });

  it("checks the input against the approved version's baseline and reports without failing", () => {
    expect(step('batch-inference', INPUT_DATA_QUALITY_STEP_NAME)).toMatchObject({
      Type: 'QualityCheck',
      CheckType: 'DATA_QUALITY',
      SkipCheck: false,
      RegisterNewBaseline: false,
      FailOnViolation: false,
      SuppliedBaselineStatistics: get(
        "Steps.GetApprovedModel.OutputParameters['BaselineStatisticsUrl']",
      ),
      SuppliedBaselineConstraints: get(
        "Steps.GetApprovedModel.OutputParameters['BaselineConstraintsUrl']",
      ),
    });
  });

  it('marks a model-quality violation with a Fail step whose message starts with the marker', () => {
    const violation = stepsOf('batch-inference').find(
      (candidate) => candidate.name === MODEL_QUALITY_VIOLATION_STEP_NAME,
    );
    expect(violation?.type).toBe('Fail');
    expect(violation?.condition).toBe('IsAucBelowThreshold');
    const message = valueAt(violation?.definition, ['Arguments', 'ErrorMessage', 'Std:Join']);
    expect(message).toEqual({
      On: '',
      Values: [
        `${MODEL_QUALITY_VIOLATION_MARKER} metric=auc value=`,
        {
          'Std:JsonGet': {
            PropertyFile: get('Steps.EvaluateModelQuality.PropertyFiles.ModelQualityReport'),
            Path: 'binary_classification_metrics.auc.value',
          },
        },
        ' threshold=',
        get('Parameters.AucThreshold'),
      ],
    });
  });

  it('runs the violation check only in the ground-truth branch', () => {
    const steps = stepsOf('batch-inference');
    const conditionOf = (name: string) =>
      steps.find((candidate) => candidate.name === name)?.condition;
    expect(conditionOf('IsAucBelowThreshold')).toBe('IsGroundTruthMissing');
    expect(conditionOf('EvaluateModelQuality')).toBe('IsGroundTruthMissing');
  });

  it.each(PIPELINE_IDS)(
    'gives no other Fail step of %s a message that could start with the marker',
    (id) => {
      const failSteps = stepsOf(id).filter(
        (candidate) =>
          candidate.type === 'Fail' && candidate.name !== MODEL_QUALITY_VIOLATION_STEP_NAME,
      );
      for (const failStep of failSteps) {
        expect(JSON.stringify(failStep.definition.Arguments)).not.toContain(
          MODEL_QUALITY_VIOLATION_MARKER,
        );
      }
    },
  );
});

describe('model registration of the training pipelines', () => {
  it.each([
    ['training', 'recalibration'],
    ['training-hpo', 'retuning'],
  ] as const)('%s registers a version pending approval with origin %s', (id, origin) => {
    expect(step(id, 'RegisterModel').Arguments).toMatchObject({
      ModelPackageGroupName: get('Parameters.ModelPackageGroupName'),
      ModelApprovalStatus: 'PendingManualApproval',
      CustomerMetadataProperties: {
        origin,
        inputDataUrl: {
          'Std:JsonGet': {
            PropertyFile: get(
              `Steps.${CUSTOMER_METADATA_STEP_NAME}.PropertyFiles.${CUSTOMER_METADATA_PROPERTY_FILE}`,
            ),
            Path: 'inputDataUrl',
          },
        },
        sourceExecutionArn: get('Execution.PipelineExecutionArn'),
      },
    });
  });

  // CreateModelPackage (SageMaker API model, botocore sagemaker service-2.json): CustomerMetadataMap
  // of 1-50 entries, CustomerMetadataKey of 1-128 and CustomerMetadataValue of 1-256 characters.
  const METADATA_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
  const METADATA_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,256}$/u;

  it.each(['training', 'training-hpo'] as const)(
    '%s records only metadata values CreateModelPackage accepts, never raw outside input',
    (id) => {
      const metadata = valueAt(step(id, 'RegisterModel'), [
        'Arguments',
        'CustomerMetadataProperties',
      ]) as JsonObject;
      const entries = Object.entries(metadata);
      expect(entries.length).toBeGreaterThanOrEqual(1);
      expect(entries.length).toBeLessThanOrEqual(50);
      for (const [key, value] of entries) {
        expect(key).toMatch(METADATA_KEY);
        if (typeof value === 'string') {
          expect(value).toMatch(METADATA_VALUE);
          continue;
        }
        // A run-time value comes from the property file the Preprocess step writes in the allowed
        // form, or is the execution ARN: `arn:<partition>:sagemaker:<region>:<account>:pipeline/
        // <name>/execution/<12 characters>` of [a-z0-9:/-], where a name is `<stack name>-<id>`
        // and CloudFormation stack names have at most 128 characters, so at most 226 in all.
        expect(findReferences(value, '')).toEqual([
          expect.objectContaining(
            key === 'sourceExecutionArn'
              ? { kind: 'execution', name: 'PipelineExecutionArn' }
              : {
                  kind: 'property-file',
                  step: CUSTOMER_METADATA_STEP_NAME,
                  file: CUSTOMER_METADATA_PROPERTY_FILE,
                },
          ),
        ]);
      }
    },
  );

  it.each(['training', 'training-hpo'] as const)(
    '%s: the step that writes the customer metadata reads the job configuration and uploads the file',
    (id) => {
      const preprocess = step(id, CUSTOMER_METADATA_STEP_NAME);
      expect(valueAt(preprocess, ['Arguments', 'AppSpecification', 'ContainerArguments'])).toEqual(
        expect.arrayContaining(['--job-config', '/opt/ml/config/processingjobconfig.json']),
      );
      expect(preprocess.PropertyFiles).toContainEqual({
        PropertyFileName: CUSTOMER_METADATA_PROPERTY_FILE,
        OutputName: 'metadata',
        FilePath: 'customer_metadata.json',
      });
      expect(
        objectsOf(valueAt(preprocess, ['Arguments', 'ProcessingOutputConfig', 'Outputs'])).map(
          ([, output]) => [output.OutputName, valueAt(output, ['S3Output', 'LocalPath'])],
        ),
      ).toContainEqual(['metadata', '/opt/ml/processing/output/metadata']);
      expect(existsSync(path.join(SCRIPTS_DIR, CUSTOMER_METADATA_SCRIPT))).toBe(true);
    },
  );

  it('registers the new data-quality baseline as model metrics and drift-check baselines', () => {
    const baseline = step('training', 'BaselineDataQuality');
    expect(baseline).toMatchObject({
      CheckType: 'DATA_QUALITY',
      SkipCheck: true,
      RegisterNewBaseline: true,
    });
    const metric = (property: string) => ({
      ContentType: 'application/json',
      S3Uri: get(`Steps.BaselineDataQuality.${property}`),
    });
    expect(step('training', 'RegisterModel').Arguments).toMatchObject({
      ModelMetrics: {
        ModelDataQuality: {
          Statistics: metric('CalculatedBaselineStatistics'),
          Constraints: metric('CalculatedBaselineConstraints'),
        },
      },
      DriftCheckBaselines: {
        ModelDataQuality: {
          Statistics: metric('BaselineUsedForDriftCheckStatistics'),
          Constraints: metric('BaselineUsedForDriftCheckConstraints'),
        },
      },
    });
  });

  it('registers the evaluation report as model-quality statistics', () => {
    expect(
      valueAt(step('training', 'RegisterModel'), ['Arguments', 'ModelMetrics', 'ModelQuality']),
    ).toEqual({
      Statistics: {
        ContentType: 'application/json',
        S3Uri: {
          'Std:Join': {
            On: '/',
            Values: [
              get("Steps.Evaluate.ProcessingOutputConfig.Outputs['evaluation'].S3Output.S3Uri"),
              'evaluation.json',
            ],
          },
        },
      },
    });
  });
});

describe('training and training-hpo', () => {
  /**
   * A training pipeline without what distinguishes recalibration from retuning: the Train or Tune
   * step, where the model artifact comes from, the origin, and the tuning parameters.
   */
  function sharedPart(id: 'training' | 'training-hpo'): JsonValue {
    const artifact = valueAt(step(id, 'CreateModel'), [
      'Arguments',
      'PrimaryContainer',
      'ModelDataUrl',
    ]);
    const text = renderPipeline(id, values)
      .split(JSON.stringify(artifact))
      .join('"<model artifact>"')
      .replace(/"origin":"(recalibration|retuning)"/, '"origin":"<origin>"');
    const shared = JSON.parse(text) as { Parameters: JsonObject[]; Steps: JsonObject[] };
    return {
      ...shared,
      Parameters: shared.Parameters.filter((item) => !String(item.Name).startsWith('Max')),
      Steps: shared.Steps.filter((item) => item.Type !== 'Training' && item.Type !== 'Tuning'),
    };
  }

  it('share every step except training versus tuning', () => {
    expect(sharedPart('training-hpo')).toEqual(sharedPart('training'));
  });

  it('register the artifact they score', () => {
    for (const id of ['training', 'training-hpo'] as const) {
      const scored = valueAt(step(id, 'CreateModel'), [
        'Arguments',
        'PrimaryContainer',
        'ModelDataUrl',
      ]);
      const containers = valueAt(step(id, 'RegisterModel'), [
        'Arguments',
        'InferenceSpecification',
        'Containers',
      ]);
      expect(containers).toEqual([
        { Image: expect.stringContaining('sagemaker-xgboost'), ModelDataUrl: scored },
      ]);
    }
  });

  it('take the tuned artifact of the best training job from the tuning output path', () => {
    const tune = step('training-hpo', 'Tune');
    const outputPath = valueAt(tune, [
      'Arguments',
      'TrainingJobDefinition',
      'OutputDataConfig',
      'S3OutputPath',
    ]);
    const outputValues = valueAt(outputPath, ['Std:Join', 'Values']) as JsonValue[];
    expect(
      valueAt(step('training-hpo', 'CreateModel'), [
        'Arguments',
        'PrimaryContainer',
        'ModelDataUrl',
      ]),
    ).toEqual({
      'Std:Join': {
        On: '/',
        Values: [
          ...outputValues,
          get('Steps.Tune.TrainingJobSummaries[0].TrainingJobName'),
          'output',
          'model.tar.gz',
        ],
      },
    });
  });

  it('train the same way apart from the hyperparameters', () => {
    const train = step('training', 'Train').Arguments as JsonObject;
    const job = valueAt(step('training-hpo', 'Tune'), [
      'Arguments',
      'TrainingJobDefinition',
    ]) as JsonObject;
    for (const field of [
      'AlgorithmSpecification',
      'InputDataConfig',
      'OutputDataConfig',
      'RoleArn',
      'StoppingCondition',
    ]) {
      expect(job[field]).toEqual(train[field]);
    }
    expect(job.HyperParameterTuningResourceConfig).toEqual(train.ResourceConfig);
  });

  it('tune every fixed hyperparameter over a range holding its fixed value, or keep it static', () => {
    const fixed = valueAt(step('training', 'Train'), ['Arguments', 'HyperParameters']) as Record<
      string,
      string
    >;
    const tuning = valueAt(step('training-hpo', 'Tune'), ['Arguments']);
    const staticValues = valueAt(tuning, [
      'TrainingJobDefinition',
      'StaticHyperParameters',
    ]) as Record<string, string>;
    const ranges = ['ContinuousParameterRanges', 'IntegerParameterRanges'].flatMap((kind) =>
      objectsOf(valueAt(tuning, ['HyperParameterTuningJobConfig', 'ParameterRanges', kind])).map(
        ([, range]) => range,
      ),
    );
    expect(
      namesIn(
        valueAt(tuning, [
          'HyperParameterTuningJobConfig',
          'ParameterRanges',
          'CategoricalParameterRanges',
        ]),
        'Name',
      ),
    ).toEqual([]);
    expect(Object.keys(fixed).sort()).toEqual(
      [...Object.keys(staticValues), ...ranges.map((range) => range.Name)].sort(),
    );
    for (const [name, value] of Object.entries(fixed)) {
      const range = ranges.find((candidate) => candidate.Name === name);
      if (range === undefined) {
        expect(staticValues[name]).toBe(value);
      } else {
        expect(Number(value)).toBeGreaterThanOrEqual(Number(range.MinValue));
        expect(Number(value)).toBeLessThanOrEqual(Number(range.MaxValue));
      }
    }
  });
});

describe('deployability', () => {
  it.each(PIPELINE_IDS)('keeps %s far below the 1 MiB definition limit', (id) => {
    expect(renderPipeline(id, values).length).toBeLessThan(64 * 1024);
  });

  it.each(PIPELINE_IDS)(
    'runs %s step scripts from the uploaded code prefix of the data bucket',
    (id) => {
      const processingSteps = stepsOf(id).filter((candidate) => candidate.type === 'Processing');
      expect(processingSteps.length).toBeGreaterThan(0);
      for (const { definition: processing } of processingSteps) {
        const code = objectsOf(valueAt(processing, ['Arguments', 'ProcessingInputs'])).find(
          ([, input]) => input.InputName === 'code',
        )?.[1];
        expect(valueAt(code, ['S3Input'])).toMatchObject({
          S3Uri: `s3://${values.dataBucket}/${PIPELINE_CODE_PREFIX}`,
          LocalPath: '/opt/ml/processing/input/code',
        });
        const entrypoint = valueAt(processing, [
          'Arguments',
          'AppSpecification',
          'ContainerEntrypoint',
        ]);
        expect(entrypoint).toEqual([
          'python3',
          expect.stringMatching(/^\/opt\/ml\/processing\/input\/code\/\w+\.py$/),
        ]);
        const script = Array.isArray(entrypoint) ? String(entrypoint[1]) : '';
        expect(existsSync(path.join(SCRIPTS_DIR, path.basename(script)))).toBe(true);
      }
    },
  );

  it.each(PIPELINE_IDS)(
    'lets no SageMaker job of %s run without retries on capacity and service faults',
    (id) => {
      for (const job of stepsOf(id).filter((candidate) =>
        ['Processing', 'Training', 'Tuning', 'Transform'].includes(candidate.type),
      )) {
        const retried = objectsOf(job.definition.RetryPolicies).flatMap(([, policy]) =>
          Array.isArray(policy.ExceptionType) ? policy.ExceptionType : [],
        );
        expect(retried).toEqual(
          expect.arrayContaining(['Step.SERVICE_FAULT', 'SageMaker.CAPACITY_ERROR']),
        );
      }
    },
  );
});
