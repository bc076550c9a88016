import * as z from 'zod/mini';
import '../schemas/zod-english-messages';
import { integerSetting } from './command-line-settings';

/**
 * `custom.mlops.uploadBuffer`: how the upload buffer hands a burst of uploads to onDataUpload, in
 * one invocation (where folder uploads are coalesced). Lambda's limits for a standard queue with a
 * batching window: at most 10,000 messages, 300 seconds.
 */
export const uploadBatchingConfigSchema = z.strictObject({
  batchSize: integerSetting(1, 10_000, 1000),
  /** Seconds onDataUpload waits to gather a burst into one invocation. */
  batchWindowSeconds: integerSetting(0, 300, 60),
});

export type UploadBatchingConfig = z.infer<typeof uploadBatchingConfigSchema>;
