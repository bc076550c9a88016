import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { LOCAL_CREDENTIALS } from '../../tooling/local/local-cloud';
import { startLocalS3 } from '../../tooling/local/s3-endpoint';
import { localModeEnvironment, outputOnExit, spawnScript } from '../support/local-mode';
import { startIdleControlEndpoint } from '../support/running-local-cloud';

describe('npm run drop', () => {
  const work = mkdtempSync(join(tmpdir(), 'drop-'));
  writeFileSync(join(work, 'scores.csv'), '0.1,0.2\n');
  let environment: NodeJS.ProcessEnv;

  beforeAll(async () => {
    environment = await localModeEnvironment(join(work, 'state'));
    // As npm gives it: the folder npm was run in. And the SDK as a user's shell has it.
    environment.INIT_CWD = work;
    delete environment.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const drop = (...args: string[]) => outputOnExit(spawnScript('drop', environment, args));

  it('a file that is not there: says which path it looked for, and how to use it', async () => {
    const { code, output } = await drop('score.csv', 'data/inference/2026-11-21/');
    expect(code).toBe(1);
    expect(output).toContain(`No file ${join(work, 'score.csv')} to drop.\nUsage: npm run drop --`);
  });

  it('no local cloud running: says to start one', async () => {
    const { code, output } = await drop('scores.csv', 'data/inference/2026-11-21/');
    expect(code).toBe(1);
    expect(output).toContain(
      `No local cloud is running (nothing answers at http://127.0.0.1:${environment.LOCAL_CONTROL_PORT}): start one with npm start in another terminal, then drop again.`,
    );
  });

  it('drops a file relative to where npm was run, without the SDK notice about Node 20', async () => {
    const control = await startIdleControlEndpoint(
      Number(environment.LOCAL_CONTROL_PORT),
      join(work, 'state'),
    );
    const s3 = await startLocalS3({
      port: Number(environment.LOCAL_S3_PORT),
      directory: join(work, 's3'),
      buckets: [{ name: 'data', eventBridgeEnabled: false }],
      region: 'eu-west-1',
      accountId: '000000000000',
      publish: () => [],
      log: () => undefined,
    });
    try {
      const { code, output } = await drop('scores.csv', 's3://data/data/inference/2026-11-21/');
      expect(output).toBe('dropped scores.csv as s3://data/data/inference/2026-11-21/scores.csv\n');
      expect(code).toBe(0);
      const stored = await new S3Client({
        region: 'eu-west-1',
        endpoint: s3.url,
        forcePathStyle: true,
        credentials: LOCAL_CREDENTIALS,
      }).send(
        new GetObjectCommand({ Bucket: 'data', Key: 'data/inference/2026-11-21/scores.csv' }),
      );
      expect(await stored.Body?.transformToString()).toBe('0.1,0.2\n');
    } finally {
      await control.close();
      await s3.close();
    }
  }, 30_000);
});
