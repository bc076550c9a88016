import * as z from 'zod/mini';
import '../schemas/zod-english-messages';

// Values overridden on the command line (`serverless deploy --param="name=900"`) reach the
// configuration as strings, so settings accept the string form of their type too.

const notAWholeNumber = (issue: { readonly input?: unknown }) =>
  `must be a whole number, not ${JSON.stringify(issue.input)}`;

/** An integer setting within bounds. */
export function integerSetting(min: number, max: number, fallback: number) {
  return z._default(
    z
      .pipe(
        z.union([z.number(), z.string().check(z.regex(/^-?\d+$/, { error: notAWholeNumber }))], {
          // zod/mini says only "Invalid input" when no member of a union fits.
          error: notAWholeNumber,
        }),
        z.transform((value) => Number(value)),
      )
      .check(
        z.refine((value) => Number.isInteger(value), 'must be a whole number'),
        z.refine((value) => value >= min && value <= max, `must be between ${min} and ${max}`),
      ),
    fallback,
  );
}

/** A boolean setting; `'true'` and `'false'` are accepted for the command line's sake. */
export function booleanSetting(fallback: boolean) {
  return z._default(
    z.pipe(
      z.union([z.boolean(), z.enum(['true', 'false'])], {
        // zod/mini says only "Invalid input" when no member of a union fits.
        error: (issue) => `must be true or false, not ${JSON.stringify(issue.input)}`,
      }),
      z.transform((value) => value === true || value === 'true'),
    ),
    fallback,
  );
}
