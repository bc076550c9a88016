import {
  PIPELINE_IDS,
  readDefinitionTemplate,
  renderPipeline,
} from '../../pipeline-definitions/pipeline-catalog';
import { checkPipelineDefinition } from '../../pipeline-definitions/check-definitions';
import { cloudFormationStack } from '../../tooling/local/cloudformation-intrinsics';
import { type PackagedTemplate, packagedTemplate } from '../support/serverless-package';
import { validateTemplate } from '../support/cloudformation-validator';

const PIPELINE_RESOURCE = {
  training: 'TrainingPipeline',
  'training-hpo': 'TrainingHpoPipeline',
  'batch-inference': 'BatchInferencePipeline',
} as const;

/** Where the stack is deployed, for CloudFormation's part of the substitution. */
const DEPLOYED = {
  stackName: 'mlops-control-plane-dev',
  region: 'eu-west-1',
  accountId: '123456789012',
};

function deployedBody(template: PackagedTemplate, id: (typeof PIPELINE_IDS)[number]): string {
  const definition = template.Resources[PIPELINE_RESOURCE[id]]?.Properties.PipelineDefinition as {
    PipelineDefinitionBody: unknown;
  };
  return String(cloudFormationStack(template, DEPLOYED).resolve(definition.PipelineDefinitionBody));
}

describe('the stack deploys the three pipelines from pipeline-definitions/', () => {
  const dev = packagedTemplate('dev');

  it.each(PIPELINE_IDS)(
    '%s: Fn::Sub yields exactly the body the renderer produces, and it passes the checker',
    (id) => {
      expect(readDefinitionTemplate(id)).toBe(
        (
          dev.Resources[PIPELINE_RESOURCE[id]]?.Properties.PipelineDefinition as {
            PipelineDefinitionBody: { 'Fn::Sub': [string] };
          }
        ).PipelineDefinitionBody['Fn::Sub'][0],
      );
      const body = deployedBody(dev, id);
      expect(body).toBe(
        renderPipeline(id, {
          region: 'eu-west-1',
          roleArn: 'arn:aws:iam::123456789012:role/mlops-control-plane-dev-pipelines-eu-west-1',
          dataBucket: 'mlops-control-plane-dev-data-123456789012-eu-west-1',
          modelPackageGroupName: 'mlops-control-plane-dev-models',
          getApprovedModelFunctionArn:
            'arn:aws:lambda:eu-west-1:123456789012:function:mlops-control-plane-dev-getApprovedModel',
        }),
      );
      expect(checkPipelineDefinition(JSON.parse(body))).toEqual([]);
    },
  );

  it('names the pipelines and the model package group after the service and stage', () => {
    expect(dev.Resources.TrainingPipeline?.Properties.PipelineName).toBe(
      'mlops-control-plane-dev-training',
    );
    expect(dev.Resources.TrainingHpoPipeline?.Properties.PipelineName).toBe(
      'mlops-control-plane-dev-training-hpo',
    );
    expect(dev.Resources.BatchInferencePipeline?.Properties.PipelineName).toBe(
      'mlops-control-plane-dev-batch-inference',
    );
    expect(dev.Resources.ModelPackageGroup?.Properties.ModelPackageGroupName).toBe(
      'mlops-control-plane-dev-models',
    );
  });

  it('the default bucket and pipeline role are unique to the account and the region', () => {
    // Bucket names are global, IAM names global to the account: a fixed name collides with the
    // first account anywhere, or with the same stage in a second region.
    expect(dev.Resources.DataBucket?.Properties.BucketName).toEqual({
      'Fn::Sub': 'mlops-control-plane-dev-data-${AWS::AccountId}-eu-west-1',
    });
    expect(dev.Resources.PipelineExecutionRole?.Properties.RoleName).toEqual({
      'Fn::Sub': 'mlops-control-plane-dev-pipelines-${AWS::Region}',
    });
    expect(dev.Outputs?.DataBucketName).toMatchObject({
      Value: { 'Fn::Sub': 'mlops-control-plane-dev-data-${AWS::AccountId}-eu-west-1' },
    });
  });

  it('region-specific images are resolved at package time for the deploy region', () => {
    const [, variables] = (
      dev.Resources.TrainingPipeline?.Properties.PipelineDefinition as {
        PipelineDefinitionBody: { 'Fn::Sub': [string, Record<string, string>] };
      }
    ).PipelineDefinitionBody['Fn::Sub'];
    expect(variables.XgboostImageUri).toBe(
      '141502667606.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-xgboost:1.7-1',
    );
  });
});

describe('existing bucket and role instead of created ones', () => {
  const existing = packagedTemplate('dev-existing-resources');

  it('creates neither the bucket nor the pipeline role, and the pipelines run as the given role', () => {
    expect(existing.Conditions).toEqual({
      CreateDataBucket: { 'Fn::Equals': ['false', 'true'] },
      CreatePipelineRole: {
        'Fn::Equals': ['arn:aws:iam::123456789012:role/team-sagemaker-execution', ''],
      },
    });
    expect(existing.Resources.DataBucket?.Condition).toBe('CreateDataBucket');
    expect(existing.Resources.PipelineExecutionRole?.Condition).toBe('CreatePipelineRole');
    expect(existing.Resources.TrainingPipeline?.Properties.RoleArn).toEqual({
      'Fn::If': [
        'CreatePipelineRole',
        { 'Fn::GetAtt': ['PipelineExecutionRole', 'Arn'] },
        'arn:aws:iam::123456789012:role/team-sagemaker-execution',
      ],
    });
    expect(validateTemplate(existing)).toEqual([]);
  });
});

describe('e-mail subscriptions from custom.mlops.notifications', () => {
  it('without addresses (dev defaults) there are none', () => {
    const dev = packagedTemplate('dev');
    expect(
      Object.values(dev.Resources).filter((resource) => resource.Type === 'AWS::SNS::Subscription'),
    ).toEqual([]);
  });

  it('each recipient gets what it chose: a filter on the category attribute, ops alarms if asked', () => {
    const prod = packagedTemplate('prod');
    const subscriptions = Object.values(prod.Resources)
      .filter((resource) => resource.Type === 'AWS::SNS::Subscription')
      .map((resource) => resource.Properties);
    expect(subscriptions).toEqual(
      expect.arrayContaining([
        {
          TopicArn: { Ref: 'NotificationsTopic' },
          Protocol: 'email',
          Endpoint: 'ds@example.com',
          FilterPolicyScope: 'MessageAttributes',
          FilterPolicy: { category: ['model-approval', 'pipeline-failure', 'drift', 'retraining'] },
        },
        { TopicArn: { Ref: 'NotificationsTopic' }, Protocol: 'email', Endpoint: 'ops@example.com' },
        { TopicArn: { Ref: 'OpsAlarmsTopic' }, Protocol: 'email', Endpoint: 'ops@example.com' },
      ]),
    );
    expect(subscriptions).toHaveLength(3);
    expect(validateTemplate(prod)).toEqual([]);
  });
});
