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
}

export interface DataQualityBaseline {
  readonly statisticsUrl: string | undefined;
  readonly constraintsUrl: string | undefined;
}
