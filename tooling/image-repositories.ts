/**
 * The ECR repositories the pipelines' images come from, as IAM resources: each image URI
 * (`<account>.dkr.ecr.<region>.<domain>/<repository>:<tag>`) names the SageMaker registry account
 * of the deploy region, so pulls are granted from those repositories only, not from every
 * account's `sagemaker-*` repositories.
 *
 * @example
 * imageRepositoryArns(['141502667606.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-xgboost:1.7-1']);
 * // [{ 'Fn::Sub': 'arn:${AWS::Partition}:ecr:eu-west-1:141502667606:repository/sagemaker-xgboost' }]
 */
export function imageRepositoryArns(imageUris: readonly string[]): Array<{ 'Fn::Sub': string }> {
  const arns = imageUris.map((uri) => {
    const match = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.[a-z.]+\/([^:@]+)/.exec(uri);
    if (match === null) throw new Error(`${uri} is not an ECR image URI`);
    const [, account, region, repository] = match;
    return `arn:\${AWS::Partition}:ecr:${region}:${account}:repository/${repository}`;
  });
  return [...new Set(arns)].map((arn) => ({ 'Fn::Sub': arn }));
}
