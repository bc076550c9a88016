import * as z from 'zod/mini';
import '../schemas/zod-english-messages';
import {
  EVENT_TIME_FEATURE_NAME,
  NUMERIC_FEATURE_TYPES,
  RECORD_IDENTIFIER_FEATURE_NAME,
} from '../../pipeline-definitions/feature-store-contract';

// `FeatureName` in the SageMaker API model (botocore sagemaker/2017-07-24/service-2.json), anchored.
const FEATURE_NAME = /^[a-zA-Z0-9]([-_]*[a-zA-Z0-9]){0,63}$/;

/**
 * Names no column may take: the offline store adds the first three to every record (SageMaker
 * developer guide, "Feature Store offline store data format"; `FeatureDefinition.FeatureName`
 * forbids them), the feature group has the last two besides the columns.
 */
const RESERVED_NAMES = [
  'is_deleted',
  'write_time',
  'api_invocation_time',
  RECORD_IDENTIFIER_FEATURE_NAME,
  EVENT_TIME_FEATURE_NAME,
];

/** `FeatureDefinitions` holds at most 2,500; the group also has the identifier, event time and label. */
const MAX_FEATURES = 2500 - 3;

export const featureNameSchema = z
  .string()
  .check(
    z.regex(FEATURE_NAME, 'must be 1-64 letters or digits, with inner hyphens or underscores'),
  );

/**
 * The dataset the training pipelines learn from (`custom.mlops.dataset`): the label and each
 * feature in the order of the training columns once the label is taken out, which is also the
 * order of the scoring input. The names are what people read where the product shows features
 * (Model Monitor calls them `_c0`, `_c1`, ...); with the feature store on, they are the feature
 * group's feature definitions, and Glue and Athena see them in lower case, so two names must
 * differ in more than case.
 */
export const datasetSchemaSchema = z
  .strictObject({
    /** The 0/1 label column. */
    label: featureNameSchema,
    features: z
      .array(
        z.strictObject({
          name: featureNameSchema,
          /** What the training set holds: numbers (XGBoost on numeric CSV). */
          type: z.enum(NUMERIC_FEATURE_TYPES),
        }),
      )
      .check(z.minLength(1), z.maxLength(MAX_FEATURES)),
  })
  .check(
    z.superRefine((schema, ctx) => {
      const owners = new Map<string, string>();
      const claim = (name: string, path: Array<string | number>, owner: string) => {
        const key = name.toLowerCase();
        const problem = RESERVED_NAMES.includes(key)
          ? `${name} is reserved (${RESERVED_NAMES.join(', ')})`
          : owners.has(key)
            ? `${name} is already the name of ${owners.get(key)} (names are compared in lower case)`
            : undefined;
        if (problem !== undefined)
          ctx.addIssue({ code: 'custom', message: problem, path, input: name });
        owners.set(key, owner);
      };
      claim(schema.label, ['label'], 'the label');
      schema.features.forEach((feature, index) =>
        claim(feature.name, ['features', index, 'name'], `features[${index}]`),
      );
    }),
  );

export type DatasetSchema = z.infer<typeof datasetSchemaSchema>;
