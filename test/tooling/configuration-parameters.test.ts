import {
  type ParameterSources,
  describeProblemsWithParameters,
  parameterOrigin,
} from '../../tooling/configuration-parameters';

// custom.mlops as serverless.yml writes it, and as Serverless resolved it for the run.
const writtenMlops = {
  notifications: { recipients: [{ email: '${param:reviewerEmail}', categories: ['drift'] }] },
  schedules: [
    { name: 'monthly-training', enabled: '${param:schedulesEnabled}' },
    {
      name: 'daily-scoring',
      enabled: '${param:schedulesEnabled}',
      parameters: { InputDataUrl: 's3://${param:dataBucket}/data/{{day}}/' },
    },
  ],
  dataUpload: { routes: [{ name: 'training-data', windowSeconds: 30 }] },
};
const parameterValues = {
  reviewerEmail: 'not-an-address',
  schedulesEnabled: 'no',
  dataBucket: 'my-bucket',
};
const resolvedMlops: unknown = JSON.parse(
  Object.entries(parameterValues).reduce(
    (text, [name, value]) => text.replaceAll(`\${param:${name}}`, value),
    JSON.stringify(writtenMlops),
  ),
);
const sources: ParameterSources = {
  writtenMlops,
  writtenParams: {
    default: { schedulesEnabled: 'true', dataBucket: 'x' },
    dev: { dataBucket: 'y' },
  },
  commandLine: ['reviewerEmail=someone', 'reviewerEmail=not-an-address'],
  stage: 'dev',
};

describe('configuration problems under the parameter the user typed', () => {
  it.each<[string, string]>([
    ['reviewerEmail', '--param="reviewerEmail=not-an-address"'],
    ['dataBucket', 'params.dev.dataBucket in serverless.yml'],
    ['schedulesEnabled', 'params.default.schedulesEnabled in serverless.yml'],
    ['opsEmail', 'not set'],
  ])('%s was set by %s (the last --param wins, then the stage, then default)', (name, origin) => {
    expect(parameterOrigin(name, sources)).toBe(origin);
  });

  it('says a value that is one parameter once, under that parameter, with every key that uses it', () => {
    expect(
      describeProblemsWithParameters(
        [
          { path: ['schedules', 0, 'enabled'], message: 'must be true or false, not "no"' },
          { path: ['schedules', 1, 'enabled'], message: 'must be true or false, not "no"' },
        ],
        resolvedMlops,
        sources,
      ),
    ).toBe(
      'Invalid configuration: parameter schedulesEnabled (params.default.schedulesEnabled in serverless.yml): must be true or false, not "no"; used by custom.mlops.schedules[0].enabled (schedule monthly-training) and custom.mlops.schedules[1].enabled (schedule daily-scoring)',
    );
  });

  it('names the --param, not the key it was copied into', () => {
    expect(
      describeProblemsWithParameters(
        [{ path: ['notifications', 'recipients', 0, 'email'], message: 'Invalid email address' }],
        resolvedMlops,
        sources,
      ),
    ).toBe(
      'Invalid configuration: parameter reviewerEmail (--param="reviewerEmail=not-an-address"): Invalid email address; used by custom.mlops.notifications.recipients[0].email',
    );
  });

  it('finds the parameter of a list a whole parameter gave, for a problem with one of its items', () => {
    const listFromParameter = {
      ...sources,
      writtenMlops: { notifications: { recipients: [{ categories: '${param:categories}' }] } },
      commandLine: ['categories=drift'],
    };
    expect(
      describeProblemsWithParameters(
        [{ path: ['notifications', 'recipients', 0, 'categories', 0], message: 'bad' }],
        {},
        listFromParameter,
      ),
    ).toMatch(/^Invalid configuration: parameter categories \(--param="categories=drift"\): bad;/);
  });

  it('says which parameters a value was built from, and names keys that use none', () => {
    expect(
      describeProblemsWithParameters(
        [
          {
            path: ['schedules', 1, 'parameters', 'InputDataUrl'],
            message: 'unknown placeholder {{day}}',
          },
          {
            path: ['dataUpload', 'routes', 0, 'windowSeconds'],
            message: 'must be between 60 and 86400',
          },
        ],
        resolvedMlops,
        sources,
      ),
    ).toBe(
      [
        'Invalid configuration (2 problems):',
        '  - custom.mlops.schedules[1].parameters.InputDataUrl (schedule daily-scoring), built from parameter dataBucket (params.dev.dataBucket in serverless.yml): unknown placeholder {{day}}',
        '  - custom.mlops.dataUpload.routes[0].windowSeconds (route training-data): must be between 60 and 86400',
      ].join('\n'),
    );
  });
});
