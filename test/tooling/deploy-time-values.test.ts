import {
  accountIdStandIn,
  deployTimeValue,
  withAccountIdStandIn,
} from '../../tooling/deploy-time-values';

describe('values CloudFormation completes at deploy time (the account id)', () => {
  const configuration = {
    routes: [{ bucket: 'svc-dev-data-${AWS::AccountId}-eu-west-1', prefix: 'data/' }],
    parameters: { InputDataUrl: 's3://svc-dev-data-${AWS::AccountId}-eu-west-1/data/' },
  };

  it('validates with a 12-digit stand-in, so names keep the length they will have', () => {
    const standIn = accountIdStandIn(configuration);
    expect(withAccountIdStandIn(configuration, standIn).routes[0]?.bucket).toBe(
      'svc-dev-data-000000000000-eu-west-1',
    );
  });

  it('picks a stand-in that occurs nowhere in the configuration', () => {
    expect(accountIdStandIn({ alarm: 'drift-000000000000' })).toBe('000000000001');
  });

  it('emits Fn::Sub only where the account id was asked for, and escapes other ${', () => {
    const standIn = accountIdStandIn(configuration);
    const document = JSON.stringify({
      ...withAccountIdStandIn(configuration, standIn),
      note: 'literal ${x}',
    });
    expect(deployTimeValue({ document, plain: 'x' }, standIn)).toEqual({
      document: {
        'Fn::Sub': document
          .replaceAll('${x}', '${!x}')
          .replaceAll('000000000000', '${AWS::AccountId}'),
      },
      plain: 'x',
    });
  });
});
