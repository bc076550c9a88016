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
import {
  type RetrainingConfig,
  retrainingConfigSchema,
} from '../functions/config/retraining-config';
import { type Schedule, schedulesConfigSchema } from '../functions/config/schedules-config';
import {
  type UploadBatchingConfig,
  uploadBatchingConfigSchema,
} from '../functions/config/upload-batching-config';
import { CATEGORY_MESSAGE_ATTRIBUTE } from '../functions/core/notification-category';
import {
  PIPELINE_IDS,
  type PipelineId,
  declaredParameterNames,
} from '../pipeline-definitions/pipeline-catalog';
import {
  type ConfigPath,
  type ConfigProblem,
  InvalidDeploymentConfigError,
  namedKey,
  parseSection,
} from './configuration-problems';

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
  readonly uploadBuffer: UploadBatchingConfig;
}

/**
 * Validates the whole deployment configuration, each section with the schema its function uses
 * at cold start, then across sections: a route must start one of this stack's pipelines and pass
 * only parameters that pipeline's definition declares. Every problem of every section is reported
 * at once, each by its key and the name of its route, schedule or alarm.
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
    uploadBuffer?: unknown;
  },
  customPipelines: Record<string, unknown>,
): DeploymentConfig {
  const pipelines = Object.fromEntries(
    PIPELINE_IDS.map((id) => [id, String(customPipelines[id] ?? '')]),
  ) as Record<PipelineId, string>;
  const sections = {
    dataUpload: parseSection(dataUploadConfigSchema, mlops.dataUpload, 'dataUpload'),
    notifications: parseSection(
      notificationsConfigSchema,
      mlops.notifications ?? {},
      'notifications',
    ),
    retraining: parseSection(retrainingConfigSchema, mlops.retraining ?? {}, 'retraining'),
    schedules: parseSection(schedulesConfigSchema, mlops.schedules, 'schedules'),
    dataset:
      mlops.dataset === undefined
        ? undefined
        : parseSection(datasetSchemaSchema, mlops.dataset, 'dataset'),
    featureStore: parseSection(featureStoreConfigSchema, mlops.featureStore ?? {}, 'featureStore'),
    uploadBuffer: parseSection(
      uploadBatchingConfigSchema,
      mlops.uploadBuffer ?? {},
      'uploadBuffer',
    ),
  };
  const { dataUpload, notifications, retraining, schedules, dataset, featureStore, uploadBuffer } =
    sections;
  // Across sections, as far as each section could be read.
  const problems = [
    ...Object.values(sections).flatMap((section) =>
      section !== undefined && 'problems' in section ? section.problems : [],
    ),
    ...('value' in featureStore && featureStore.value.enabled && dataset === undefined
      ? [
          {
            path: ['featureStore', 'enabled'],
            message:
              'the feature group needs custom.mlops.dataset (the label and each feature’s name and type)',
          },
        ]
      : []),
    ...('value' in dataUpload ? routeProblems(dataUpload.value, pipelines) : []),
    ...('value' in retraining ? retrainingProblems(retraining.value) : []),
    ...('value' in notifications ? stepNotificationProblems(notifications.value) : []),
    ...('value' in schedules ? scheduleProblems(schedules.value) : []),
  ];
  if (
    problems.length === 0 &&
    'value' in dataUpload &&
    'value' in notifications &&
    'value' in retraining &&
    'value' in schedules &&
    'value' in featureStore &&
    'value' in uploadBuffer &&
    (dataset === undefined || 'value' in dataset)
  ) {
    return {
      dataUpload: dataUpload.value,
      notifications: notifications.value,
      retraining: retraining.value,
      schedules: schedules.value,
      pipelines,
      ...(dataset === undefined ? {} : { dataset: dataset.value }),
      featureStore: featureStore.value,
      uploadBuffer: uploadBuffer.value,
    };
  }
  throw new InvalidDeploymentConfigError(
    problems,
    (problem) => `${namedKey(problem.path, mlops)}: ${problem.message}`,
  );
}

function routeProblems(dataUpload: DataUploadConfig, pipelines: StackPipelines): ConfigProblem[] {
  const idOfName = new Map(PIPELINE_IDS.map((id) => [pipelines[id], id]));
  return dataUpload.routes.flatMap((route, index) => {
    const at = ['dataUpload', 'routes', index];
    const id = idOfName.get(route.pipeline);
    if (id === undefined) {
      return [
        {
          path: [...at, 'pipeline'],
          message: `${route.pipeline} is not one of this stack's pipelines (${Object.values(pipelines).join(', ')})`,
        },
      ];
    }
    return [
      ...undeclaredParameters(id, [route.inputParameter], () => [...at, 'inputParameter']),
      ...undeclaredParameters(id, Object.keys(route.parameters), (name) => [
        ...at,
        'parameters',
        name,
      ]),
    ];
  });
}

/** Retrain runs pass the model package group and the configured parameters to their pipeline. */
function retrainingProblems(retraining: RetrainingConfig): ConfigProblem[] {
  const sharedParameter = (name: string): ConfigPath => ['retraining', 'parameters', name];
  return [
    ...undeclaredParameters(
      retraining.onModelQuality,
      ['ModelPackageGroupName', ...Object.keys(retraining.parameters)],
      (name) =>
        name === 'ModelPackageGroupName' ? ['retraining', 'onModelQuality'] : sharedParameter(name),
    ),
    ...retraining.alarms.flatMap((alarm, index) => {
      const at = ['retraining', 'alarms', index];
      return undeclaredParameters(
        alarm.pipeline,
        [
          'ModelPackageGroupName',
          ...Object.keys({ ...retraining.parameters, ...alarm.parameters }),
        ],
        (name) => {
          if (name === 'ModelPackageGroupName') return [...at, 'pipeline'];
          return name in alarm.parameters ? [...at, 'parameters', name] : sharedParameter(name);
        },
      );
    }),
  ];
}

function stepNotificationProblems(notifications: NotificationsConfig): ConfigProblem[] {
  return notifications.stepNotifications.flatMap((wanted, index) =>
    wanted.pipeline === '*' || (PIPELINE_IDS as readonly string[]).includes(wanted.pipeline)
      ? []
      : [
          {
            path: ['notifications', 'stepNotifications', index, 'pipeline'],
            message: `${wanted.pipeline} is not a pipeline id (${PIPELINE_IDS.join(', ')}) or *`,
          },
        ],
  );
}

function scheduleProblems(schedules: readonly Schedule[]): ConfigProblem[] {
  return schedules.flatMap((schedule, index) =>
    undeclaredParameters(schedule.pipeline, Object.keys(schedule.parameters), (name) => [
      'schedules',
      index,
      'parameters',
      name,
    ]),
  );
}

function undeclaredParameters(
  id: PipelineId,
  names: readonly string[],
  pathOf: (name: string) => ConfigPath,
): ConfigProblem[] {
  const declared = declaredParameterNames(id);
  return names
    .filter((name) => !declared.includes(name))
    .map((name) => ({
      path: pathOf(name),
      message: `pipeline ${id} declares no parameter ${name} (it declares ${declared.join(', ')})`,
    }));
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
