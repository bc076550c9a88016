import { monitoringFunctionConfigSchema } from '../../functions/config/function-configs';

export const monitoringConfig = monitoringFunctionConfigSchema.parse({
  stage: 'dev',
  pipelines: {
    training: 'mlops-control-plane-dev-training',
    'training-hpo': 'mlops-control-plane-dev-training-hpo',
    'batch-inference': 'mlops-control-plane-dev-batch-inference',
  },
  modelPackageGroup: 'mlops-control-plane-dev-models',
  cooldownHours: 6,
  parameters: { InputDataUrl: 's3://mlops-control-plane-dev-data/data/training/' },
  alarms: [{ name: 'mlops-control-plane-dev-feature-drift', pipeline: 'training' }],
});
