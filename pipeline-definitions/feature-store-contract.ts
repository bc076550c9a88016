/**
 * What the training pipelines do with the stack's feature group when the deployment turns the
 * feature store on (custom.mlops.featureStore), and what the stack, the step scripts and the
 * model registry agree on. feature-store-variant.ts builds the steps from these names.
 */

/** Writes the prepared rows to the feature group (scripts/ingest_features.py). */
export const INGEST_FEATURES_STEP_NAME = 'IngestFeatures';

/** Training source `offline-store`: the training set from the group's history (scripts/build_training_set.py). */
export const BUILD_TRAINING_SET_STEP_NAME = 'BuildTrainingSet';

/** IngestFeatures' property file: featureGroupName, eventTime, rowsPrepared, rowsWritten. */
export const FEATURE_INGESTION_PROPERTY_FILE = 'FeatureIngestion';

/** BuildTrainingSet's property file: queryExecutionId, trainingWindow, rowsFromHistory, rowsFromThisRun. */
export const TRAINING_SET_PROPERTY_FILE = 'TrainingSet';

/**
 * Customer metadata of a model version trained with the feature store on, each read with
 * `Std:JsonGet` from the property file of the step that knows it, written there in the form
 * CreateModelPackage accepts (1-256 of `[\p{L}\p{Z}\p{N}_.:/=+\-@]`).
 */
export const FEATURE_STORE_METADATA = {
  /** The feature group the run's rows were written to (always). */
  featureGroupName: { step: INGEST_FEATURES_STEP_NAME, file: FEATURE_INGESTION_PROPERTY_FILE },
  /** The Athena query that read the training set (training source `offline-store`). */
  queryExecutionId: { step: BUILD_TRAINING_SET_STEP_NAME, file: TRAINING_SET_PROPERTY_FILE },
  /**
   * The event times the query read, `start/end` (ISO 8601): Athena keeps a query's history for
   * 45 days only, the version's metadata for as long as the version.
   */
  trainingWindow: { step: BUILD_TRAINING_SET_STEP_NAME, file: TRAINING_SET_PROPERTY_FILE },
} as const;

/** The feature holding each record's identifier (a SHA-256, see scripts/feature_records.py). */
export const RECORD_IDENTIFIER_FEATURE_NAME = 'record_id';

/** The feature holding each record's event time: when its run ingested it, ISO 8601 in UTC. */
export const EVENT_TIME_FEATURE_NAME = 'event_time';

/**
 * Where a training run's training set comes from: `input`, the run's input as without the
 * feature store (its rows are also kept in the group); `offline-store`, the group's history over
 * a window of days plus the run's own rows.
 */
export const TRAINING_SOURCES = ['input', 'offline-store'] as const;

export type TrainingSource = (typeof TRAINING_SOURCES)[number];

/** The Integer pipeline parameter of the history window, defaulting to the configured days. */
export const HISTORY_DAYS_PARAMETER = 'TrainingHistoryDays';

/** The feature types a numeric training set can hold (`FeatureType` also has String). */
export const NUMERIC_FEATURE_TYPES = ['Integral', 'Fractional'] as const;

export interface DatasetColumns {
  /** The label's name: a 0/1 Integral feature of the group. */
  readonly label: string;
  /** The features in the order of the training columns (after the label is taken out). */
  readonly features: ReadonlyArray<{
    readonly name: string;
    readonly type: (typeof NUMERIC_FEATURE_TYPES)[number];
  }>;
}

/** What one deployment's training pipelines need to know of its feature store. */
export interface FeatureStoreSettings {
  readonly featureGroupName: string;
  /** Where the steps call Feature Store and Athena. */
  readonly region: string;
  readonly dataset: DatasetColumns;
  readonly trainingSource: TrainingSource;
  /** The default of {@link HISTORY_DAYS_PARAMETER}. */
  readonly historyDays: number;
  /** The offline store's Glue table and the Athena workgroup that queries it. */
  readonly offlineStore: {
    readonly database: string;
    readonly table: string;
    readonly workGroup: string;
  };
}
