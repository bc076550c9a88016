import { ConfigurationError } from '../../functions/errors';
import { InvalidDeploymentConfigError } from '../../tooling/configuration-problems';
import { thrownError } from '../support/thrown-error';
import { parseDeploymentConfig, recipientSubscriptions } from '../../tooling/deployment-config';
import { pipelineCodeObjects } from '../../tooling/pipeline-code-upload';

const pipelines = {
  training: 'p-training',
  'training-hpo': 'p-training-hpo',
  'batch-inference': 'p-batch-inference',
};
const route = {
  name: 'inference-data',
  bucket: 'my-data-bucket',
  prefix: 'data/inference/',
  mode: 'object',
  pipeline: 'p-batch-inference',
  inputParameter: 'InputDataUrl',
  parameters: { ModelPackageGroupName: 'g' },
};

function parse(routeChange: Record<string, unknown>) {
  return parseDeploymentConfig(
    { dataUpload: { routes: [{ ...route, ...routeChange }] } },
    pipelines,
  );
}

describe('deployment configuration across sections', () => {
  it("accepts routes that start this stack's pipelines with parameters they declare", () => {
    expect(parse({}).pipelines).toEqual({
      training: 'p-training',
      'training-hpo': 'p-training-hpo',
      'batch-inference': 'p-batch-inference',
    });
  });

  it.each<[string, Record<string, unknown>, string]>([
    [
      'a misspelled pipeline name',
      { pipeline: 'p-batch-inferense' },
      "custom.mlops.dataUpload.routes[0].pipeline (route inference-data): p-batch-inferense is not one of this stack's pipelines",
    ],
    [
      'an input parameter the pipeline does not declare',
      { inputParameter: 'InputUrl' },
      'custom.mlops.dataUpload.routes[0].inputParameter (route inference-data): pipeline batch-inference declares no parameter InputUrl',
    ],
    [
      'a static parameter the pipeline does not declare',
      { pipeline: 'p-training', parameters: { ModelPackageGroup: 'g' } },
      'custom.mlops.dataUpload.routes[0].parameters.ModelPackageGroup (route inference-data): pipeline training declares no parameter ModelPackageGroup',
    ],
  ])('rejects %s, naming the key', (_why, change, message) => {
    expect(() => parse(change)).toThrow(ConfigurationError);
    expect(() => parse(change)).toThrow(message);
  });

  it("batches the upload buffer by Lambda's limits, 1000 messages in 60 seconds unless set", () => {
    expect(parse({}).uploadBuffer).toEqual({ batchSize: 1000, batchWindowSeconds: 60 });
    expect(() =>
      parseDeploymentConfig(
        { dataUpload: { routes: [route] }, uploadBuffer: { batchWindowSeconds: '301' } },
        pipelines,
      ),
    ).toThrow('custom.mlops.uploadBuffer.batchWindowSeconds: must be between 0 and 300');
  });

  it('a step notification names a pipeline id or *', () => {
    const template = {
      pipeline: 'trainig',
      step: 'Train',
      statuses: ['Failed'],
      subject: 's',
      body: 'b',
    };
    expect(() =>
      parseDeploymentConfig(
        { dataUpload: { routes: [route] }, notifications: { stepNotifications: [template] } },
        pipelines,
      ),
    ).toThrow(
      'custom.mlops.notifications.stepNotifications[0].pipeline: trainig is not a pipeline id',
    );
  });

  it.each<[string, string]>([
    ['cron(0 6 * * *)', 'a cron expression has 6 fields'],
    ['cron(0 25 * * ? *)', 'hours "25" is outside 0-23'],
  ])(
    'a schedule expression EventBridge would reject fails, naming the schedule: %s',
    (expression, problem) => {
      const schedule = {
        name: 'daily-scoring',
        expression,
        pipeline: 'batch-inference',
        parameters: { InputDataUrl: 's3://b/data/{{yyyy}}/' },
      };
      expect(() =>
        parseDeploymentConfig(
          { dataUpload: { routes: [route] }, schedules: [schedule] },
          pipelines,
        ),
      ).toThrow(
        `custom.mlops.schedules[0].expression (schedule daily-scoring): ${expression}: ${problem}`,
      );
    },
  );

  it('validates the notifications section with its own schema', () => {
    expect(() =>
      parseDeploymentConfig(
        {
          dataUpload: { routes: [route] },
          notifications: { recipients: [{ email: 'not-an-address', categories: 'all' }] },
        },
        pipelines,
      ),
    ).toThrow('custom.mlops.notifications.recipients[0].email: Invalid email address');
    expect(() =>
      parseDeploymentConfig(
        {
          dataUpload: { routes: [route] },
          notifications: { recipients: [{ email: 'a@b.example', categories: ['approvals'] }] },
        },
        pipelines,
      ),
    ).toThrow(
      'custom.mlops.notifications.recipients[0].categories: must be all or a list of model-approval, pipeline-failure, pipeline-status, drift, retraining, schedule, not ["approvals"]',
    );
  });

  it('reports every problem of every section at once, each once and by the name of its item', () => {
    const schedule = {
      name: 'daily-scoring',
      expression: 'cron(0 6 * * ? *)',
      pipeline: 'batch-inference',
      parameters: { InputDataUrl: 's3://b/in/' },
    };
    const parse = () =>
      parseDeploymentConfig(
        {
          dataUpload: { routes: [{ ...route, mode: 'folder', windowSeconds: 5 }] },
          schedules: [{ ...schedule, enabled: 'no' }],
          retraining: { cooldownHours: 'soon' },
        },
        pipelines,
      );
    expect(parse).toThrow(InvalidDeploymentConfigError);
    expect(parse).toThrow(
      [
        'Invalid configuration (3 problems):',
        '  - custom.mlops.dataUpload.routes[0].windowSeconds (route inference-data): must be between 60 and 86400',
        '  - custom.mlops.retraining.cooldownHours: must be a whole number, not "soon"',
        '  - custom.mlops.schedules[0].enabled (schedule daily-scoring): must be true or false, not "no"',
      ].join('\n'),
    );
  });

  it('keeps the problems apart, each with its key as a path', () => {
    const error = thrownError(() => parse({ pipeline: 'p-batch-inferense' }));
    expect(error).toBeInstanceOf(InvalidDeploymentConfigError);
    const { problems } = error as InvalidDeploymentConfigError;
    expect(problems).toEqual([
      {
        path: ['dataUpload', 'routes', 0, 'pipeline'],
        message:
          "p-batch-inferense is not one of this stack's pipelines (p-training, p-training-hpo, p-batch-inference)",
      },
    ]);
  });
});

describe('the dataset schema and the feature store', () => {
  const dataset = {
    label: 'churned',
    features: [
      { name: 'tenure_months', type: 'Integral' },
      { name: 'monthly_charges', type: 'Fractional' },
    ],
  };
  const withDataset = (change: Record<string, unknown>, featureStore: unknown = undefined) =>
    parseDeploymentConfig(
      { dataUpload: { routes: [route] }, dataset: { ...dataset, ...change }, featureStore },
      pipelines,
    );

  it('reads the dataset schema; the feature store is off unless enabled', () => {
    const deployment = withDataset({});
    expect(deployment.dataset?.features.map((feature) => feature.name)).toEqual([
      'tenure_months',
      'monthly_charges',
    ]);
    expect(deployment.featureStore).toEqual({
      enabled: false,
      onlineStore: false,
      trainingSource: 'input',
      historyDays: 90,
      maxScannedGigabytes: 100,
    });
  });

  it.each<[string, Record<string, unknown>, string]>([
    [
      'a name the feature store refuses',
      { features: [{ name: 'tenure months', type: 'Integral' }] },
      'custom.mlops.dataset.features[0].name: must be 1-64 letters or digits',
    ],
    [
      'a name the offline store already has',
      { features: [{ name: 'write_time', type: 'Integral' }] },
      'features[0].name: write_time is reserved',
    ],
    [
      'two names that differ in case only, as Glue stores them alike',
      {
        features: [
          { name: 'Tenure', type: 'Integral' },
          { name: 'tenure', type: 'Integral' },
        ],
      },
      'features[1].name: tenure is already the name of features[0]',
    ],
    [
      'a feature named like the label',
      { features: [{ name: 'Churned', type: 'Integral' }] },
      'features[0].name: Churned is already the name of the label',
    ],
    [
      'a type the numeric training set cannot hold',
      { features: [{ name: 'plan', type: 'String' }] },
      'features[0].type',
    ],
  ])('rejects a dataset schema with %s, naming the key', (_why, change, message) => {
    expect(() => withDataset(change)).toThrow(message);
  });

  it('the feature store needs the dataset schema', () => {
    expect(() =>
      parseDeploymentConfig(
        { dataUpload: { routes: [route] }, featureStore: { enabled: 'true' } },
        pipelines,
      ),
    ).toThrow('custom.mlops.featureStore.enabled: the feature group needs custom.mlops.dataset');
    expect(
      withDataset({}, { enabled: 'true', trainingSource: 'offline-store' }).featureStore,
    ).toMatchObject({ enabled: true, trainingSource: 'offline-store' });
  });

  it('rejects an unknown training source, naming the key', () => {
    expect(() => withDataset({}, { enabled: true, trainingSource: 'history' })).toThrow(
      'custom.mlops.featureStore.trainingSource: Invalid option',
    );
  });
});

describe('recipientSubscriptions', () => {
  it('keys subscriptions by address, so reordering recipients keeps them', () => {
    const a = { email: 'a@example.com', categories: 'all' as const, ops: false };
    const b = { email: 'b@example.com', categories: ['drift' as const], ops: true };
    expect(Object.keys(recipientSubscriptions({ recipients: [a, b] })).sort()).toEqual(
      Object.keys(recipientSubscriptions({ recipients: [b, a] })).sort(),
    );
    expect(Object.keys(recipientSubscriptions({ recipients: [a, b] }))).toHaveLength(3);
  });

  it('leaves out recipients without an address', () => {
    expect(
      recipientSubscriptions({ recipients: [{ email: '', categories: 'all', ops: true }] }),
    ).toEqual({});
  });
});

describe('pipelineCodeObjects', () => {
  it('uploads every step script, and not the tests, under pipeline-code/', () => {
    const objects = pipelineCodeObjects('my-data-bucket');
    expect(objects.map((object) => object.Key).sort()).toEqual([
      'pipeline-code/binary_classification_metrics.py',
      'pipeline-code/build_training_set.py',
      'pipeline-code/csv_table.py',
      'pipeline-code/customer_metadata.py',
      'pipeline-code/evaluate.py',
      'pipeline-code/feature_records.py',
      'pipeline-code/ingest_features.py',
      'pipeline-code/model_quality.py',
      'pipeline-code/preprocess.py',
    ]);
    expect(
      objects.every((object) => object.Bucket === 'my-data-bucket' && object.Body.length > 0),
    ).toBe(true);
  });
});
