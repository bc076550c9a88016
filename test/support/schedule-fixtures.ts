import { scheduleFunctionConfigSchema } from '../../functions/config/function-configs';
import { DEV_STACK } from './stack-names';

export const scheduleConfig = scheduleFunctionConfigSchema.parse({
  ...DEV_STACK,
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
