import { pipelineArns } from '../data-upload-wiring';
import { declareFunction, invokedByRules } from '../function-declaration';
import { NOTIFICATION_FUNCTION, pipelineStatusEventPattern } from '../notification-wiring';
import { readReports } from '../role-statements';

export const onPipelineStatusChange = declareFunction({
  name: 'onPipelineStatusChange',
  description: 'E-mails pipeline run and step status changes, failure reasons and drift warnings',
  timeout: 30,
  trigger: ({ deployment }) =>
    invokedByRules([
      {
        id: 'PipelineStatusRule',
        name: 'pipeline-status',
        description:
          "Run and step status changes of this stack's pipelines that can produce an e-mail",
        match: {
          kind: 'pattern',
          pattern: pipelineStatusEventPattern(deployment.notifications, deployment.pipelines),
        },
        targetId: 'on-pipeline-status-change',
      },
    ]),
  ...NOTIFICATION_FUNCTION,
  permissions: (stack) => [
    {
      Sid: 'ReadFailedRunsOfTheStacksPipelines',
      Action: [
        'sagemaker:DescribePipelineExecution',
        'sagemaker:ListPipelineExecutionSteps',
        'sagemaker:ListPipelineParametersForExecution',
      ],
      Resource: pipelineArns(Object.values(stack.deployment.pipelines), '/execution/*'),
    },
    // The QualityCheck steps' folders only (derived from pipeline-definitions/).
    ...readReports(stack, 'qualityChecks', 'QualityReports'),
  ],
});
