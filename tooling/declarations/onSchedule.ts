import { scheduleFunctionConfigSchema } from '../../functions/config/function-configs';
import { pipelineArns } from '../data-upload-wiring';
import { declareFunction, invokedByRules } from '../function-declaration';
import { dataBucketArn, listModelPackages } from '../role-statements';
import { scheduleRules } from '../schedule-wiring';
import { stackFacts } from '../stack-facts';

export const onSchedule = declareFunction({
  name: 'onSchedule',
  description: 'Starts scheduled runs whose preconditions hold; e-mails why a run was skipped',
  timeout: 30,
  trigger: ({ deployment }) => invokedByRules(scheduleRules(deployment.schedules)),
  configuration: {
    variable: 'NOTIFY_CONFIG',
    schema: scheduleFunctionConfigSchema,
    build: (stack) => ({
      ...stackFacts(stack),
      schedules: [...stack.deployment.schedules],
      ruleNamePrefix: `${stack.stackPrefix}-`,
    }),
  },
  recordsDecisions: true,
  sendsEmails: true,
  permissions: (stack) => [
    {
      Sid: 'GuardAndStartScheduledRuns',
      Action: ['sagemaker:ListPipelineExecutions', 'sagemaker:StartPipelineExecution'],
      Resource: pipelineArns(Object.values(stack.deployment.pipelines)),
    },
    listModelPackages('CheckForAnApprovedModel'),
    { Sid: 'CheckTheInputExists', Action: 's3:ListBucket', Resource: dataBucketArn(stack) },
  ],
});
