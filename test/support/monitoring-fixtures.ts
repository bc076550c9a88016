import { monitoringFunctionConfigSchema } from '../../functions/config/function-configs';
import { DEV_STACK } from './stack-names';

export const monitoringConfig = monitoringFunctionConfigSchema.parse({
  ...DEV_STACK,
  cooldownHours: 6,
  parameters: { InputDataUrl: 's3://mlops-control-plane-dev-data/data/training/' },
  alarms: [{ name: 'mlops-control-plane-dev-feature-drift', pipeline: 'training' }],
  // The Model Monitor schedule of the sample event, writing under monitoring/ of the data bucket.
  modelMonitor: { scheduleNames: ['scoring-input'] },
  dataBucket: 'mlops-control-plane-dev-data',
});
