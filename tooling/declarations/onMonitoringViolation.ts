import { monitoringFunctionConfigSchema } from '../../functions/config/function-configs';
import { pipelineArns } from '../data-upload-wiring';
import { declareFunction } from '../function-declaration';
import { monitoringRoutes, monitoringRules } from '../monitoring-wiring';
import { readReports } from '../role-statements';
import { datasetFeatures, stackFacts } from '../stack-facts';

export const onMonitoringViolation = declareFunction({
  name: 'onMonitoringViolation',
  description:
    'Retrains on a model-quality violation or a drift alarm, guarded; warns of Model Monitor violations',
  timeout: 30,
  // One retrain decision per target pipeline at a time, without reserved concurrency (which fails
  // on accounts whose concurrency quota is 10): the monitoring rules send to a FIFO queue, one
  // message group per target, and Lambda runs one batch of a group at a time. Events EventBridge
  // cannot deliver go to the notifications dead-letter queue: EventBridge takes only standard
  // queues there.
  trigger: ({ deployment }) => ({
    kind: 'queue',
    queue: 'MonitoringQueue',
    queueDeadLetterQueue: 'MonitoringDeadLetterQueue',
    queuePolicy: 'MonitoringQueuePolicy',
    batchSize: 1,
    deadLetterQueue: 'NotificationsDeadLetterQueue',
    rules: monitoringRules(monitoringRoutes(deployment.retraining, deployment.pipelines)),
  }),
  configuration: {
    variable: 'NOTIFY_CONFIG',
    schema: monitoringFunctionConfigSchema,
    build: (stack) => ({
      ...stack.deployment.retraining,
      ...stackFacts(stack),
      datasetFeatures: datasetFeatures(stack),
      maxDriftViolations: stack.deployment.notifications.maxDriftViolations,
      dataBucket: stack.dataBucket,
    }),
  },
  recordsDecisions: true,
  sendsEmails: true,
  permissions: (stack) => {
    const { pipelines } = stack.deployment;
    return [
      {
        Sid: 'GuardAndStartRetrains',
        Action: ['sagemaker:ListPipelineExecutions', 'sagemaker:StartPipelineExecution'],
        Resource: pipelineArns([pipelines.training, pipelines['training-hpo']]),
      },
      // The Fail step's message, when its status event carries none.
      {
        Sid: 'ReadTheViolationOfScoringRuns',
        Action: 'sagemaker:ListPipelineExecutionSteps',
        Resource: pipelineArns([pipelines['batch-inference']], '/execution/*'),
      },
      // custom.mlops.retraining.modelMonitor.reportPrefix only.
      ...readReports(stack, 'modelMonitor', 'MonitoringReports'),
    ];
  },
});
