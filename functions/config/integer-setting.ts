import * as z from 'zod/mini';
import '../schemas/zod-english-messages';

/**
 * An integer setting within bounds. Numeric strings are accepted because values overridden on the
 * command line (`serverless deploy --param="name=900"`) reach the configuration as strings.
 */
export function integerSetting(min: number, max: number, fallback: number) {
  return z._default(
    z
      .pipe(
        z.union([z.number(), z.string().check(z.regex(/^-?\d+$/, 'must be a whole number'))]),
        z.transform((value) => Number(value)),
      )
      .check(
        z.refine((value) => Number.isInteger(value), 'must be a whole number'),
        z.refine((value) => value >= min && value <= max, `must be between ${min} and ${max}`),
      ),
    fallback,
  );
}
