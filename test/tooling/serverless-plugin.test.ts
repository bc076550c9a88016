import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freeLoopbackPort } from '../../tooling/local/loopback-port';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the plugin is CommonJS, as Serverless loads it
const MlopsConfigPlugin = require('../../tooling/serverless-mlops-config.js');

function fakeServerless(resources: Record<string, unknown> = {}, stage = 'dev') {
  const requests: Array<[string, string, Record<string, unknown>]> = [];
  return {
    requests,
    serverless: {
      classes: { Error },
      service: {
        provider: { region: 'eu-west-1', compiledCloudFormationTemplate: { Resources: resources } },
      },
      getProvider: () => ({
        getStage: () => stage,
        naming: { getStackName: () => `svc-${stage}` },
        request: async (service: string, method: string, params: Record<string, unknown>) => {
          requests.push([service, method, params]);
          if (method !== 'describeStacks') return {};
          // CloudFormation has resolved the account id in the default bucket's name.
          const bucket = 'svc-dev-data-123456789012-eu-west-1';
          return { Stacks: [{ Outputs: [{ OutputKey: 'DataBucketName', OutputValue: bucket }] }] };
        },
      }),
    },
  };
}

describe('the Serverless plugin', () => {
  const log = { info: jest.fn() };

  it("after deploy, uploads the step scripts to the data bucket the stack's output names", async () => {
    const { serverless, requests } = fakeServerless();
    const plugin = new MlopsConfigPlugin(serverless, {}, { log });
    await plugin.hooks['after:deploy:deploy']();
    expect(requests[0]).toEqual(['CloudFormation', 'describeStacks', { StackName: 'svc-dev' }]);
    expect(
      requests.map(([service, method, params]) => [service, method, params.Bucket, params.Key]),
    ).toContainEqual([
      'S3',
      'putObject',
      'svc-dev-data-123456789012-eu-west-1',
      'pipeline-code/preprocess.py',
    ]);
    // One DescribeStacks, then one upload per step script.
    expect(requests).toHaveLength(10);
  });

  it('a failed upload fails the deploy', async () => {
    const { serverless } = fakeServerless();
    serverless.getProvider = () => ({
      getStage: () => 'dev',
      naming: { getStackName: () => 'svc-dev' },
      request: async () => {
        throw new Error('AccessDenied');
      },
    });
    const plugin = new MlopsConfigPlugin(serverless, {}, { log });
    await expect(plugin.hooks['after:deploy:deploy']()).rejects.toThrow('AccessDenied');
  });

  it('adds an alarm for each function and dead-letter queue of the compiled template', () => {
    const resources = {
      FooLambdaFunction: { Type: 'AWS::Lambda::Function' },
      FooDeadLetterQueue: { Type: 'AWS::SQS::Queue' },
      FooBuffer: { Type: 'AWS::SQS::Queue' },
    };
    const plugin = new MlopsConfigPlugin(fakeServerless(resources).serverless, {}, { log });
    plugin.hooks['after:aws:package:finalize:mergeCustomProviderResources']();
    expect(Object.keys(resources).sort()).toEqual([
      'FooBuffer',
      'FooDeadLetterQueue',
      'FooDeadLetterQueueDepthAlarm',
      'FooErrorsAlarm',
      'FooLambdaFunction',
    ]);
  });

  it('fails packaging, naming the limit, when a generated name is too long', () => {
    const resources = {
      FooLambdaFunction: {
        Type: 'AWS::Lambda::Function',
        Properties: { FunctionName: `svc-dev-${'x'.repeat(60)}` },
      },
    };
    const plugin = new MlopsConfigPlugin(fakeServerless(resources).serverless, {}, { log });
    expect(() => plugin.hooks['after:aws:package:finalize:mergeCustomProviderResources']()).toThrow(
      'a Lambda function name has at most 64',
    );
  });

  it('serverless invoke local gets the configuration completed for the sample account', async () => {
    const { serverless } = fakeServerless();
    const invoked = {
      ...serverless,
      processedInput: { commands: ['invoke', 'local'] },
      service: {
        ...serverless.service,
        functions: {
          onDataUpload: {
            environment: {
              PLAIN: 'x',
              CONFIG: { 'Fn::Sub': '{"bucket":"svc-dev-data-${AWS::AccountId}-${AWS::Region}"}' },
            },
          },
        },
      },
    };
    const plugin = new MlopsConfigPlugin(invoked, {}, { log });
    await plugin.hooks.initialize();
    expect(invoked.service.functions.onDataUpload.environment).toEqual({
      PLAIN: 'x',
      CONFIG: '{"bucket":"svc-dev-data-123456789012-eu-west-1"}',
    });
  });

  describe('serverless invoke local of a sample of events/ (written for the dev stage)', () => {
    const sample = JSON.parse(
      readFileSync(join(__dirname, '..', '..', 'events', 'inference-uploads.sqs.json'), 'utf8'),
    ) as unknown;
    const invokedAt = (stage: string, data: unknown) => {
      const { serverless } = fakeServerless({}, stage);
      const invoked = {
        ...serverless,
        processedInput: { commands: ['invoke', 'local'] },
        service: {
          ...serverless.service,
          getFunction: (name: string) => ({ name: `svc-${stage}-${name}` }),
        },
      };
      return new MlopsConfigPlugin(invoked, { function: 'onDataUpload', data }, { log });
    };

    it.each([
      ['dev', 'the stage the samples name', sample],
      ['prod', 'an event of no sample', { Records: [{ body: '{"account":"210987654321"}' }] }],
    ])('goes to stage %s as it is: %s', async (stage, _, data) => {
      const plugin = invokedAt(stage, data);
      await plugin.hooks.initialize();
      await expect(plugin.hooks['invoke:local:loadEnvVars']()).resolves.toBeUndefined();
    });

    it('is refused by another deployed stage, naming the mismatch, rather than ignored there', async () => {
      const plugin = invokedAt('prod', sample);
      await plugin.hooks.initialize();
      await expect(plugin.hooks['invoke:local:loadEnvVars']()).rejects.toThrow(
        "The event is a sample of events/, written for the dev stage (account 123456789012, its resources): stage prod's functions would ignore it.",
      );
    });

    it('with --stage local, needs the running local cloud, and says how to start one', async () => {
      const port = await freeLoopbackPort();
      const saved = process.env.LOCAL_CONTROL_PORT;
      process.env.LOCAL_CONTROL_PORT = String(port);
      try {
        await expect(invokedAt('local', sample).hooks.initialize()).rejects.toThrow(
          `No local cloud is running (nothing answers at http://127.0.0.1:${port}): start one with npm start in another terminal, then invoke again.`,
        );
      } finally {
        process.env.LOCAL_CONTROL_PORT = saved;
      }
    });
  });

  it('fails every configuration variable with one error that names the --param, so it is listed once', async () => {
    const written = {
      custom: {
        mlops: {
          notifications: { recipients: [{ email: '${param:reviewerEmail}', categories: 'all' }] },
        },
      },
      params: { default: { reviewerEmail: '' } },
    };
    const resolved: Record<string, unknown> = {
      'self:custom.mlops': {
        dataUpload: {
          routes: [
            {
              name: 'inference-data',
              bucket: 'my-data-bucket',
              mode: 'object',
              pipeline: 'p-batch-inference',
              inputParameter: 'InputDataUrl',
            },
          ],
        },
        notifications: { recipients: [{ email: 'not-an-address', categories: 'all' }] },
      },
      'self:custom.pipelines': {
        training: 'p-training',
        'training-hpo': 'p-training-hpo',
        'batch-inference': 'p-batch-inference',
      },
      'self:provider.region': 'eu-west-1',
      'sls:stage': 'dev',
      'self:service': 'p',
      'self:custom.modelPackageGroup': 'p-models',
    };
    const { serverless } = fakeServerless();
    const plugin = new MlopsConfigPlugin(
      { ...serverless, configurationInput: written },
      { param: ['reviewerEmail=not-an-address'] },
      { log },
    );
    const resolve = (address: string) =>
      plugin.configurationVariablesSources.mlops
        .resolve({ address, resolveVariable: async (name: string) => resolved[name] })
        .catch((error: unknown) => error);
    const [first, second] = await Promise.all([resolve('functions'), resolve('images.xgboost')]);
    expect(first).toBe(second);
    expect((first as Error).message).toBe(
      'Cannot resolve variable at "custom.mlops": Invalid configuration: parameter reviewerEmail (--param="reviewerEmail=not-an-address"): Invalid email address; used by custom.mlops.notifications.recipients[0].email',
    );
  });
});
