import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FunctionError, startLambdaRuntime } from '../../tooling/local/lambda-runtime';
import type { LocalFunction } from '../../tooling/local/stack-wiring';

const code = mkdtempSync(join(tmpdir(), 'lambda-code-'));
mkdirSync(join(code, 'functions'));
writeFileSync(
  join(code, 'functions', 'probe.js'),
  `exports.handler = async (event, context) => {
    if (event.fail) throw Object.assign(new Error('asked to fail'), { name: 'AskedError' });
    if (event.hang) return new Promise(() => undefined);
    if (event.say) {
      console.log(JSON.stringify({ level: 'INFO', message: 'Object ignored', service: 'probe', reason: event.say }));
      console.warn('No application metrics to publish. The cold-start metric may be published if enabled.');
      process.stdout.write('half a ');
      process.stdout.write('line\\n');
      return 'said';
    }
    return {
      own: process.env.OWN_SETTING,
      platform: process.env.AWS_ENDPOINT_URL_SAGEMAKER,
      leaked: process.env.PARENT_ONLY ?? null,
      name: context.functionName,
      hasTime: context.getRemainingTimeInMillis() > 0,
    };
  };`,
);

const probe: LocalFunction = {
  logicalId: 'ProbeLambdaFunction',
  name: 'svc-local-probe',
  arn: 'arn:aws:lambda:eu-west-1:000000000000:function:svc-local-probe',
  handler: 'functions/probe.handler',
  artifact: 'probe.zip',
  timeoutSeconds: 1,
  memoryMb: 128,
  environment: { OWN_SETTING: 'from the template' },
};

describe('local Lambda runtime: bundled handlers in their own environment', () => {
  const logged: string[] = [];
  const parked: Array<{ arn: string; record: Record<string, unknown> }> = [];
  const runtime = startLambdaRuntime({
    functions: [probe],
    asyncInvokeConfigs: [
      {
        functionName: probe.name,
        maximumRetryAttempts: 1,
        onFailureArn: 'arn:aws:sqs:eu-west-1:000000000000:dlq',
      },
    ],
    sendToDestination: (arn, record) =>
      parked.push({ arn, record: JSON.parse(record) as Record<string, unknown> }),
    retryDelaysMs: [10],
    codeDirectory: () => code,
    platformEnvironment: { AWS_ENDPOINT_URL_SAGEMAKER: 'http://127.0.0.1:4599' },
    log: (source, message) => logged.push(`${source} ${message}`),
  });
  process.env.PARENT_ONLY = 'must not leak';
  afterAll(async () => {
    await runtime.close();
    delete process.env.PARENT_ONLY;
    rmSync(code, { recursive: true, force: true });
  });

  it('runs the handler with its own and the platform environment only, and a Lambda context', async () => {
    await expect(runtime.invoke(probe.arn, {}, 'test')).resolves.toEqual({
      own: 'from the template',
      platform: 'http://127.0.0.1:4599',
      leaked: null,
      name: 'svc-local-probe',
      hasTime: true,
    });
  });

  it("shows what a function prints under its name, before the invocation's result, without the metrics noise", async () => {
    logged.length = 0;
    await expect(runtime.invoke(probe.name, { say: 'no-route' }, 'test')).resolves.toBe('said');
    expect(logged).toEqual([
      'lambda probe: Object ignored — reason: no-route',
      'lambda probe: half a line',
      expect.stringMatching(/^lambda probe ← test: ok \(\d+ ms\)$/),
    ]);
  });

  it('reports a failure with the error type and message Lambda would', async () => {
    const failure = runtime.invoke(probe.name, { fail: true }, 'test');
    await expect(failure).rejects.toBeInstanceOf(FunctionError);
    await expect(failure).rejects.toMatchObject({
      errorType: 'AskedError',
      message: 'asked to fail',
    });
  });

  it('an asynchronous invocation is retried as configured, then parked with the failure record', async () => {
    await expect(runtime.invokeAsync(probe.name, { fail: true }, 'test')).resolves.toBe(false);
    expect(parked).toEqual([
      {
        arn: 'arn:aws:sqs:eu-west-1:000000000000:dlq',
        record: expect.objectContaining({
          requestContext: expect.objectContaining({
            condition: 'RetriesExhausted',
            approximateInvokeCount: 2,
          }) as unknown,
          requestPayload: { fail: true },
          responsePayload: { errorType: 'AskedError', errorMessage: 'asked to fail' },
        }) as unknown,
      },
    ]);
  });

  it('idle waits for every invocation under way, retries of asynchronous ones included', async () => {
    parked.length = 0;
    void runtime.invokeAsync(probe.name, { fail: true }, 'test');
    expect(runtime.busy()).toBe(true);
    await runtime.idle();
    expect(runtime.busy()).toBe(false);
    expect(parked).toHaveLength(1);
  });

  it('times out like Lambda and starts a fresh environment for the next invocation', async () => {
    await expect(runtime.invoke(probe.name, { hang: true }, 'test')).rejects.toMatchObject({
      errorType: 'Sandbox.Timedout',
      message: 'Task timed out after 1.00 seconds',
    });
    await expect(runtime.invoke(probe.name, {}, 'test')).resolves.toMatchObject({
      name: 'svc-local-probe',
    });
  });

  it('refuses an unknown function', async () => {
    await expect(runtime.invoke('nope', {}, 'test')).rejects.toMatchObject({
      errorType: 'ResourceNotFoundException',
    });
  });
});
