import type { DatasetSchema } from '../functions/config/dataset-schema';
import type { FeatureStoreConfig } from '../functions/config/feature-store-config';
import {
  EVENT_TIME_FEATURE_NAME,
  type FeatureStoreSettings,
  RECORD_IDENTIFIER_FEATURE_NAME,
} from '../pipeline-definitions/feature-store-contract';

/** Where the offline store writes, under the data bucket (the service adds its own folders). */
export const OFFLINE_STORE_PREFIX = 'feature-store/offline-store/';
/** Where Athena writes the history queries' results. */
export const QUERY_RESULTS_PREFIX = 'feature-store/athena-results/';
/** The Glue catalog of the account, as Athena and Feature Store name it. */
const DATA_CATALOG = 'AwsDataCatalog';
const GIGABYTE = 1024 ** 3;

// `FeatureGroupName` in the SageMaker API model, anchored.
const FEATURE_GROUP_NAME = /^[a-zA-Z0-9]([_-]*[a-zA-Z0-9]){0,63}$/;

/** The names of one stage's feature store resources, derived from the service and the stage. */
export interface FeatureStoreNames {
  readonly featureGroupName: string;
  /** Glue database and table of the offline store (lower case and `_`, as Athena recommends). */
  readonly database: string;
  readonly table: string;
  readonly workGroup: string;
  readonly dataBucket: string;
}

/**
 * The names of a stage's feature store: the group `<service>-<stage>-features`, its Glue table of
 * the same name in `_` form in the database `<service>_<stage>_feature_store`, and the Athena
 * workgroup `<service>-<stage>-features`. Throws when the group name breaks the API's rule.
 *
 * @example
 * featureStoreNames('mlops-control-plane', 'dev', 'my-bucket').featureGroupName; // 'mlops-control-plane-dev-features'
 */
export function featureStoreNames(
  service: string,
  stage: string,
  dataBucket: string,
): FeatureStoreNames {
  const featureGroupName = `${service}-${stage}-features`;
  if (!FEATURE_GROUP_NAME.test(featureGroupName)) {
    throw new Error(
      `The feature group name ${featureGroupName} must be 1-64 letters or digits with inner hyphens or underscores: shorten the service or stage name`,
    );
  }
  const glueName = (name: string) => name.toLowerCase().replace(/-/g, '_');
  return {
    featureGroupName,
    database: glueName(`${service}_${stage}_feature_store`),
    table: glueName(featureGroupName),
    workGroup: featureGroupName,
    dataBucket,
  };
}

/** What the training pipelines need of the feature store, or undefined when it is off. */
export function featureStoreSettings(
  config: FeatureStoreConfig,
  dataset: DatasetSchema | undefined,
  names: FeatureStoreNames,
  region: string,
): FeatureStoreSettings | undefined {
  if (!config.enabled || dataset === undefined) return undefined;
  return {
    featureGroupName: names.featureGroupName,
    region,
    dataset,
    trainingSource: config.trainingSource,
    historyDays: config.historyDays,
    offlineStore: { database: names.database, table: names.table, workGroup: names.workGroup },
  };
}

type Statement = Record<string, unknown>;
const sub = (text: string) => ({ 'Fn::Sub': text });
const keyArn = { 'Fn::GetAtt': ['FeatureStoreKey', 'Arn'] };

/**
 * The CloudFormation resources of the feature store, none when it is off (so the template is the
 * same as without this feature): the feature group (offline store in the data bucket, encrypted
 * with its own KMS key, Glue table created by the service under the given names, online store
 * only when configured; kept when the stack goes, like the model package group), the role the
 * service writes the offline store with, the Glue database, with the training source
 * `offline-store` the Athena workgroup, and the pipeline role's grants for what the new steps
 * call (a policy of its own, attached only to the role this stack creates).
 *
 * @example
 * const resources = featureStoreResources(deployment.featureStore, deployment.dataset, names);
 */
export function featureStoreResources(
  config: FeatureStoreConfig,
  dataset: DatasetSchema | undefined,
  names: FeatureStoreNames,
): Record<string, unknown> {
  if (!config.enabled || dataset === undefined) return {};
  const fromHistory = config.trainingSource === 'offline-store';
  const arns = resourceArns(names);
  return {
    FeatureStoreKey: {
      Type: 'AWS::KMS::Key',
      Properties: {
        Description: `Encrypts the offline store and Athena results of feature group ${names.featureGroupName}`,
        EnableKeyRotation: true,
        KeyPolicy: {
          Version: '2012-10-17',
          Statement: [
            {
              // The standard key policy: IAM policies of the account decide who uses the key.
              Sid: 'AccountAdministersTheKey',
              Effect: 'Allow',
              Principal: { AWS: sub('arn:${AWS::Partition}:iam::${AWS::AccountId}:root') },
              Action: 'kms:*',
              Resource: '*',
            },
          ],
        },
      },
    },
    FeatureStoreKeyAlias: {
      Type: 'AWS::KMS::Alias',
      Properties: {
        AliasName: `alias/${names.featureGroupName}`,
        TargetKeyId: { Ref: 'FeatureStoreKey' },
      },
    },
    FeatureStoreDatabase: {
      Type: 'AWS::Glue::Database',
      // The feature group's table lives here and outlives the stack with the group.
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        CatalogId: { Ref: 'AWS::AccountId' },
        DatabaseInput: {
          Name: names.database,
          Description: `Offline store table of feature group ${names.featureGroupName}`,
        },
      },
    },
    FeatureStoreOfflineStoreRole: offlineStoreRole(names, arns),
    FeatureGroup: featureGroup(config, dataset, names),
    ...(fromHistory ? { FeatureStoreWorkGroup: workGroup(config, names) } : {}),
    PipelineFeatureStorePolicy: {
      Type: 'AWS::IAM::Policy',
      // A role given with pipelineRoleArn is the team's own: they grant the same (see docs/deployment.md, "IAM: least privilege, and the exceptions").
      Condition: 'CreatePipelineRole',
      Properties: {
        PolicyName: 'feature-store',
        Roles: [{ Ref: 'PipelineExecutionRole' }],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: pipelineStatements(config, names, arns),
        },
      },
    },
  };
}

/** Stack outputs that tell people where the features are, none when the feature store is off. */
export function featureStoreOutputs(
  config: FeatureStoreConfig,
  names: FeatureStoreNames,
): Record<string, unknown> {
  if (!config.enabled) return {};
  return {
    FeatureGroupName: {
      Description: 'Feature group of the prepared training rows',
      Value: { Ref: 'FeatureGroup' },
    },
    FeatureStoreTable: {
      Description: 'Glue table of its offline store (database.table), for Athena',
      Value: `${names.database}.${names.table}`,
    },
    ...(config.trainingSource === 'offline-store'
      ? {
          FeatureStoreWorkGroupName: {
            Description: 'Athena workgroup of the training history queries',
            Value: { Ref: 'FeatureStoreWorkGroup' },
          },
        }
      : {}),
  };
}

function resourceArns(names: FeatureStoreNames) {
  const region = 'arn:${AWS::Partition}:glue:${AWS::Region}:${AWS::AccountId}';
  const bucket = `arn:\${AWS::Partition}:s3:::${names.dataBucket}`;
  return {
    // SageMaker may write names in ARNs in lower case, and IAM compares case-sensitively.
    featureGroups: [...new Set([names.featureGroupName, names.featureGroupName.toLowerCase()])].map(
      (name) =>
        sub(
          `arn:\${AWS::Partition}:sagemaker:\${AWS::Region}:\${AWS::AccountId}:feature-group/${name}`,
        ),
    ),
    // Glue authorizes a table through its catalog, database and table (IAM, "Specifying AWS Glue
    // resource ARNs").
    table: [
      sub(`${region}:catalog`),
      sub(`${region}:database/${names.database}`),
      sub(`${region}:table/${names.database}/${names.table}`),
    ],
    bucket: sub(bucket),
    offlineStoreObjects: sub(`${bucket}/${OFFLINE_STORE_PREFIX}*`),
    queryResultObjects: sub(`${bucket}/${QUERY_RESULTS_PREFIX}*`),
  };
}

function featureGroup(
  config: FeatureStoreConfig,
  dataset: DatasetSchema,
  names: FeatureStoreNames,
) {
  return {
    Type: 'AWS::SageMaker::FeatureGroup',
    // The features and their history are what other models and teams reuse: kept, like the
    // model package group, when the stack goes.
    DeletionPolicy: 'Retain',
    UpdateReplacePolicy: 'Retain',
    DependsOn: ['FeatureStoreDatabase'],
    Properties: {
      FeatureGroupName: names.featureGroupName,
      Description: `Prepared training rows of ${names.featureGroupName.replace(/-features$/, '')}`,
      RecordIdentifierFeatureName: RECORD_IDENTIFIER_FEATURE_NAME,
      EventTimeFeatureName: EVENT_TIME_FEATURE_NAME,
      FeatureDefinitions: [
        { FeatureName: RECORD_IDENTIFIER_FEATURE_NAME, FeatureType: 'String' },
        // ISO 8601 in UTC (`yyyy-MM-dd'T'HH:mm:ssZ`), one of the two String forms the API takes.
        { FeatureName: EVENT_TIME_FEATURE_NAME, FeatureType: 'String' },
        { FeatureName: dataset.label, FeatureType: 'Integral' },
        ...dataset.features.map((feature) => ({
          FeatureName: feature.name,
          FeatureType: feature.type,
        })),
      ],
      OfflineStoreConfig: {
        S3StorageConfig: {
          // The bucket's default name holds ${AWS::AccountId}: CloudFormation completes it.
          S3Uri: sub(`s3://${names.dataBucket}/${OFFLINE_STORE_PREFIX.replace(/\/$/, '')}`),
          KmsKeyId: keyArn,
        },
        // The service creates the table under these names (OfflineStoreConfig in the SageMaker
        // API model: DataCatalogConfig with DisableGlueTableCreation false).
        DisableGlueTableCreation: false,
        DataCatalogConfig: {
          Catalog: DATA_CATALOG,
          Database: names.database,
          TableName: names.table,
        },
      },
      OnlineStoreConfig: config.onlineStore
        ? { EnableOnlineStore: true, SecurityConfig: { KmsKeyId: keyArn } }
        : { EnableOnlineStore: false },
      RoleArn: { 'Fn::GetAtt': ['FeatureStoreOfflineStoreRole', 'Arn'] },
    },
  };
}

/**
 * The role Feature Store writes the offline store with: what the AWS managed policy
 * AmazonSageMakerFeatureStoreAccess grants (S3 writes and ACLs, manifests, Glue table updates),
 * on this group's prefix, table and key only, plus the key (S3StorageConfig.KmsKeyId: the role
 * needs kms:GenerateDataKey).
 */
function offlineStoreRole(names: FeatureStoreNames, arns: ReturnType<typeof resourceArns>) {
  return {
    Type: 'AWS::IAM::Role',
    Properties: {
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'sagemaker.amazonaws.com' },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          },
        ],
      },
      Policies: [
        {
          PolicyName: 'offline-store',
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'WriteTheOfflineStore',
                Effect: 'Allow',
                Action: ['s3:PutObject', 's3:PutObjectAcl', 's3:GetObject'],
                Resource: arns.offlineStoreObjects,
              },
              {
                Sid: 'CheckTheBucketAcl',
                Effect: 'Allow',
                Action: 's3:GetBucketAcl',
                Resource: arns.bucket,
              },
              {
                Sid: 'UpdateTheOfflineStoreTable',
                Effect: 'Allow',
                Action: ['glue:GetTable', 'glue:UpdateTable'],
                Resource: arns.table,
              },
              {
                Sid: 'EncryptTheOfflineStore',
                Effect: 'Allow',
                Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
                Resource: keyArn,
              },
            ],
          },
        },
      ],
    },
  };
}

function workGroup(config: FeatureStoreConfig, names: FeatureStoreNames) {
  return {
    Type: 'AWS::Athena::WorkGroup',
    Properties: {
      Name: names.workGroup,
      Description: `History queries of feature group ${names.featureGroupName}`,
      State: 'ENABLED',
      // Its query history goes with the stack; results stay in the bucket.
      RecursiveDeleteOption: true,
      WorkGroupConfiguration: {
        // Queries cannot choose another result location or leave results unencrypted.
        EnforceWorkGroupConfiguration: true,
        PublishCloudWatchMetricsEnabled: true,
        BytesScannedCutoffPerQuery: config.maxScannedGigabytes * GIGABYTE,
        ResultConfiguration: {
          OutputLocation: sub(`s3://${names.dataBucket}/${QUERY_RESULTS_PREFIX}`),
          EncryptionConfiguration: { EncryptionOption: 'SSE_KMS', KmsKey: keyArn },
        },
      },
    },
  };
}

/** What IngestFeatures and BuildTrainingSet call, on this stage's resources only. */
function pipelineStatements(
  config: FeatureStoreConfig,
  names: FeatureStoreNames,
  arns: ReturnType<typeof resourceArns>,
): Statement[] {
  const fromHistory = config.trainingSource === 'offline-store';
  // PutRecord to an online store needs kms:Decrypt (OnlineStoreSecurityConfig); Athena reads the
  // offline store's objects and writes SSE-KMS results with the caller's permissions.
  const keyActions = [
    ...(config.onlineStore || fromHistory ? ['kms:Decrypt'] : []),
    ...(fromHistory ? ['kms:GenerateDataKey'] : []),
  ];
  return [
    {
      Sid: 'IngestIntoTheFeatureGroup',
      Effect: 'Allow',
      Action: 'sagemaker:PutRecord',
      Resource: arns.featureGroups,
    },
    ...(keyActions.length > 0
      ? [{ Sid: 'UseTheFeatureStoreKey', Effect: 'Allow', Action: keyActions, Resource: keyArn }]
      : []),
    ...(fromHistory
      ? [
          {
            Sid: 'QueryInTheFeatureStoreWorkGroup',
            Effect: 'Allow',
            Action: ['athena:StartQueryExecution', 'athena:GetQueryExecution'],
            Resource: sub(
              `arn:\${AWS::Partition}:athena:\${AWS::Region}:\${AWS::AccountId}:workgroup/${names.workGroup}`,
            ),
          },
          {
            Sid: 'ReadTheFeatureGroupTable',
            Effect: 'Allow',
            Action: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartitions'],
            Resource: arns.table,
          },
          {
            Sid: 'ReadTheOfflineStore',
            Effect: 'Allow',
            Action: 's3:GetObject',
            Resource: arns.offlineStoreObjects,
          },
          {
            // What Athena needs on its result location (Athena user guide, access to query results).
            Sid: 'WriteAndReadQueryResults',
            Effect: 'Allow',
            Action: [
              's3:PutObject',
              's3:GetObject',
              's3:AbortMultipartUpload',
              's3:ListMultipartUploadParts',
            ],
            Resource: arns.queryResultObjects,
          },
          {
            Sid: 'ListTheOfflineStoreAndQueryResults',
            Effect: 'Allow',
            Action: 's3:ListBucket',
            Resource: arns.bucket,
            Condition: {
              StringLike: { 's3:prefix': [`${OFFLINE_STORE_PREFIX}*`, `${QUERY_RESULTS_PREFIX}*`] },
            },
          },
          {
            // Neither takes the s3:prefix condition key.
            Sid: 'LocateTheBucketAndItsUploads',
            Effect: 'Allow',
            Action: ['s3:GetBucketLocation', 's3:ListBucketMultipartUploads'],
            Resource: arns.bucket,
          },
        ]
      : []),
  ];
}
