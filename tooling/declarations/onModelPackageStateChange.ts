import { pipelineArns } from '../data-upload-wiring';
import { declareFunction, invokedByRules } from '../function-declaration';
import { NOTIFICATION_FUNCTION, modelPackageEventPattern } from '../notification-wiring';
import {
  describeModelVersionsOfTheGroup,
  listModelPackages,
  readReports,
} from '../role-statements';

export const onModelPackageStateChange = declareFunction({
  name: 'onModelPackageStateChange',
  description: 'Asks for the review of new model versions, confirms approvals and rejections',
  timeout: 30,
  trigger: ({ modelPackageGroup }) =>
    invokedByRules([
      {
        id: 'ModelPackageRule',
        name: 'model-package',
        description: "State changes of this stack's model package group",
        match: { kind: 'pattern', pattern: modelPackageEventPattern(modelPackageGroup) },
        targetId: 'on-model-package-state-change',
      },
    ]),
  ...NOTIFICATION_FUNCTION,
  permissions: (stack) => {
    const { pipelines } = stack.deployment;
    return [
      describeModelVersionsOfTheGroup(stack),
      {
        Sid: 'StartScoringOnApproval',
        Action: 'sagemaker:StartPipelineExecution',
        Resource: pipelineArns([pipelines['batch-inference']]),
      },
      listModelPackages('CompareWithTheApprovedVersion'),
      {
        Sid: 'ReadWhyAVersionWasTrained',
        Action: 'sagemaker:DescribePipelineExecution',
        Resource: pipelineArns([pipelines.training, pipelines['training-hpo']], '/execution/*'),
      },
      // The folders of the steps whose reports are registered as model metrics.
      ...readReports(stack, 'evaluations', 'EvaluationReports'),
    ];
  },
});
