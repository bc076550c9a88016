import { monitoringFunctionConfigSchema } from '../../functions/config/function-configs';
import { DEV_STACK } from './stack-names';

export const monitoringConfig = monitoringFunctionConfigSchema.parse({
  ...DEV_STACK,
  cooldownHours: 6,
  parameters: { InputDataUrl: 's3://mlops-control-plane-dev-data/data/training/' },
  alarms: [{ name: 'mlops-control-plane-dev-feature-drift', pipeline: 'training' }],
});
