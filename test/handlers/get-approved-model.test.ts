import { Logger } from '@aws-lambda-powertools/logger';
import { InvalidEventError, NoApprovedModelError } from '../../functions/errors';
import { createGetApprovedModelHandler } from '../../functions/handlers/get-approved-model';
import { MODEL_PACKAGE_ARN, registeredModelVersion } from '../support/model-versions';

const arn = MODEL_PACKAGE_ARN;
const version = registeredModelVersion();

function setUp(newest: string | undefined) {
  const findNewestApprovedArn = jest.fn(async () => newest);
  const describe = jest.fn(async () => version);
  const handle = createGetApprovedModelHandler({
    findNewestApprovedArn,
    describe,
    logger: new Logger(),
  });
  return { handle, findNewestApprovedArn, describe };
}

describe('getApprovedModel shell', () => {
  it('makes one list and one describe call and returns the outputs', async () => {
    const { handle, findNewestApprovedArn, describe } = setUp(arn);
    const output = await handle({ ModelPackageGroupName: 'mlops-dev-models' });
    expect(output.ModelPackageArn).toBe(arn);
    expect(findNewestApprovedArn).toHaveBeenCalledTimes(1);
    expect(findNewestApprovedArn).toHaveBeenCalledWith('mlops-dev-models');
    expect(describe).toHaveBeenCalledTimes(1);
    expect(describe).toHaveBeenCalledWith(arn);
  });

  it('no approved version is a clear error that says what to do', async () => {
    const { handle, describe } = setUp(undefined);
    const attempt = handle({ ModelPackageGroupName: 'mlops-dev-models' });
    await expect(attempt).rejects.toThrow(NoApprovedModelError);
    await expect(attempt).rejects.toThrow(
      'No approved model version in model package group mlops-dev-models. Approve one',
    );
    expect(describe).not.toHaveBeenCalled();
  });

  it.each([{}, { ModelPackageGroupName: 'bad_name' }, { ModelPackageGroupName: 'x'.repeat(64) }])(
    'rejects %j naming the field',
    async (event) => {
      const { handle, findNewestApprovedArn } = setUp(arn);
      await expect(handle(event)).rejects.toThrow(InvalidEventError);
      await expect(handle(event)).rejects.toThrow('ModelPackageGroupName');
      expect(findNewestApprovedArn).not.toHaveBeenCalled();
    },
  );
});
