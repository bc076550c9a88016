import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { type IncomingHttpHeaders, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { type PackagedFunction, packageFunctions } from '../../tooling/package-function';

const run = promisify(execFile);

// Code of the credential providers the bundles leave out (serverless.yml, custom.esbuild.exclude):
// the SSO, SSO-OIDC and STS clients they bring along.
const LEFT_OUT_CODE = [
  'GetRoleCredentialsCommand',
  'CreateTokenCommand',
  'AssumeRoleWithWebIdentity',
];

// What Lambda sets in every function's environment (reserved variables), and nothing else that
// would point the SDK at a profile, a config file or a token.
const LAMBDA_KEYS = {
  AWS_ACCESS_KEY_ID: 'ASIALAMBDAENVKEY0001',
  AWS_SECRET_ACCESS_KEY: 'lambda-secret',
  AWS_SESSION_TOKEN: 'lambda-session-token',
};

/** Runs a packaged function's handler once in a fresh node, as Lambda would load it. */
async function invokeBundle(fn: PackagedFunction, event: unknown, endpoint: string) {
  const script = `
    const { handler } = require(${JSON.stringify(fn.bundle)});
    const context = { functionName: 'getApprovedModel', awsRequestId: 'credentials-test', getRemainingTimeInMillis: () => 30000 };
    handler(${JSON.stringify(event)}, context).then(
      (result) => process.stdout.write(JSON.stringify({ result })),
      (error) => process.stdout.write(JSON.stringify({ error: error.name + ': ' + error.message })),
    );`;
  const { stdout } = await run(process.execPath, ['-e', script], {
    // The bundle lies in a temporary folder with no node_modules above it, and HOME holds no
    // AWS config: only the environment's keys can sign.
    cwd: fn.bundle.replace(/\/[^/]+$/, ''),
    env: {
      PATH: process.env.PATH,
      HOME: '/nonexistent',
      ...fn.environment,
      ...LAMBDA_KEYS,
      AWS_REGION: 'eu-west-1',
      AWS_ENDPOINT_URL_SAGEMAKER: endpoint,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
  });
  return JSON.parse(stdout) as { result?: unknown; error?: string };
}

describe('the packaged functions sign with the keys Lambda puts in their environment', () => {
  let packaged: ReturnType<typeof packageFunctions>;

  // A stage of its own: packaging shares no work folder with the other tests.
  beforeAll(() => {
    packaged = packageFunctions('credentials');
  }, 120_000);
  afterAll(() => packaged.remove());

  it('leaves the profile, SSO and web-identity providers out of every bundle', () => {
    for (const fn of packaged.functions) {
      const code = readFileSync(fn.bundle, 'utf8');
      expect({ fn: fn.name, found: LEFT_OUT_CODE.filter((text) => code.includes(text)) }).toEqual({
        fn: fn.name,
        found: [],
      });
    }
  });

  it('calls SageMaker signed with the environment keys, with no provider left out needed', async () => {
    const requests: IncomingHttpHeaders[] = [];
    const server = createServer((request, response) => {
      requests.push(request.headers);
      request.resume();
      request.on('end', () => {
        response.setHeader('content-type', 'application/x-amz-json-1.1');
        response.end(JSON.stringify({ ModelPackageSummaryList: [] }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const fn = packaged.functions.find(({ name }) => name === 'getApprovedModel');
      if (fn === undefined) throw new Error('no getApprovedModel function in the package');
      const { port } = server.address() as AddressInfo;
      const outcome = await invokeBundle(
        fn,
        { ModelPackageGroupName: 'churn-models' },
        `http://127.0.0.1:${port}`,
      );

      // The group has no approved version: the handler's own typed error, not a missing module.
      expect(outcome.error).toMatch(/approved/i);
      expect(requests).toHaveLength(1);
      expect(requests[0]?.authorization).toContain(`Credential=${LAMBDA_KEYS.AWS_ACCESS_KEY_ID}/`);
      expect(requests[0]?.['x-amz-security-token']).toBe(LAMBDA_KEYS.AWS_SESSION_TOKEN);
    } finally {
      server.close();
    }
  }, 30_000);
});
