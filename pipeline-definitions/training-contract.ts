/**
 * Where the training pipelines get the customer metadata of the version they register.
 * training.json and training-hpo.json use these names; a test keeps them in step.
 *
 * CreateModelPackage accepts a customer-metadata value only if it has 1-256 characters of
 * `[\p{L}\p{Z}\p{N}_.:/=+\-@]` (SageMaker API model, botocore
 * `botocore/data/sagemaker/2017-07-24/service-2.json`, shape `CustomerMetadataValue`). Values
 * derived from outside input therefore never come from a parameter directly: the Preprocess step
 * writes them (scripts/customer_metadata.py) to the property file
 * {@link CUSTOMER_METADATA_PROPERTY_FILE}, and the RegisterModel step reads each with
 * `Std:JsonGet`. `inputDataUrl` holds the run's input URI with every other character written as
 * `@XX` (UTF-8 bytes in hex), shortened to its start and `@@sha256:<hex>` beyond 256 characters;
 * the exact URI stays in the run's InputDataUrl parameter.
 */

/** The step that writes the property file: the step that reads the input anyway. */
export const CUSTOMER_METADATA_STEP_NAME = 'Preprocess';

/** The property file of {@link CUSTOMER_METADATA_STEP_NAME} holding the metadata values by key. */
export const CUSTOMER_METADATA_PROPERTY_FILE = 'CustomerMetadata';

/**
 * The step script that writes the property file, given the arguments of
 * {@link CUSTOMER_METADATA_STEP_NAME}; the local cloud runs it in that step's place.
 */
export const CUSTOMER_METADATA_SCRIPT = 'customer_metadata.py';

/** What marks an `inputDataUrl` shortened to fit 256 characters (see above). */
const SHORTENED_MARKER = '@@sha256:';

/**
 * The input URI a model version's `inputDataUrl` metadata records, for people: decoded from its
 * `@XX` form, or as it is when it was shortened (the run's InputDataUrl parameter has it whole) or
 * is not in that form.
 *
 * @example
 * readableInputDataUrl('s3://b/sales @28EU@29@2C 2026/'); // 's3://b/sales (EU), 2026/'
 */
export function readableInputDataUrl(recorded: string): string {
  if (recorded.includes(SHORTENED_MARKER)) return recorded;
  try {
    return decodeURIComponent(recorded.replaceAll('%', '%25').replaceAll('@', '%'));
  } catch {
    return recorded;
  }
}
