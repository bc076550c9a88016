import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  SAMPLE_DEPLOYMENT_VALUES,
  sampleFeatureStoreSettings,
} from '../../pipeline-definitions/check-definitions';
import { declaredSteps } from '../../pipeline-definitions/checker/declared-steps';
import {
  isJsonObject,
  objectsOf,
  valueAt,
  type JsonObject,
  type JsonValue,
} from '../../pipeline-definitions/checker/json-value';
import { MODEL_QUALITY_VIOLATION_MARKER } from '../../pipeline-definitions/model-quality-violation';
import type { TrainingSource } from '../../pipeline-definitions/feature-store-contract';
import { withFeatureStore } from '../../pipeline-definitions/feature-store-variant';
import {
  readDefinitionTemplate,
  renderPipeline,
  type PipelineId,
} from '../../pipeline-definitions/pipeline-catalog';
import { renderPipelineDefinition } from '../../pipeline-definitions/render-definition';

const REPOSITORY_ROOT = path.join(__dirname, '..', '..');
const SCRIPTS_DIR = path.join(REPOSITORY_ROOT, 'pipeline-definitions', 'scripts');
const CONTAINER_ROOT = '/opt/ml';
const CODE_DIR = `${CONTAINER_ROOT}/processing/input/code`;
// Where SageMaker Processing writes the job's configuration into the container.
const JOB_CONFIG = `${CONTAINER_ROOT}/config/processingjobconfig.json`;
const PYTHON_ENV = { ...process.env, PYTHONDONTWRITEBYTECODE: '1' };
const FAKE_BOTO3_RUNNER = path.join(SCRIPTS_DIR, 'tests', 'fake_boto3_run.py');

/** What the fake boto3 of fake_boto3_run.py was asked. */
interface AwsRequests {
  readonly clients: Array<{ service: string; region: string; retries: Record<string, unknown> }>;
  readonly putRecord: Array<{
    FeatureGroupName: string;
    Record: Array<{ FeatureName: string; ValueAsString: string }>;
  }>;
  readonly athena: Array<{
    QueryString: string;
    WorkGroup: string;
    QueryExecutionContext: unknown;
  }>;
}

describe('step scripts', () => {
  it('pass their Python unit tests', () => {
    const result = spawnSync(
      'python3',
      ['-m', 'unittest', 'discover', '-s', 'pipeline-definitions/scripts/tests'],
      {
        cwd: REPOSITORY_ROOT,
        encoding: 'utf8',
        env: PYTHON_ENV,
      },
    );
    expect({ status: result.status, stderr: result.stderr }).toEqual({
      status: 0,
      stderr: expect.stringMatching(/\nOK\n?$/),
    });
  });
});

/** A pipeline as it would run: its steps, parameter defaults, and property files read so far. */
class PipelineRun {
  readonly parameters: Record<string, JsonValue>;
  readonly propertyFiles = new Map<string, JsonValue>();
  private readonly steps: Map<string, JsonObject>;

  constructor(
    id: PipelineId,
    private readonly scratch: string,
    rendered = renderPipeline(id, SAMPLE_DEPLOYMENT_VALUES),
  ) {
    const definition = JSON.parse(rendered) as JsonObject;
    this.steps = new Map(
      declaredSteps(definition.Steps).steps.map((step) => [step.name, step.definition]),
    );
    this.parameters = Object.fromEntries(
      objectsOf(definition.Parameters).map(([, parameter]) => [
        String(parameter.Name),
        parameter.DefaultValue ?? null,
      ]),
    );
  }

  step(name: string): JsonObject {
    const step = this.steps.get(name);
    if (step === undefined) throw new Error(`no step ${name}`);
    return step;
  }

  /**
   * Runs a Processing step's script with the step's own entrypoint and arguments, container paths
   * mapped into the scratch directory; `inputs` gives the lines of one file per input name. A
   * script given the job's configuration finds there each input's URI and local path, as SageMaker
   * writes them. Loads the property files the step declares, if the script wrote them. With
   * `fakeAws`, the script runs with a fake boto3 (scripts/tests/fake_boto3_run.py) doing what
   * `fakeAws` says, and the requests it got are returned as `aws`.
   */
  runProcessingStep(
    name: string,
    inputs: Record<string, Record<string, string[]>>,
    fakeAws?: Record<string, unknown>,
  ) {
    const step = this.step(name);
    const local = (containerPath: string) =>
      containerPath.startsWith(CODE_DIR)
        ? path.join(SCRIPTS_DIR, containerPath.slice(CODE_DIR.length))
        : path.join(this.scratch, containerPath.slice(CONTAINER_ROOT.length));
    rmSync(this.scratch, { recursive: true, force: true });
    const processingInputs = objectsOf(valueAt(step, ['Arguments', 'ProcessingInputs']));
    for (const [, input] of processingInputs) {
      const files = inputs[String(input.InputName)] ?? {};
      for (const [file, lines] of Object.entries(files)) {
        const directory = local(String(valueAt(input, ['S3Input', 'LocalPath'])));
        mkdirSync(directory, { recursive: true });
        writeFileSync(path.join(directory, file), lines.map((line) => `${line}\n`).join(''));
      }
    }
    const [interpreter, script] = valueAt(step, [
      'Arguments',
      'AppSpecification',
      'ContainerEntrypoint',
    ]) as string[];
    const containerArguments = valueAt(step, [
      'Arguments',
      'AppSpecification',
      'ContainerArguments',
    ]) as JsonValue[];
    if (containerArguments.includes(JOB_CONFIG)) {
      const jobConfig = local(JOB_CONFIG);
      mkdirSync(path.dirname(jobConfig), { recursive: true });
      writeFileSync(
        jobConfig,
        JSON.stringify({
          ProcessingInputs: processingInputs.map(([, input]) => ({
            InputName: input.InputName,
            S3Input: {
              S3Uri: this.evaluate(valueAt(input, ['S3Input', 'S3Uri'])),
              LocalPath: local(String(valueAt(input, ['S3Input', 'LocalPath']))),
            },
          })),
        }),
      );
    }
    const argv = containerArguments.map((argument) => {
      const value = String(this.evaluate(argument));
      return value.startsWith(CONTAINER_ROOT) ? local(value) : value;
    });
    const awsLog = `${this.scratch}-aws.json`;
    const fakes = `${this.scratch}-fakes.json`;
    if (fakeAws !== undefined) writeFileSync(fakes, JSON.stringify({ ...fakeAws, log: awsLog }));
    const launcher = fakeAws === undefined ? [] : [FAKE_BOTO3_RUNNER, fakes];
    const result = spawnSync(String(interpreter), [...launcher, local(String(script)), ...argv], {
      encoding: 'utf8',
      env: PYTHON_ENV,
    });
    const outputs = Object.fromEntries(
      objectsOf(valueAt(step, ['Arguments', 'ProcessingOutputConfig', 'Outputs'])).map(
        ([, output]) => [
          String(output.OutputName),
          local(String(valueAt(output, ['S3Output', 'LocalPath']))),
        ],
      ),
    );
    for (const [, file] of objectsOf(step.PropertyFiles)) {
      const filePath = path.join(outputs[String(file.OutputName)] ?? '', String(file.FilePath));
      if (existsSync(filePath)) {
        this.propertyFiles.set(
          `Steps.${name}.PropertyFiles.${String(file.PropertyFileName)}`,
          JSON.parse(readFileSync(filePath, 'utf8')) as JsonValue,
        );
      }
    }
    const aws =
      fakeAws === undefined ? undefined : (JSON.parse(readFileSync(awsLog, 'utf8')) as AwsRequests);
    return { status: result.status, stderr: result.stderr, outputs, aws };
  }

  /** The value of a pipeline expression, for the functions these definitions use. */
  evaluate(value: JsonValue | undefined): JsonValue {
    if (!isJsonObject(value)) return value ?? null;
    if (typeof value.Get === 'string' && value.Get.startsWith('Parameters.')) {
      return this.parameters[value.Get.slice('Parameters.'.length)] ?? null;
    }
    const join = value['Std:Join'];
    if (isJsonObject(join) && Array.isArray(join.Values)) {
      return join.Values.map((item) => String(this.evaluate(item))).join(String(join.On));
    }
    const jsonGet = value['Std:JsonGet'];
    if (isJsonObject(jsonGet)) {
      const file = this.propertyFiles.get(String(valueAt(jsonGet, ['PropertyFile', 'Get'])));
      if (file === undefined)
        throw new Error(`property file of ${JSON.stringify(jsonGet)} not written`);
      return valueAt(file, String(jsonGet.Path).split('.')) ?? null;
    }
    throw new Error(`cannot evaluate ${JSON.stringify(value)} here`);
  }

  /** The branch a Condition step takes, and its steps. */
  takeCondition(name: string): { holds: boolean; steps: JsonObject[] } {
    const condition = this.step(name);
    const comparisons = objectsOf(valueAt(condition, ['Arguments', 'Conditions'])).map(
      ([, comparison]) => {
        const left = this.evaluate(comparison.LeftValue);
        const right = this.evaluate(comparison.RightValue);
        if (comparison.Type === 'Equals') return left === right;
        if (comparison.Type === 'LessThan') return Number(left) < Number(right);
        if (comparison.Type === 'GreaterThanOrEqualTo') return Number(left) >= Number(right);
        throw new Error(`unsupported condition ${String(comparison.Type)}`);
      },
    );
    const holds = comparisons.every(Boolean);
    const branch = valueAt(condition, ['Arguments', holds ? 'IfSteps' : 'ElseSteps']);
    return { holds, steps: objectsOf(branch).map(([, step]) => step) };
  }

  failureMessage(step: JsonObject): string {
    return String(this.evaluate(valueAt(step, ['Arguments', 'ErrorMessage'])));
  }
}

// Scored test records as the training transform writes them (`$[0,-1]`): label, score.
const WELL_RANKED = ['1,0.9', '0,0.2', '1,0.7', '0,0.4'];
const POORLY_RANKED = ['1,0.9', '0,0.7', '1,0.2', '0,0.4'];

describe('training pipelines run their scripts as the definitions call them', () => {
  let scratch: string;
  beforeEach(() => {
    scratch = mkdtempSync(path.join(tmpdir(), 'training-run-'));
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  const records = [
    'churn,age,visits',
    ...Array.from({ length: 20 }, (_, index) => `${index % 2},${30 + index},${index}`),
  ];

  it('Preprocess writes every output the step uploads', () => {
    const run = new PipelineRun('training', scratch);
    const { status, stderr, outputs } = run.runProcessingStep('Preprocess', {
      data: { 'customers.csv': records },
    });
    expect({ status, stderr }).toEqual({ status: 0, stderr: '' });
    const { metadata, ...splits } = outputs;
    for (const [name, directory] of Object.entries(splits)) {
      expect(readdirSync(directory)).toEqual([`${name}.csv`]);
    }
    expect(readdirSync(metadata ?? '')).toEqual(['customer_metadata.json']);
  });

  // CreateModelPackage's CustomerMetadataValue (SageMaker API model, botocore service-2.json).
  const CUSTOMER_METADATA_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,256}$/u;

  it.each([
    ['training', 'sales (EU), 2026/', 'sales @28EU@29@2C 2026/'],
    ['training-hpo', 'x&y/', 'x@26y/'],
    ['training', 'données/été.csv', 'donn@C3@A9es/@C3@A9t@C3@A9.csv'],
  ] as const)(
    '%s records the input %s as customer metadata that CreateModelPackage accepts',
    (id, folder, recorded) => {
      const run = new PipelineRun(id, scratch);
      const bucket = `s3://${SAMPLE_DEPLOYMENT_VALUES.dataBucket}/data/training/`;
      run.parameters.InputDataUrl = `${bucket}${folder}`;
      expect(
        run.runProcessingStep('Preprocess', { data: { 'customers.csv': records } }).status,
      ).toBe(0);
      const metadata = valueAt(run.step('RegisterModel'), [
        'Arguments',
        'CustomerMetadataProperties',
      ]) as JsonObject;
      const inputDataUrl = run.evaluate(metadata.inputDataUrl);
      expect(inputDataUrl).toBe(`${bucket}${recorded}`);
      expect(inputDataUrl).toMatch(CUSTOMER_METADATA_VALUE);
    },
  );

  it.each(['training', 'training-hpo'] as const)(
    '%s registers a model whose test AUC meets AucThreshold',
    (id) => {
      const run = new PipelineRun(id, scratch);
      expect(
        run.runProcessingStep('Evaluate', { scored: { 'test.csv.out': WELL_RANKED } }).status,
      ).toBe(0);
      const decision = run.takeCondition('AucMeetsThreshold');
      expect(decision.steps.map((step) => step.Name)).toEqual(['RegisterModel']);
    },
  );

  it.each(['training', 'training-hpo'] as const)(
    '%s stops without registering below AucThreshold, without the violation marker',
    (id) => {
      const run = new PipelineRun(id, scratch);
      run.runProcessingStep('Evaluate', { scored: { 'test.csv.out': POORLY_RANKED } });
      const decision = run.takeCondition('AucMeetsThreshold');
      expect(decision.steps.map((step) => [step.Name, step.Type])).toEqual([
        ['ModelNotRegistered', 'Fail'],
      ]);
      const message = run.failureMessage(decision.steps[0] ?? {});
      expect(message).toBe('Model not registered: test auc 0.5 is below AucThreshold 0.75');
      expect(message.startsWith(MODEL_QUALITY_VIOLATION_MARKER)).toBe(false);
    },
  );
});

describe('batch inference marks model-quality violations, and only them', () => {
  // Batch transform output with JoinSource=Input: the scored features, then the probability.
  const predictions = {
    'day.csv.out': ['5.1,3.0,0.9', '4.2,1.0,0.2', '6.3,2.2,0.7', '3.3,0.5,0.4'],
  };
  let scratch: string;
  let run: PipelineRun;
  beforeEach(() => {
    scratch = mkdtempSync(path.join(tmpdir(), 'batch-run-'));
    run = new PipelineRun('batch-inference', scratch);
    run.parameters.GroundTruthUrl = 's3://mlops-dev-data-123456789012/ground-truth/day.csv';
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  function modelQualityBranch(groundTruth: string[]) {
    const groundTruthBranch = run.takeCondition('IsGroundTruthMissing');
    expect(groundTruthBranch.steps.map((step) => step.Name)).toEqual([
      'EvaluateModelQuality',
      'IsAucBelowThreshold',
    ]);
    return run.runProcessingStep('EvaluateModelQuality', {
      predictions,
      'ground-truth': { 'day.csv': groundTruth },
    });
  }

  it('skips the model-quality steps without ground truth', () => {
    run.parameters.GroundTruthUrl = '';
    expect(run.takeCondition('IsGroundTruthMissing')).toEqual({ holds: true, steps: [] });
  });

  it('passes a model at or above AucThreshold', () => {
    expect(modelQualityBranch(['1', '0', '0', '1']).status).toBe(0);
    expect(run.takeCondition('IsAucBelowThreshold')).toEqual({ holds: false, steps: [] });
  });

  it('fails a model below AucThreshold with the marker, the metric, its value and the threshold', () => {
    expect(modelQualityBranch(['0', '1', '1', '0']).status).toBe(0);
    const decision = run.takeCondition('IsAucBelowThreshold');
    expect(decision.steps.map((step) => step.Name)).toEqual(['ModelQualityViolation']);
    expect(run.failureMessage(decision.steps[0] ?? {})).toBe(
      `${MODEL_QUALITY_VIOLATION_MARKER} metric=auc value=0.25 threshold=0.7`,
    );
  });

  it('fails the step, not the model, when ground truth does not match the predictions', () => {
    const result = modelQualityBranch(['1', '0']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('model_quality: 4 scored records but 2 ground-truth labels');
    expect(() => run.takeCondition('IsAucBelowThreshold')).toThrow('not written');
  });
});

describe('training pipelines with the feature store run their scripts as the definitions call them', () => {
  // CreateModelPackage's CustomerMetadataValue (SageMaker API model, botocore service-2.json).
  const CUSTOMER_METADATA_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,256}$/u;
  const records = [
    'churned,tenure_months,monthly_charges,support_calls',
    ...Array.from(
      { length: 20 },
      (_, index) => `${index % 2},${3 + index},${20 + index}.5,${index % 4}`,
    ),
  ];
  const history = [
    '"churned","tenure_months","monthly_charges","support_calls","record_id"',
    `"1","40","99.5","3","${'a'.repeat(64)}"`,
    `"0","2","18.0","0","${'b'.repeat(64)}"`,
  ];
  let scratch: string;
  beforeEach(() => {
    scratch = mkdtempSync(path.join(tmpdir(), 'feature-store-run-'));
  });
  afterEach(() => {
    for (const leftover of [scratch, `${scratch}-aws.json`, `${scratch}-fakes.json`]) {
      rmSync(leftover, { recursive: true, force: true });
    }
  });

  function featureStoreRun(id: PipelineId, source: TrainingSource) {
    const template = withFeatureStore(
      readDefinitionTemplate(id),
      sampleFeatureStoreSettings(source),
    );
    return new PipelineRun(
      id,
      scratch,
      renderPipelineDefinition(template, SAMPLE_DEPLOYMENT_VALUES),
    );
  }

  /** Preprocess's outputs, as the feature store steps receive them by input name. */
  function prepared(run: PipelineRun): Record<string, Record<string, string[]>> {
    const { status, outputs } = run.runProcessingStep('Preprocess', {
      data: { 'customers.csv': records },
    });
    expect(status).toBe(0);
    const lines = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean);
    return {
      ...Object.fromEntries(
        (['train', 'validation', 'test'] as const).map((split) => [
          `prepared-${split}`,
          { [`${split}.csv`]: lines(path.join(outputs[split] ?? '', `${split}.csv`)) },
        ]),
      ),
      metadata: {
        'customer_metadata.json': lines(
          path.join(outputs.metadata ?? '', 'customer_metadata.json'),
        ),
      },
    };
  }

  const metadataOf = (run: PipelineRun) =>
    valueAt(run.step('RegisterModel'), ['Arguments', 'CustomerMetadataProperties']) as JsonObject;

  it.each(['training', 'training-hpo'] as const)(
    '%s writes every prepared row, trains on the history and this run, and registers the group, query and window',
    (id) => {
      const run = featureStoreRun(id, 'offline-store');
      const inputs = prepared(run);
      const ingest = run.runProcessingStep('IngestFeatures', inputs, {});
      expect({ status: ingest.status, stderr: ingest.stderr }).toEqual({ status: 0, stderr: '' });
      expect(ingest.aws?.putRecord).toHaveLength(20);
      expect(new Set(ingest.aws?.putRecord.map((call) => call.FeatureGroupName))).toEqual(
        new Set(['mlops-dev-features']),
      );
      expect(ingest.aws?.putRecord[0]?.Record.map((value) => value.FeatureName)).toEqual([
        'record_id',
        'event_time',
        'churned',
        'tenure_months',
        'monthly_charges',
        'support_calls',
      ]);
      expect(ingest.aws?.clients).toEqual([
        {
          service: 'sagemaker-featurestore-runtime',
          region: 'eu-west-1',
          retries: { total_max_attempts: 1, mode: 'standard' },
        },
      ]);

      const ingestion = readFileSync(
        path.join(ingest.outputs.ingestion ?? '', 'feature_ingestion.json'),
        'utf8',
      );
      const build = run.runProcessingStep(
        'BuildTrainingSet',
        { ...inputs, ingestion: { 'feature_ingestion.json': [ingestion] } },
        { queryResult: `${history.join('\n')}\n` },
      );
      expect({ status: build.status, stderr: build.stderr }).toEqual({ status: 0, stderr: '' });
      const [query] = build.aws?.athena ?? [];
      expect(query?.WorkGroup).toBe('mlops-dev-features');
      expect(query?.QueryString).toContain('FROM "mlops_dev_feature_store"."mlops_dev_features"');
      const trainingRows = (['train', 'validation', 'test'] as const).flatMap((split) =>
        readFileSync(path.join(build.outputs[split] ?? '', `${split}.csv`), 'utf8')
          .split('\n')
          .filter(Boolean),
      );
      expect(trainingRows).toHaveLength(22);
      expect(trainingRows).toContain('1,40,99.5,3');

      const train = valueAt(
        run.step(id === 'training' ? 'Train' : 'Tune'),
        id === 'training'
          ? ['Arguments', 'InputDataConfig']
          : ['Arguments', 'TrainingJobDefinition', 'InputDataConfig'],
      ) as JsonObject[];
      expect(valueAt(train[0], ['DataSource', 'S3DataSource', 'S3Uri'])).toEqual({
        Get: "Steps.BuildTrainingSet.ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri",
      });

      const metadata = metadataOf(run);
      const recorded = Object.fromEntries(
        ['featureGroupName', 'queryExecutionId', 'trainingWindow'].map((key) => [
          key,
          run.evaluate(metadata[key]),
        ]),
      );
      expect(recorded).toEqual({
        featureGroupName: 'mlops-dev-features',
        queryExecutionId: '5f1c3c9e-8d5a-4b7e-9c1f-000000000001',
        trainingWindow: expect.stringMatching(
          /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
        ) as unknown,
      });
      for (const value of Object.values(recorded)) expect(value).toMatch(CUSTOMER_METADATA_VALUE);
    },
  );

  it('training on the input keeps the rows in the group and records the group only', () => {
    const run = featureStoreRun('training', 'input');
    expect(run.runProcessingStep('IngestFeatures', prepared(run), {}).status).toBe(0);
    const metadata = metadataOf(run);
    expect(Object.keys(metadata).sort()).toEqual([
      'featureGroupName',
      'inputDataUrl',
      'origin',
      'sourceExecutionArn',
    ]);
    expect(run.evaluate(metadata.featureGroupName)).toBe('mlops-dev-features');
  });

  it('a partial ingestion fails the step with both numbers, and no version can be registered', () => {
    const run = featureStoreRun('training', 'offline-store');
    const ingest = run.runProcessingStep('IngestFeatures', prepared(run), {
      failFirstPutRecords: 1,
    });
    expect(ingest.status).toBe(1);
    expect(ingest.stderr).toContain(
      'ingest_features: wrote 19 of 20 prepared rows to feature group mlops-dev-features; 1 failed:',
    );
    expect(() => run.evaluate(metadataOf(run).featureGroupName)).toThrow('not written');
  });
});
