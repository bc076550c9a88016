import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { datasetSchemaSchema } from '../../functions/config/dataset-schema';
import { featureStoreConfigSchema } from '../../functions/config/feature-store-config';
import { declaredSteps } from '../../pipeline-definitions/checker/declared-steps';
import type { JsonObject } from '../../pipeline-definitions/checker/json-value';
import { featureStoreNames, featureStoreResources } from '../../tooling/feature-store-wiring';
import { type CloudFormationTemplate, validateTemplate } from '../support/cloudformation-validator';
import { type PackagedTemplate, packagedTemplate } from '../support/serverless-package';
import { templateFingerprint } from '../support/template-fingerprint';

const sub = (text: string) => ({ 'Fn::Sub': text });

type Statement = { Sid?: string; Effect: string; Action: string | string[]; Resource: unknown };

const FEATURE_STORE_TYPES = [
  'AWS::SageMaker::FeatureGroup',
  'AWS::Athena::WorkGroup',
  'AWS::Glue::Database',
];

function stepNames(template: PackagedTemplate, pipeline: string): string[] {
  const body = (
    template.Resources[pipeline]?.Properties.PipelineDefinition as {
      PipelineDefinitionBody: { 'Fn::Sub': [string, unknown] };
    }
  ).PipelineDefinitionBody['Fn::Sub'][0];
  return declaredSteps((JSON.parse(body) as JsonObject).Steps).steps.map((step) => step.name);
}

function policyStatements(template: PackagedTemplate, id: string): Statement[] {
  const properties = template.Resources[id]?.Properties as {
    PolicyDocument?: { Statement: Statement[] };
    Policies?: Array<{ PolicyDocument: { Statement: Statement[] } }>;
  };
  return properties.PolicyDocument
    ? properties.PolicyDocument.Statement
    : (properties.Policies ?? []).flatMap((policy) => policy.PolicyDocument.Statement);
}

const actionsOf = (statements: Statement[]) =>
  statements.flatMap((statement) => [statement.Action].flat()).sort();

describe('featureStore off (the default): the template is what it was without this feature', () => {
  let dev: PackagedTemplate;
  beforeAll(() => {
    dev = packagedTemplate('dev');
  });

  it('every resource, output and condition is unchanged', () => {
    // Taken from `serverless package --stage dev` of commit 450e353, before the feature store was
    // added; only the functions' code and the schema's feature names in their configuration are
    // left out (see templateFingerprint). After a merge that changes the stack on purpose, write
    // it again from the merged base: node -r ./tooling/register-ts.js
    // test/support/template-fingerprint.ts <packaged template> > <this file>.
    const before = JSON.parse(
      readFileSync(join(__dirname, 'dev-template-without-feature-store.fingerprint.json'), 'utf8'),
    ) as Record<string, string>;
    const now = templateFingerprint(dev);
    const changed = Object.keys({ ...before, ...now }).filter((id) => before[id] !== now[id]);
    expect(changed).toEqual([]);
  });

  it('has no feature group, workgroup, Glue database or grants for them, and no new steps', () => {
    const types = Object.values(dev.Resources).map((resource) => resource.Type);
    expect(types.filter((type) => FEATURE_STORE_TYPES.includes(type))).toEqual([]);
    expect(JSON.stringify(dev.Resources)).not.toMatch(/PutRecord|athena:|glue:/);
    for (const pipeline of ['TrainingPipeline', 'TrainingHpoPipeline']) {
      expect(stepNames(dev, pipeline)).not.toContain('IngestFeatures');
      expect(stepNames(dev, pipeline)).not.toContain('BuildTrainingSet');
    }
  });
});

describe('featureStore=true, training from the offline store', () => {
  let template: PackagedTemplate;
  let dev: PackagedTemplate;
  beforeAll(() => {
    template = packagedTemplate('dev-feature-store');
    dev = packagedTemplate('dev');
  });

  it('every resource is valid against the CloudFormation resource database', () => {
    expect(validateTemplate(template as CloudFormationTemplate)).toEqual([]);
  });

  it('adds the feature store resources and changes only the training pipelines', () => {
    const added = Object.keys(template.Resources).filter((id) => !(id in dev.Resources));
    expect(added.sort()).toEqual([
      'FeatureGroup',
      'FeatureStoreDatabase',
      'FeatureStoreKey',
      'FeatureStoreKeyAlias',
      'FeatureStoreOfflineStoreRole',
      'FeatureStoreWorkGroup',
      'PipelineFeatureStorePolicy',
    ]);
    const before = templateFingerprint(dev);
    const after = templateFingerprint(template);
    const changed = Object.keys(before).filter((id) => before[id] !== after[id]);
    expect(changed).toEqual(['Resources.TrainingPipeline', 'Resources.TrainingHpoPipeline']);
  });

  it('the feature group: identifier and event time, the schema, an encrypted offline store with its Glue table, no online store, retained', () => {
    const group = template.Resources.FeatureGroup as PackagedTemplate['Resources'][string] & {
      DeletionPolicy?: string;
      UpdateReplacePolicy?: string;
    };
    expect(group.DeletionPolicy).toBe('Retain');
    expect(group.UpdateReplacePolicy).toBe('Retain');
    expect(group.Properties).toEqual({
      FeatureGroupName: 'mlops-control-plane-dev-features',
      Description: 'Prepared training rows of mlops-control-plane-dev',
      RecordIdentifierFeatureName: 'record_id',
      EventTimeFeatureName: 'event_time',
      FeatureDefinitions: [
        { FeatureName: 'record_id', FeatureType: 'String' },
        { FeatureName: 'event_time', FeatureType: 'String' },
        { FeatureName: 'churned', FeatureType: 'Integral' },
        { FeatureName: 'tenure_months', FeatureType: 'Integral' },
        { FeatureName: 'monthly_charges', FeatureType: 'Fractional' },
        { FeatureName: 'support_calls', FeatureType: 'Integral' },
        { FeatureName: 'late_payments', FeatureType: 'Integral' },
        { FeatureName: 'data_usage_gb', FeatureType: 'Fractional' },
        { FeatureName: 'contract_months', FeatureType: 'Integral' },
      ],
      OfflineStoreConfig: {
        S3StorageConfig: {
          S3Uri: sub(
            's3://mlops-control-plane-dev-data-${AWS::AccountId}-eu-west-1/feature-store/offline-store',
          ),
          KmsKeyId: { 'Fn::GetAtt': ['FeatureStoreKey', 'Arn'] },
        },
        DisableGlueTableCreation: false,
        DataCatalogConfig: {
          Catalog: 'AwsDataCatalog',
          Database: 'mlops_control_plane_dev_feature_store',
          TableName: 'mlops_control_plane_dev_features',
        },
      },
      OnlineStoreConfig: { EnableOnlineStore: false },
      RoleArn: { 'Fn::GetAtt': ['FeatureStoreOfflineStoreRole', 'Arn'] },
    });
    expect(template.Resources.FeatureStoreKey?.Properties.EnableKeyRotation).toBe(true);
  });

  it('the training pipelines ingest, then build the training set from the history; scoring is unchanged', () => {
    for (const pipeline of ['TrainingPipeline', 'TrainingHpoPipeline']) {
      const steps = stepNames(template, pipeline);
      expect(steps.slice(0, 3)).toEqual(['Preprocess', 'IngestFeatures', 'BuildTrainingSet']);
      expect(
        steps.filter((name) => !['IngestFeatures', 'BuildTrainingSet'].includes(name)),
      ).toEqual(stepNames(dev, pipeline));
    }
    expect(template.Resources.BatchInferencePipeline).toEqual(dev.Resources.BatchInferencePipeline);
  });

  it('the Athena workgroup enforces its result location, encryption and a scan limit', () => {
    expect(template.Resources.FeatureStoreWorkGroup?.Properties).toMatchObject({
      Name: 'mlops-control-plane-dev-features',
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        BytesScannedCutoffPerQuery: 100 * 1024 ** 3,
        ResultConfiguration: {
          OutputLocation: sub(
            's3://mlops-control-plane-dev-data-${AWS::AccountId}-eu-west-1/feature-store/athena-results/',
          ),
          EncryptionConfiguration: {
            EncryptionOption: 'SSE_KMS',
            KmsKey: { 'Fn::GetAtt': ['FeatureStoreKey', 'Arn'] },
          },
        },
      },
    });
  });

  it('IAM: the pipeline role gets PutRecord on this group, Athena on one workgroup, Glue on its table, S3 on two prefixes', () => {
    const policy = template.Resources.PipelineFeatureStorePolicy;
    expect(policy?.Type).toBe('AWS::IAM::Policy');
    expect(policy?.Condition).toBe('CreatePipelineRole');
    expect(policy?.Properties.Roles).toEqual([{ Ref: 'PipelineExecutionRole' }]);
    const statements = policyStatements(template, 'PipelineFeatureStorePolicy');
    const resourcesOf = (sid: string) =>
      statements.find((statement) => statement.Sid === sid)?.Resource;
    expect(resourcesOf('IngestIntoTheFeatureGroup')).toEqual([
      sub(
        'arn:${AWS::Partition}:sagemaker:${AWS::Region}:${AWS::AccountId}:feature-group/mlops-control-plane-dev-features',
      ),
    ]);
    expect(resourcesOf('QueryInTheFeatureStoreWorkGroup')).toEqual(
      sub(
        'arn:${AWS::Partition}:athena:${AWS::Region}:${AWS::AccountId}:workgroup/mlops-control-plane-dev-features',
      ),
    );
    expect(resourcesOf('ReadTheFeatureGroupTable')).toEqual([
      sub('arn:${AWS::Partition}:glue:${AWS::Region}:${AWS::AccountId}:catalog'),
      sub(
        'arn:${AWS::Partition}:glue:${AWS::Region}:${AWS::AccountId}:database/mlops_control_plane_dev_feature_store',
      ),
      sub(
        'arn:${AWS::Partition}:glue:${AWS::Region}:${AWS::AccountId}:table/mlops_control_plane_dev_feature_store/mlops_control_plane_dev_features',
      ),
    ]);
    expect(resourcesOf('ReadTheOfflineStore')).toEqual(
      sub(
        'arn:${AWS::Partition}:s3:::mlops-control-plane-dev-data-${AWS::AccountId}-eu-west-1/feature-store/offline-store/*',
      ),
    );
    expect(resourcesOf('WriteAndReadQueryResults')).toEqual(
      sub(
        'arn:${AWS::Partition}:s3:::mlops-control-plane-dev-data-${AWS::AccountId}-eu-west-1/feature-store/athena-results/*',
      ),
    );
    expect(actionsOf(statements)).toEqual([
      'athena:GetQueryExecution',
      'athena:StartQueryExecution',
      'glue:GetDatabase',
      'glue:GetPartitions',
      'glue:GetTable',
      'kms:Decrypt',
      'kms:GenerateDataKey',
      's3:AbortMultipartUpload',
      's3:GetBucketLocation',
      's3:GetObject',
      's3:GetObject',
      's3:ListBucket',
      's3:ListBucketMultipartUploads',
      's3:ListMultipartUploadParts',
      's3:PutObject',
      'sagemaker:PutRecord',
    ]);
  });

  it('IAM: no statement of the new roles and policy has a wildcard action or a * resource', () => {
    for (const id of ['PipelineFeatureStorePolicy', 'FeatureStoreOfflineStoreRole']) {
      for (const statement of policyStatements(template, id)) {
        expect([statement.Action].flat().filter((action) => action.includes('*'))).toEqual([]);
        expect([statement.Resource].flat()).not.toContain('*');
      }
    }
    const offlineStore = JSON.stringify(policyStatements(template, 'FeatureStoreOfflineStoreRole'));
    expect(offlineStore).toContain(
      'mlops-control-plane-dev-data-${AWS::AccountId}-eu-west-1/feature-store/offline-store/*',
    );
    expect(offlineStore).not.toMatch(/s3:::mlops-control-plane-dev-data[^/]*\/\*/);
  });
});

describe('featureStore=true alone: its rows kept, training on the input', () => {
  let template: PackagedTemplate;
  let dev: PackagedTemplate;
  beforeAll(() => {
    template = packagedTemplate('dev-feature-store-input');
    dev = packagedTemplate('dev');
  });

  it('is valid, adds the group but no workgroup, and IngestFeatures only', () => {
    expect(validateTemplate(template as CloudFormationTemplate)).toEqual([]);
    expect(
      Object.keys(template.Resources)
        .filter((id) => !(id in dev.Resources))
        .sort(),
    ).toEqual([
      'FeatureGroup',
      'FeatureStoreDatabase',
      'FeatureStoreKey',
      'FeatureStoreKeyAlias',
      'FeatureStoreOfflineStoreRole',
      'PipelineFeatureStorePolicy',
    ]);
    for (const pipeline of ['TrainingPipeline', 'TrainingHpoPipeline']) {
      expect(stepNames(template, pipeline).slice(0, 3)).toEqual([
        'Preprocess',
        'IngestFeatures',
        stepNames(dev, pipeline)[1],
      ]);
      expect(stepNames(template, pipeline)).not.toContain('BuildTrainingSet');
    }
  });

  it('IAM: the pipeline role may put records into this group, and nothing else is added', () => {
    expect(policyStatements(template, 'PipelineFeatureStorePolicy')).toEqual([
      {
        Sid: 'IngestIntoTheFeatureGroup',
        Effect: 'Allow',
        Action: 'sagemaker:PutRecord',
        Resource: [
          {
            'Fn::Sub':
              'arn:${AWS::Partition}:sagemaker:${AWS::Region}:${AWS::AccountId}:feature-group/mlops-control-plane-dev-features',
          },
        ],
      },
    ]);
  });
});

describe('featureStoreResources: the grants follow the settings', () => {
  const dataset = datasetSchemaSchema.parse({
    label: 'churned',
    features: [{ name: 'tenure_months', type: 'Integral' }],
  });
  const names = featureStoreNames('mlops', 'dev', 'my-bucket');
  const grants = (settings: Record<string, unknown>) => {
    const resources = featureStoreResources(
      featureStoreConfigSchema.parse({ enabled: true, ...settings }),
      dataset,
      names,
    ) as Record<string, { Properties: { PolicyDocument: { Statement: Statement[] } } }>;
    return {
      ids: Object.keys(resources).sort(),
      actions: actionsOf(
        resources.PipelineFeatureStorePolicy?.Properties.PolicyDocument.Statement ?? [],
      ),
      resources,
    };
  };

  it('training on the input: PutRecord only, no Athena, Glue or key use, no workgroup', () => {
    const { ids, actions } = grants({ trainingSource: 'input' });
    expect(actions).toEqual(['sagemaker:PutRecord']);
    expect(ids).not.toContain('FeatureStoreWorkGroup');
  });

  it('with the online store: encrypted with the key, and PutRecord may decrypt with it', () => {
    const { actions, resources } = grants({ trainingSource: 'input', onlineStore: 'true' });
    expect(actions).toEqual(['kms:Decrypt', 'sagemaker:PutRecord']);
    expect(
      (resources.FeatureGroup?.Properties as unknown as { OnlineStoreConfig: unknown })
        .OnlineStoreConfig,
    ).toEqual({
      EnableOnlineStore: true,
      SecurityConfig: { KmsKeyId: { 'Fn::GetAtt': ['FeatureStoreKey', 'Arn'] } },
    });
  });

  it('off: nothing at all', () => {
    expect(
      featureStoreResources(featureStoreConfigSchema.parse({ enabled: false }), dataset, names),
    ).toEqual({});
  });

  it('a stage name that makes the group name too long fails with the rule', () => {
    expect(() => featureStoreNames('mlops-control-plane', 'x'.repeat(40), 'b')).toThrow(
      'must be 1-64 letters or digits',
    );
  });
});
