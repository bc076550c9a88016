import { scheduleFunctionConfigSchema } from '../../functions/config/function-configs';

export const scheduleConfig = scheduleFunctionConfigSchema.parse({
  stage: 'dev',
  pipelines: {
    training: 'mlops-control-plane-dev-training',
    'training-hpo': 'mlops-control-plane-dev-training-hpo',
    'batch-inference': 'mlops-control-plane-dev-batch-inference',
  },
  modelPackageGroup: 'mlops-control-plane-dev-models',
  ruleNamePrefix: 'mlops-control-plane-dev-',
  schedules: [
    {
      name: 'daily-scoring',
      expression: 'cron(0 6 * * ? *)',
      pipeline: 'batch-inference',
      parameters: {
        InputDataUrl: 's3://bucket/data/inference/{{yyyy}}-{{mm}}-{{dd}}/',
        ModelPackageGroupName: 'g',
      },
    },
    {
      name: 'monthly-training',
      expression: 'cron(0 12 1 * ? *)',
      pipeline: 'training',
      dayOffset: -1,
      parameters: { InputDataUrl: 's3://bucket/data/training/{{yyyy}}-{{mm}}' },
    },
  ],
});
