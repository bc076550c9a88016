import { createHash } from 'node:crypto';
import {
  type DataUploadConfig,
  dataUploadConfigSchema,
} from '../functions/config/data-upload-config';
import { type DatasetSchema, datasetSchemaSchema } from '../functions/config/dataset-schema';
import {
  type FeatureStoreConfig,
  featureStoreConfigSchema,
} from '../functions/config/feature-store-config';
import {
  type NotificationsConfig,
  notificationsConfigSchema,
} from '../functions/config/notifications-config';
import { parseConfig } from '../functions/config/parse-config';
import {
  type RetrainingConfig,
  retrainingConfigSchema,
} from '../functions/config/retraining-config';
import { type Schedule, schedulesConfigSchema } from '../functions/config/schedules-config';
import { CATEGORY_MESSAGE_ATTRIBUTE } from '../functions/core/notification-category';
import { ConfigurationError } from '../functions/errors';
import {
  PIPELINE_IDS,
  type PipelineId,
  declaredParameterNames,
} from '../pipeline-definitions/pipeline-catalog';

/** `custom.pipelines` of serverless.yml: the stack's pipeline names by pipeline id. */
export type StackPipelines = Readonly<Record<PipelineId, string>>;

export interface DeploymentConfig {
  readonly dataUpload: DataUploadConfig;
  readonly notifications: NotificationsConfig;
  readonly retraining: RetrainingConfig;
  readonly schedules: readonly Schedule[];
  readonly pipelines: StackPipelines;
  /** The training data's label and features (custom.mlops.dataset), when configured. */
  readonly dataset?: DatasetSchema;
  readonly featureStore: FeatureStoreConfig;
}

const PIPELINE_KEYS: Readonly<Record<PipelineId, string>> = {
  training: 'training',
  'training-hpo': 'trainingHpo',
  'batch-inference': 'batchInference',
};

/**
 * Validates the whole deployment configuration, each section with the schema its function uses
 * at cold start, then across sections: a route must start one of this stack's pipelines and pass
 * only parameters that pipeline's definition declares. Errors name the key.
 *
 * @example
 * const deployment = parseDeploymentConfig({ dataUpload, notifications }, customPipelines);
 */
export function parseDeploymentConfig(
  mlops: {
    dataUpload?: unknown;
    notifications?: unknown;
    retraining?: unknown;
    schedules?: unknown;
    dataset?: unknown;
    featureStore?: unknown;
  },
  customPipelines: Record<string, unknown>,
): DeploymentConfig {
  const pipelines = Object.fromEntries(
    PIPELINE_IDS.map((id) => [id, String(customPipelines[PIPELINE_KEYS[id]] ?? '')]),
  ) as Record<PipelineId, string>;
  const deployment: DeploymentConfig = {
    dataUpload: parseConfig(dataUploadConfigSchema, mlops.dataUpload, 'custom.mlops.dataUpload'),
    notifications: parseConfig(
      notificationsConfigSchema,
      mlops.notifications ?? {},
      'custom.mlops.notifications',
    ),
    retraining: parseConfig(
      retrainingConfigSchema,
      mlops.retraining ?? {},
      'custom.mlops.retraining',
    ),
    schedules: parseConfig(schedulesConfigSchema, mlops.schedules, 'custom.mlops.schedules'),
    pipelines,
    ...(mlops.dataset === undefined
      ? {}
      : { dataset: parseConfig(datasetSchemaSchema, mlops.dataset, 'custom.mlops.dataset') }),
    featureStore: parseConfig(
      featureStoreConfigSchema,
      mlops.featureStore ?? {},
      'custom.mlops.featureStore',
    ),
  };
  const problems = [
    ...(deployment.featureStore.enabled && deployment.dataset === undefined
      ? [
          'custom.mlops.featureStore.enabled: the feature group needs custom.mlops.dataset (the label and each feature’s name and type)',
        ]
      : []),
    ...routeProblems(deployment),
    ...retrainingProblems(deployment.retraining),
    ...deployment.notifications.stepNotifications.flatMap((wanted, index) =>
      wanted.pipeline === '*' || (PIPELINE_IDS as readonly string[]).includes(wanted.pipeline)
        ? []
        : [
            `custom.mlops.notifications.stepNotifications[${index}].pipeline: ${wanted.pipeline} is not a pipeline id (${PIPELINE_IDS.join(', ')}) or *`,
          ],
    ),
    ...deployment.schedules.flatMap((schedule, index) =>
      undeclaredParameters(
        schedule.pipeline,
        Object.keys(schedule.parameters),
        `custom.mlops.schedules[${index}]`,
      ),
    ),
  ];
  if (problems.length > 0)
    throw new ConfigurationError(`Invalid configuration: ${problems.join('; ')}`);
  return deployment;
}

function routeProblems({ dataUpload, pipelines }: DeploymentConfig): string[] {
  const idOfName = new Map(PIPELINE_IDS.map((id) => [pipelines[id], id]));
  return dataUpload.routes.flatMap((route, index) => {
    const at = `custom.mlops.dataUpload.routes[${index}]`;
    const id = idOfName.get(route.pipeline);
    if (id === undefined) {
      return [
        `${at}.pipeline: ${route.pipeline} is not one of this stack's pipelines (${Object.values(pipelines).join(', ')})`,
      ];
    }
    return undeclaredParameters(id, [route.inputParameter, ...Object.keys(route.parameters)], at);
  });
}

/** Retrain runs pass the model package group and the configured parameters to their pipeline. */
function retrainingProblems(retraining: RetrainingConfig): string[] {
  const at = 'custom.mlops.retraining';
  return [
    ...undeclaredParameters(
      retraining.onModelQuality,
      ['ModelPackageGroupName', ...Object.keys(retraining.parameters)],
      at,
    ),
    ...retraining.alarms.flatMap((alarm, index) =>
      undeclaredParameters(
        alarm.pipeline,
        [
          'ModelPackageGroupName',
          ...Object.keys({ ...retraining.parameters, ...alarm.parameters }),
        ],
        `${at}.alarms[${index}]`,
      ),
    ),
  ];
}

function undeclaredParameters(id: PipelineId, names: readonly string[], at: string): string[] {
  const declared = declaredParameterNames(id);
  return names
    .filter((name) => !declared.includes(name))
    .map(
      (name) =>
        `${at}: pipeline ${id} declares no parameter ${name} (it declares ${declared.join(', ')})`,
    );
}

/**
 * SNS e-mail subscriptions, one per recipient and topic, with a filter policy on the `category`
 * message attribute. Logical ids derive from the address, so reordering recipients does not
 * recreate subscriptions (each recreation asks the recipient to confirm again).
 */
export function recipientSubscriptions(
  notifications: Pick<NotificationsConfig, 'recipients'>,
): Record<string, unknown> {
  const resources: Record<string, unknown> = {};
  for (const recipient of notifications.recipients.filter((candidate) => candidate.email !== '')) {
    const id = `Recipient${createHash('sha256').update(recipient.email.toLowerCase()).digest('hex').slice(0, 10)}`;
    resources[`${id}Notifications`] = {
      Type: 'AWS::SNS::Subscription',
      Properties: {
        TopicArn: { Ref: 'NotificationsTopic' },
        Protocol: 'email',
        Endpoint: recipient.email,
        ...(recipient.categories === 'all'
          ? {}
          : {
              FilterPolicyScope: 'MessageAttributes',
              FilterPolicy: { [CATEGORY_MESSAGE_ATTRIBUTE]: recipient.categories },
            }),
      },
    };
    if (recipient.ops) {
      resources[`${id}OpsAlarms`] = {
        Type: 'AWS::SNS::Subscription',
        Properties: {
          TopicArn: { Ref: 'OpsAlarmsTopic' },
          Protocol: 'email',
          Endpoint: recipient.email,
        },
      };
    }
  }
  return resources;
}
