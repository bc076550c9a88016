/** The names the dev stage gives the stack's pipelines and model package group. */
export const DEV_STACK = {
  stage: 'dev',
  pipelines: {
    training: 'mlops-control-plane-dev-training',
    'training-hpo': 'mlops-control-plane-dev-training-hpo',
    'batch-inference': 'mlops-control-plane-dev-batch-inference',
  },
  modelPackageGroup: 'mlops-control-plane-dev-models',
} as const;
