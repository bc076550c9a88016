import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localModeEnvironment, outputOnExit, spawnScript } from '../support/local-mode';

describe('npm start with a configuration Serverless refuses', () => {
  const stateDirectory = mkdtempSync(join(tmpdir(), 'local-start-'));
  afterAll(() => rmSync(stateDirectory, { recursive: true, force: true }));

  it('prints the named problem on the first screen and exits 1', async () => {
    const start = spawnScript('start', await localModeEnvironment(stateDirectory), [
      '--param=schedulesEnabled=no',
    ]);
    const { code, output } = await outputOnExit(start);
    expect(code).toBe(1);
    const firstScreen = output.split('\n').slice(0, 24).join('\n');
    expect(firstScreen).toContain(
      'parameter schedulesEnabled (--param="schedulesEnabled=no"): must be true or false, not "no"; used by custom.mlops.schedules[0].enabled (schedule monthly-training)',
    );
  }, 60_000);
});
