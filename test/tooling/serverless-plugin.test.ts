// eslint-disable-next-line @typescript-eslint/no-require-imports -- the plugin is CommonJS, as Serverless loads it
const MlopsConfigPlugin = require('../../tooling/serverless-mlops-config.js');

function fakeServerless(resources: Record<string, unknown> = {}) {
  const requests: Array<[string, string, Record<string, unknown>]> = [];
  return {
    requests,
    serverless: {
      classes: { Error },
      service: {
        custom: { dataBucket: 'my-data-bucket' },
        provider: { compiledCloudFormationTemplate: { Resources: resources } },
      },
      getProvider: () => ({
        request: async (service: string, method: string, params: Record<string, unknown>) => {
          requests.push([service, method, params]);
          return {};
        },
      }),
    },
  };
}

describe('the Serverless plugin', () => {
  const log = { info: jest.fn() };

  it('after deploy, uploads the step scripts to the data bucket', async () => {
    const { serverless, requests } = fakeServerless();
    const plugin = new MlopsConfigPlugin(serverless, {}, { log });
    await plugin.hooks['after:deploy:deploy']();
    expect(
      requests.map(([service, method, params]) => [service, method, params.Bucket, params.Key]),
    ).toContainEqual(['S3', 'putObject', 'my-data-bucket', 'pipeline-code/preprocess.py']);
    expect(requests).toHaveLength(9);
  });

  it('a failed upload fails the deploy', async () => {
    const { serverless } = fakeServerless();
    serverless.getProvider = () => ({
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
});
