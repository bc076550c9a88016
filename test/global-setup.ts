import { packageAllStages } from './support/serverless-package';

export default async function globalSetup(): Promise<void> {
  await packageAllStages();
}
