import type { FunctionDeclaration } from '../function-declaration';
import { getApprovedModel } from './getApprovedModel';
import { onDataUpload } from './onDataUpload';
import { onModelPackageStateChange } from './onModelPackageStateChange';
import { onMonitoringViolation } from './onMonitoringViolation';
import { onPipelineStatusChange } from './onPipelineStatusChange';
import { onSchedule } from './onSchedule';

/** Every Lambda function of the control plane; the plugin derives the stack's functions from it. */
export const ALL_FUNCTIONS: readonly FunctionDeclaration[] = [
  onDataUpload,
  getApprovedModel,
  onPipelineStatusChange,
  onModelPackageStateChange,
  onMonitoringViolation,
  onSchedule,
];
