import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localModeEnvironment, outputOnExit, spawnScript } from '../support/local-mode';
import { startIdleControlEndpoint } from '../support/running-local-cloud';

describe('npm run local:reset', () => {
  const work = mkdtempSync(join(tmpdir(), 'reset-'));
  const state = join(work, 'state');
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('refuses while npm start uses the state (it would save it back when stopping), then forgets it', async () => {
    mkdirSync(state);
    const environment = await localModeEnvironment(state);
    const control = await startIdleControlEndpoint(Number(environment.LOCAL_CONTROL_PORT), state);
    try {
      const refused = await outputOnExit(spawnScript('local:reset', environment));
      expect(refused.code).toBe(1);
      expect(refused.output).toMatch(
        /^npm start \(process \d+\) is using .+: stop it first \(Ctrl-C in its terminal\), then npm run local:reset\.\n$/,
      );
      expect(existsSync(state)).toBe(true);
    } finally {
      await control.close();
    }
    const reset = await outputOnExit(spawnScript('local:reset', environment));
    expect(reset.code).toBe(0);
    expect(existsSync(state)).toBe(false);
  }, 30_000);
});
