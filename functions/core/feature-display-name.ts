/** Model Monitor reads headerless CSV with Spark, which names its columns `_c0`, `_c1`, ... */
const POSITIONAL_NAME = /^_c(\d+)$/;

/**
 * The name people know a feature by: a positional column name (`_c2`) becomes the dataset
 * schema's name of that column (features in the order of the scoring input); any other name, a
 * position the schema does not have, or no schema at all, leave it as it is.
 *
 * @example
 * featureDisplayName(['tenure_months', 'monthly_charges', 'support_calls'], '_c2'); // 'support_calls'
 */
export function featureDisplayName(
  datasetFeatures: readonly string[] | undefined,
  name: string,
): string {
  const position = POSITIONAL_NAME.exec(name)?.[1];
  return (position === undefined ? undefined : datasetFeatures?.[Number(position)]) ?? name;
}
