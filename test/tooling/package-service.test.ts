import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PackagingError, packageService } from '../../tooling/package-function';
import { thrownError } from '../support/thrown-error';

describe('packageService: the packaging npm start, the demo and the bench share', () => {
  const directory = mkdtempSync(join(tmpdir(), 'package-service-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it("fails with Serverless's error, each problem once, under the --param that caused it", () => {
    const packaging = () =>
      packageService({
        stage: 'dev',
        directory,
        parameters: { folderWindowSeconds: '5', schedulesEnabled: 'no' },
      });
    const error = thrownError(packaging);
    expect(error).toBeInstanceOf(PackagingError);
    const { message } = error;
    expect(message).toMatch(/^serverless package --stage dev failed:\nError:\n/);
    expect(message).toContain(
      'parameter folderWindowSeconds (--param="folderWindowSeconds=5"): must be between 60 and 86400; used by custom.mlops.dataUpload.routes[0].windowSeconds (route training-data)',
    );
    expect(message).toContain(
      'parameter schedulesEnabled (--param="schedulesEnabled=no"): must be true or false, not "no"; used by custom.mlops.schedules[0].enabled (schedule monthly-training) and custom.mlops.schedules[1].enabled (schedule daily-scoring)',
    );
    expect(message.split('must be true or false')).toHaveLength(2);
    expect(message).not.toContain('Cannot resolve variable at "functions');
  }, 60_000);
});
