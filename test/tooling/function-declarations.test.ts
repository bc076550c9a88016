import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { MonitoringFunctionConfig } from '../../functions/config/function-configs';
import { ConfigurationError } from '../../functions/errors';
import { ALL_FUNCTIONS } from '../../tooling/declarations/all-functions';
import { onSchedule } from '../../tooling/declarations/onSchedule';
import { parseDeploymentConfig } from '../../tooling/deployment-config';
import type { Complete, StackContext } from '../../tooling/function-declaration';
import { functionResources, serverlessFunctions } from '../../tooling/function-resources';
import { reportKeys } from '../../tooling/report-locations';

const deployment = parseDeploymentConfig(
  {
    dataUpload: {
      routes: [
        {
          name: 'inference-data',
          bucket: 'my-data-bucket',
          prefix: 'data/inference/',
          mode: 'object',
          pipeline: 'svc-dev-batch-inference',
          inputParameter: 'InputDataUrl',
        },
      ],
    },
    schedules: [
      {
        name: 'daily-scoring',
        expression: 'cron(0 6 * * ? *)',
        pipeline: 'batch-inference',
        parameters: { InputDataUrl: 's3://my-data-bucket/data/inference/{{yyyy}}/' },
      },
    ],
  },
  {
    training: 'svc-dev-training',
    'training-hpo': 'svc-dev-training-hpo',
    'batch-inference': 'svc-dev-batch-inference',
  },
);
const stack: StackContext = {
  deployment,
  ledger: { tableName: 'svc-dev-ledger', retentionDays: 90, events: { source: 's', busName: 'b' } },
  stackPrefix: 'svc-dev',
  stage: 'dev',
  modelPackageGroup: 'svc-dev-models',
  dataBucket: 'my-data-bucket',
  rawDataBucket: 'my-data-bucket',
  reports: reportKeys(deployment.pipelines, deployment.retraining.modelMonitor),
};

type Resource = { Type: string; Properties: Record<string, unknown> };
const resources = functionResources(ALL_FUNCTIONS, stack) as Record<string, Resource>;
const functions = serverlessFunctions(ALL_FUNCTIONS, stack) as Record<
  string,
  { handler: string; role: string; environment: Record<string, unknown> }
>;
const ofType = (type: string) =>
  Object.entries(resources).filter(([, resource]) => resource.Type === type);
const sidsOf = (roleId: string) =>
  (
    resources[roleId]?.Properties.Policies as Array<{
      PolicyDocument: { Statement: Array<{ Sid: string }> };
    }>
  )[0]!.PolicyDocument.Statement.map((statement) => statement.Sid);

describe('the function declarations', () => {
  it.each(ALL_FUNCTIONS.map((declaration) => [declaration.name]))(
    '%s has its entry point and a role of its own',
    (name) => {
      expect(existsSync(join(__dirname, '..', '..', 'functions', `${name}.ts`))).toBe(true);
      expect(functions[name]?.handler).toBe(`functions/${name}.handler`);
      expect(resources[functions[name]!.role]?.Type).toBe('AWS::IAM::Role');
    },
  );

  it.each<[string, string[]]>([
    // What every role holds follows from the declaration: logs, the queue it consumes, e-mails,
    // and the dead-letter queue of asynchronous invocations.
    ['OnDataUploadRole', ['WriteOwnLogs', 'ConsumeDataUploadBuffer']],
    ['GetApprovedModelRole', ['WriteOwnLogs']],
    [
      'OnPipelineStatusChangeRole',
      ['WriteOwnLogs', 'PublishEmails', 'EncryptForTheTopic', 'ParkFailedEvents'],
    ],
    [
      'OnMonitoringViolationRole',
      ['WriteOwnLogs', 'ConsumeMonitoringQueue', 'PublishEmails', 'EncryptForTheTopic'],
    ],
    ['OnScheduleRole', ['WriteOwnLogs', 'PublishEmails', 'EncryptForTheTopic', 'ParkFailedEvents']],
  ])('%s holds the statements its trigger and e-mails imply', (roleId, implied) => {
    expect(sidsOf(roleId)).toEqual(expect.arrayContaining(implied));
    expect(new Set(sidsOf(roleId)).size).toBe(sidsOf(roleId).length);
  });

  it('gives leave to invoke a function to each rule that targets it, and to no other', () => {
    const permissions = ofType('AWS::Lambda::Permission').map(([, permission]) => [
      (permission.Properties.SourceArn as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0],
      (permission.Properties.FunctionName as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0],
    ]);
    const ruleTargets = ofType('AWS::Events::Rule').flatMap(([id, rule]) =>
      (rule.Properties.Targets as Array<{ Arn: { 'Fn::GetAtt': string[] } }>)
        .map((target) => target.Arn['Fn::GetAtt'][0]!)
        .filter((target) => target.endsWith('LambdaFunction'))
        .map((target) => [id, target]),
    );
    expect(permissions).toEqual(ruleTargets);
    expect(permissions).toContainEqual(['ScheduleDailyScoringRule', 'OnScheduleLambdaFunction']);
  });

  it('lets only the rules that send to a queue write to it', () => {
    const senders = (policyId: string) =>
      (
        resources[policyId]?.Properties.PolicyDocument as {
          Statement: Array<{ Condition?: { ArnEquals?: Record<string, unknown> } }>;
        }
      ).Statement[0]?.Condition?.ArnEquals?.['aws:SourceArn'];
    expect(senders('DataUploadQueuesPolicy')).toEqual([
      { 'Fn::GetAtt': ['DataUploadRule', 'Arn'] },
    ]);
    expect(senders('MonitoringQueuePolicy')).toEqual([
      { 'Fn::GetAtt': ['MonitoringTrainingHpoRule', 'Arn'] },
    ]);
  });

  it('grants the ledger to the functions that record decisions or e-mail, and to no other', () => {
    const rolesOf = (policyId: string) =>
      (resources[policyId]?.Properties.Roles as Array<{ Ref: string }>).map((role) => role.Ref);
    expect(rolesOf('LedgerRecordsPolicy')).not.toContain('GetApprovedModelRole');
    expect(rolesOf('LedgerRecordsPolicy')).toHaveLength(5);
    expect(rolesOf('EmailIdempotencyPolicy').sort()).toEqual([
      'OnModelPackageStateChangeRole',
      'OnMonitoringViolationRole',
      'OnPipelineStatusChangeRole',
      'OnScheduleRole',
    ]);
  });

  it('writes each configuration document as the function parses it, defaults included', () => {
    const document = JSON.parse(String(functions.onSchedule?.environment.NOTIFY_CONFIG)) as {
      schedules: Array<{ inputParameter: string; enabled: boolean }>;
      ruleNamePrefix: string;
      sageMaker: unknown;
    };
    expect(document.schedules[0]).toMatchObject({ inputParameter: 'InputDataUrl', enabled: true });
    expect(document.ruleNamePrefix).toBe('svc-dev-');
    expect(document.sageMaker).toEqual({ maxAttempts: 5, retryMode: 'adaptive' });
  });

  it('refuses a document its function would refuse at cold start, naming the variable', () => {
    const broken = {
      ...onSchedule,
      configuration: {
        ...onSchedule.configuration!,
        build: (context: StackContext) => ({
          ...onSchedule.configuration!.build(context),
          stage: 'not a stage',
        }),
      },
    };
    expect(() => serverlessFunctions([broken], stack)).toThrow(ConfigurationError);
    expect(() => serverlessFunctions([broken], stack)).toThrow(
      /^Invalid configuration in NOTIFY_CONFIG of onSchedule: stage/,
    );
  });

  it('does not compile a document that leaves out a field, even one with a default', () => {
    // @ts-expect-error maxDriftViolations is missing: the function would apply its default.
    const withoutOne: Complete<MonitoringFunctionConfig> = {
      ...stack.deployment.retraining,
      stage: 'dev',
      pipelines: deployment.pipelines,
      modelPackageGroup: 'svc-dev-models',
      sageMaker: { maxAttempts: 5, retryMode: 'adaptive' },
      datasetFeatures: undefined,
      dataBucket: 'my-data-bucket',
    };
    expect(withoutOne.dataBucket).toBe('my-data-bucket');
  });
});
