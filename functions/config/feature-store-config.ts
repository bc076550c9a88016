import * as z from 'zod/mini';
import '../schemas/zod-english-messages';
import { TRAINING_SOURCES } from '../../pipeline-definitions/feature-store-contract';
import { booleanSetting, integerSetting } from './command-line-settings';

/**
 * `custom.mlops.featureStore`: whether the training pipelines keep their prepared rows in the
 * stack's feature group, and whether they train from its history. Off by default; turning it on
 * adds the feature group and what it needs to the stack (see docs/feature-store.md).
 */
export const featureStoreConfigSchema = z.strictObject({
  enabled: booleanSetting(false),
  /** The online store (low-latency GetRecord), for serving; training needs only the offline store. */
  onlineStore: booleanSetting(false),
  /** `input`: train on the run's input; `offline-store`: on the group's history and the input. */
  trainingSource: z._default(z.enum(TRAINING_SOURCES), 'input'),
  /** Days of history a run reads from the offline store (the TrainingHistoryDays default). */
  historyDays: integerSetting(1, 3650, 90),
  /** Athena cancels a history query that would scan more (BytesScannedCutoffPerQuery), in GB. */
  maxScannedGigabytes: integerSetting(1, 100_000, 100),
});

export type FeatureStoreConfig = z.infer<typeof featureStoreConfigSchema>;
