import { StackNotFoundError } from '../../functions/aws/stack-outputs';
import { EXIT, operatorMessageOf } from '../../functions/cli/operator-errors';

describe('operatorMessageOf: a stack that is not there', () => {
  const notFound = () => new StackNotFoundError('mlops-control-plane-local');

  it('points a command copied from a local e-mail (stage local, no --local) at the local cloud', () => {
    expect(
      operatorMessageOf(notFound(), {
        stackName: 'mlops-control-plane-local',
        region: 'eu-west-1',
        local: false,
      }),
    ).toEqual({
      line: "Stack mlops-control-plane-local not found in eu-west-1: check --stage and --region (deploy it with serverless deploy --stage <stage>), or add --local for npm start's local cloud.",
      exitCode: EXIT.failed,
    });
  });

  it('says nothing of the local cloud for another stage', () => {
    expect(
      operatorMessageOf(notFound(), {
        stackName: 'mlops-control-plane-prod',
        region: undefined,
        local: false,
      }).line,
    ).toBe(
      'Stack mlops-control-plane-prod not found in the default region: check --stage and --region (deploy it with serverless deploy --stage <stage>).',
    );
  });
});
