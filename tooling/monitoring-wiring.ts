import type { ModelMonitorConfig, RetrainingConfig } from '../functions/config/retraining-config';
import { ALARM_DETAIL_TYPE } from '../functions/schemas/cloudwatch-alarm-event';
import {
  PIPELINE_STEP_DETAIL_TYPE,
  PROCESSING_JOB_DETAIL_TYPE,
} from '../functions/schemas/sagemaker-events';
import { MODEL_QUALITY_VIOLATION_STEP_NAME } from '../pipeline-definitions/model-quality-violation';
import type { StackPipelines } from './deployment-config';
import type { EventRule } from './function-declaration';

// onMonitoringViolation reads what it must decide on from a FIFO queue, one message group per
// retrain target: the guards of one pipeline (read its runs, then start) never run twice at once,
// which reserved concurrency 1 did before and which fails on accounts with a concurrency quota of
// 10. Each group needs a rule of its own, since a target's MessageGroupId is fixed (EventBridge
// Target.SqsParameters); Model Monitor drift warnings start nothing and get a group of their own.

export type MonitoringGroup = RetrainingConfig['onModelQuality'] | 'model-monitor';

/** A rule's pattern and the message group its events join. */
export interface MonitoringRoute {
  readonly group: MonitoringGroup;
  readonly pattern: Record<string, unknown>;
}

/**
 * What reaches onMonitoringViolation, by message group: the model-quality marker of this stack's
 * scoring runs (the Fail step's own status event, which carries the marker: the run's event does
 * not, and taking both would e-mail a held-back retrain twice) in the group of `onModelQuality`;
 * each configured drift alarm entering ALARM in the group of its pipeline; the configured Model
 * Monitor jobs that completed with violations (none unless configured: the account's other teams
 * run monitors too) in their own group. A group without events has no route.
 *
 * @example
 * monitoringRoutes(retraining, pipelines).map((route) => route.group); // ['training-hpo']
 */
export function monitoringRoutes(
  retraining: RetrainingConfig,
  pipelines: StackPipelines,
): MonitoringRoute[] {
  const modelQuality = {
    source: ['aws.sagemaker'],
    'detail-type': [PIPELINE_STEP_DETAIL_TYPE],
    detail: {
      pipelineArn: [{ suffix: `:pipeline/${pipelines['batch-inference'].toLowerCase()}` }],
      // Not on failureReason: the Fail step's message is documented in its metadata only, so
      // the function reads it from the run when the event lacks it.
      stepName: [MODEL_QUALITY_VIOLATION_STEP_NAME],
      currentStepStatus: ['Failed'],
    },
  };
  const retrainBranches = (pipeline: RetrainingConfig['onModelQuality']) => {
    const alarmNames = retraining.alarms
      .filter((alarm) => alarm.pipeline === pipeline)
      .map((alarm) => alarm.name);
    return [
      ...(retraining.onModelQuality === pipeline ? [modelQuality] : []),
      ...(alarmNames.length === 0
        ? []
        : [
            {
              source: ['aws.cloudwatch'],
              'detail-type': [ALARM_DETAIL_TYPE],
              detail: { alarmName: alarmNames, state: { value: ['ALARM'] } },
            },
          ]),
    ];
  };
  const branchesByGroup: Array<[MonitoringGroup, Array<Record<string, unknown>>]> = [
    ['training', retrainBranches('training')],
    ['training-hpo', retrainBranches('training-hpo')],
    ['model-monitor', modelMonitorJobPatterns(retraining.modelMonitor)],
  ];
  return branchesByGroup.flatMap(([group, branches]) => {
    const [only] = branches;
    if (only === undefined) return [];
    return [{ group, pattern: branches.length === 1 ? only : { $or: branches } }];
  });
}

/**
 * A rule per monitoring route, each sending to the monitoring FIFO queue in its message group.
 *
 * @example
 * monitoringRules(monitoringRoutes(retraining, pipelines)).map((rule) => rule.id); // ['MonitoringTrainingHpoRule']
 */
export function monitoringRules(routes: readonly MonitoringRoute[]): EventRule[] {
  return routes.map((route) => ({
    id: ruleIdOf(route.group),
    name: route.group === 'model-monitor' ? 'model-monitor' : `retrain-${route.group}`,
    description: `Monitoring events for onMonitoringViolation, message group ${route.group}`,
    match: { kind: 'pattern', pattern: route.pattern },
    targetId: 'monitoring-queue',
    messageGroupId: route.group,
  }));
}

/** `MonitoringTrainingHpoRule` for the group `training-hpo`. */
function ruleIdOf(group: MonitoringGroup): string {
  const words = group.replace(/(^|-)([a-z])/g, (_, _dash: string, letter: string) =>
    letter.toUpperCase(),
  );
  return `Monitoring${words}Rule`;
}

/**
 * Completed-with-violations jobs of the listed Model Monitor schedules (by the schedule ARN the
 * job event carries; both spellings, since SageMaker may lower-case names in ARNs) and of the
 * listed job-name prefixes. No branch at all when nothing is listed.
 */
function modelMonitorJobPatterns(modelMonitor: ModelMonitorConfig): Array<Record<string, unknown>> {
  const withViolations = (match: Record<string, unknown>) => ({
    source: ['aws.sagemaker'],
    'detail-type': [PROCESSING_JOB_DETAIL_TYPE],
    detail: {
      ProcessingJobStatus: ['Completed'],
      ExitMessage: [{ prefix: 'CompletedWithViolations' }],
      ...match,
    },
  });
  const scheduleSuffixes = [
    ...new Set(modelMonitor.scheduleNames.flatMap((name) => [name, name.toLowerCase()])),
  ].map((name) => ({ suffix: `:monitoring-schedule/${name}` }));
  return [
    ...(scheduleSuffixes.length === 0
      ? []
      : [withViolations({ MonitoringScheduleArn: scheduleSuffixes })]),
    ...(modelMonitor.jobNamePrefixes.length === 0
      ? []
      : [
          withViolations({
            ProcessingJobName: modelMonitor.jobNamePrefixes.map((prefix) => ({ prefix })),
          }),
        ]),
  ];
}
