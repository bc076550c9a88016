// `npm run local:reset`: forgets everything local mode kept (S3 objects, e-mails, the package).
import { rmSync } from 'node:fs';
import { relative } from 'node:path';
import { localCloudSettings } from './local-cloud-settings';

const { stateDirectory } = localCloudSettings(process.env);
rmSync(stateDirectory, { recursive: true, force: true });
console.log(`Removed ${relative(process.cwd(), stateDirectory) || stateDirectory}/`);
