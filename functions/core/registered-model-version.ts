/** What the model registry says about one model version, in the terms our decisions use. */
export interface RegisteredModelVersion {
  readonly arn: string;
  readonly groupName: string;
  readonly version: number | undefined;
  readonly approvalStatus: string | undefined;
  readonly modelDataUrl: string | undefined;
  readonly imageUri: string | undefined;
  /** Data-quality baseline registered as the drift-check baseline of the version. */
  readonly driftCheckDataQuality: DataQualityBaseline;
  /** Data-quality statistics and constraints among the version's model metrics. */
  readonly metricsDataQuality: DataQualityBaseline;
  readonly customerMetadata: Readonly<Record<string, string>>;
  /** Where the version's evaluation metrics (model-metrics JSON) are. */
  readonly modelQualityStatisticsUrl: string | undefined;
  /** The pipeline execution that registered it. */
  readonly generatedBy: string | undefined;
  readonly approvalDescription: string | undefined;
  readonly creationTime: string | undefined;
}

export interface DataQualityBaseline {
  readonly statisticsUrl: string | undefined;
  readonly constraintsUrl: string | undefined;
}
