import imageRegistries from './images/sagemaker-image-registries.json';

/** The SageMaker-owned containers the pipelines run (versions in images/sagemaker-image-registries.json). */
export type SageMakerImage = 'xgboost' | 'sklearn' | 'model-monitor';

interface ImageRegistry {
  readonly repository: string;
  readonly tag: string;
  readonly registries: Readonly<Record<string, string>>;
}

const REGISTRIES: Readonly<Record<SageMakerImage, ImageRegistry>> = imageRegistries;

/**
 * The ECR URI of a SageMaker container in a region: `<account>.dkr.ecr.<region>.<domain>/<repo>:<tag>`,
 * where the account differs per region and the domain per partition.
 *
 * @example
 * sageMakerImageUri('xgboost', 'eu-west-1');
 * // '141502667606.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-xgboost:1.7-1'
 */
export function sageMakerImageUri(image: SageMakerImage, region: string): string {
  const { repository, tag, registries } = REGISTRIES[image];
  const account = registries[region];
  if (account === undefined) {
    throw new Error(
      `SageMaker publishes no ${image} image for region "${region}"; ` +
        `regions with one: ${Object.keys(registries).join(', ')}`,
    );
  }
  return `${account}.dkr.ecr.${region}.${ecrDomain(region)}/${repository}:${tag}`;
}

function ecrDomain(region: string): string {
  if (region.startsWith('cn-')) return 'amazonaws.com.cn';
  // The isolated partitions have their own domains and are not deployment targets of this stack.
  if (region.startsWith('us-iso')) {
    throw new Error(
      `Region "${region}" is in an isolated partition, which this stack does not support`,
    );
  }
  return 'amazonaws.com';
}
