import { STACK_SAGEMAKER_SETTINGS } from '../functions/config/function-configs';
import type { StackContext } from './function-declaration';

/**
 * What every function that e-mails or starts pipelines is told of its stack at cold start (the
 * `stackShape` of functions/config/function-configs.ts).
 *
 * @example
 * build: (stack) => ({ ...stackFacts(stack), schedules: stack.deployment.schedules, ... })
 */
export function stackFacts(stack: StackContext) {
  return {
    stage: stack.stage,
    pipelines: stack.deployment.pipelines,
    modelPackageGroup: stack.modelPackageGroup,
    sageMaker: STACK_SAGEMAKER_SETTINGS,
  };
}

/** The dataset's feature names in column order, for e-mails that name features. */
export function datasetFeatures(stack: StackContext): string[] | undefined {
  return stack.deployment.dataset?.features.map((feature) => feature.name);
}
