import * as z from 'zod/mini';
import '../schemas/zod-english-messages';
import { parseConfig, requireEnvironment } from './parse-config';

const uploadBufferSettingsSchema = z.strictObject({
  bufferUrl: z.url(),
  deadLetterQueueUrl: z.url(),
});

/** The upload buffer as onDataUpload hands notifications back to it, or on to its DLQ. */
export type UploadBufferSettings = z.infer<typeof uploadBufferSettingsSchema>;

/**
 * Reads the queue URLs that onDataUpload's declaration puts into its environment (`Ref`s: they
 * cannot live in DATA_UPLOAD_CONFIG, a JSON document written at package time).
 *
 * @example
 * const buffer = readUploadBufferSettings(process.env);
 */
export function readUploadBufferSettings(environment: NodeJS.ProcessEnv): UploadBufferSettings {
  return parseConfig(
    uploadBufferSettingsSchema,
    {
      bufferUrl: requireEnvironment(environment, 'UPLOAD_BUFFER_URL'),
      deadLetterQueueUrl: requireEnvironment(environment, 'UPLOAD_DEAD_LETTER_QUEUE_URL'),
    },
    'the upload buffer environment',
  );
}
