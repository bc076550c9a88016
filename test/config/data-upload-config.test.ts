import { dataUploadConfigSchema } from '../../functions/config/data-upload-config';
import { parseConfig, parseConfigFromEnvironment } from '../../functions/config/parse-config';
import { ConfigurationError } from '../../functions/errors';

const route = {
  name: 'inference-data',
  bucket: 'my-data-bucket',
  prefix: 'data/inference/',
  mode: 'object',
  pipeline: 'mlops-dev-batch-inference',
  inputParameter: 'InputDataUrl',
};

function parse(raw: unknown) {
  return parseConfig(dataUploadConfigSchema, raw, 'custom.mlops.dataUpload');
}

describe('data upload configuration', () => {
  it('fills documented defaults', () => {
    const config = parse({ routes: [{ ...route, mode: 'folder' }] });
    expect(config).toEqual({
      routes: [{ ...route, mode: 'folder', windowSeconds: 900, parameters: {} }],
      sageMaker: {
        maxAttempts: 8,
        retryMode: 'standard',
        connectionTimeoutMs: 2_000,
        requestTimeoutMs: 5_000,
      },
      maxConcurrentStarts: 32,
      finishReserveMs: 5_000,
      maxQuotaWaitHours: 24,
    });
  });

  it.each<[string, unknown, string]>([
    ['no routes', { routes: [] }, 'routes: '],
    [
      'pipeline name with underscore',
      { routes: [{ ...route, pipeline: 'my_pipeline' }] },
      'routes[0].pipeline: must be',
    ],
    [
      'parameter name with underscore',
      { routes: [{ ...route, inputParameter: 'input_url' }] },
      'routes[0].inputParameter',
    ],
    ['unknown mode', { routes: [{ ...route, mode: 'batch' }] }, 'routes[0].mode'],
    [
      'a parameter naming a segment the prefix does not',
      {
        routes: [
          {
            ...route,
            prefix: 'data/ground-truth/{date}/',
            parameters: { InputDataUrl: 's3://b/data/inference/{day}/' },
          },
        ],
      },
      'routes[0].parameters.InputDataUrl: uses {day}, which the prefix data/ground-truth/{date}/ does not name (it names {date})',
    ],
    [
      'a placeholder that is part of a segment',
      { routes: [{ ...route, prefix: 'data/day-{day}/' }] },
      'routes[0].prefix: has "day-{day}": a placeholder is a whole path segment',
    ],
    [
      'a placeholder as the last, file-name part',
      { routes: [{ ...route, prefix: 'data/{day}' }] },
      'routes[0].prefix: ends in a placeholder',
    ],
    [
      'a segment named twice',
      { routes: [{ ...route, prefix: 'data/{day}/{day}/' }] },
      'routes[0].prefix: names the segment {day} twice',
    ],
    [
      'trigger-file without trigger files',
      { routes: [{ ...route, mode: 'trigger-file' }] },
      'routes[0].triggerFiles',
    ],
    ['misspelled key', { routes: [{ ...route, pipleine: 'x' }] }, 'pipleine'],
    ['bad bucket', { routes: [{ ...route, bucket: 'My_Bucket' }] }, 'routes[0].bucket'],
    [
      'input parameter also static',
      { routes: [{ ...route, parameters: { InputDataUrl: 's3://x/' } }] },
      'routes[0].parameters: inputParameter must not also be listed',
    ],
    [
      'static value over 1024 characters',
      { routes: [{ ...route, parameters: { Note: 'x'.repeat(1025) } }] },
      'routes[0].parameters.Note',
    ],
    [
      'two routes claiming the same objects',
      { routes: [route, { ...route, name: 'other' }] },
      'routes[1]: claims the same bucket, prefix and suffix as routes[0]',
    ],
    [
      'duplicate route names',
      { routes: [route, { ...route, prefix: 'other/' }] },
      'routes[1].name: duplicates the name of routes[0]',
    ],
    [
      'window below a minute',
      { routes: [{ ...route, mode: 'folder', windowSeconds: 5 }] },
      'routes[0].windowSeconds',
    ],
    [
      'a reserve that leaves no time for the response',
      { routes: [route], finishReserveMs: 500 },
      'finishReserveMs: must be between 2000 and 30000',
    ],
    [
      'no request timeout (0 would wait forever)',
      { routes: [route], sageMaker: { requestTimeoutMs: 0 } },
      'sageMaker.requestTimeoutMs: must be between 500 and 30000',
    ],
  ])('%s: the error names the key', (_why, raw, expected) => {
    expect(() => parse(raw)).toThrow(ConfigurationError);
    expect(() => parse(raw)).toThrow(`Invalid configuration in custom.mlops.dataUpload: `);
    expect(() => parse(raw)).toThrow(expected);
  });

  it('accepts whole numbers given as strings, as command-line --param overrides arrive', () => {
    const config = parse({
      routes: [{ ...route, mode: 'folder', windowSeconds: '600' }],
      maxConcurrentStarts: '2',
    });
    expect(config.routes[0]).toMatchObject({ windowSeconds: 600 });
    expect(config.maxConcurrentStarts).toBe(2);
  });

  it.each(['ten', '90.5', ''])('rejects %j as a window', (windowSeconds) => {
    expect(() => parse({ routes: [{ ...route, mode: 'folder', windowSeconds }] })).toThrow(
      'routes[0].windowSeconds',
    );
  });

  it('reads the JSON document from the environment', () => {
    const environment = { DATA_UPLOAD_CONFIG: JSON.stringify({ routes: [route] }) };
    expect(
      parseConfigFromEnvironment(dataUploadConfigSchema, environment, 'DATA_UPLOAD_CONFIG').routes,
    ).toHaveLength(1);
  });

  it.each([
    [{}, 'Environment variable DATA_UPLOAD_CONFIG is not set'],
    [{ DATA_UPLOAD_CONFIG: '{' }, 'Environment variable DATA_UPLOAD_CONFIG is not JSON'],
    [
      { DATA_UPLOAD_CONFIG: '{"routes":[]}' },
      'Invalid configuration in DATA_UPLOAD_CONFIG: routes: ',
    ],
  ])('fails at cold start on %j', (environment, message) => {
    expect(() =>
      parseConfigFromEnvironment(dataUploadConfigSchema, environment, 'DATA_UPLOAD_CONFIG'),
    ).toThrow(message);
  });
});
