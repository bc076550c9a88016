import { ConfigurationError } from '../../functions/errors';
import { InvalidDeploymentConfigError } from '../../tooling/configuration-problems';
import { thrownError } from '../support/thrown-error';
import { parseDeploymentConfig, recipientSubscriptions } from '../../tooling/deployment-config';
import { pipelineCodeObjects } from '../../tooling/pipeline-code-upload';

const pipelines = {
  training: 'p-training',
  trainingHpo: 'p-training-hpo',
  batchInference: 'p-batch-inference',
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
      'pipeline-code/csv_table.py',
      'pipeline-code/customer_metadata.py',
      'pipeline-code/evaluate.py',
      'pipeline-code/model_quality.py',
      'pipeline-code/preprocess.py',
    ]);
    expect(
      objects.every((object) => object.Bucket === 'my-data-bucket' && object.Body.length > 0),
    ).toBe(true);
  });
});
