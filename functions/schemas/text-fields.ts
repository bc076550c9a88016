import * as z from 'zod/mini';
import './zod-english-messages';
import { parseS3Uri } from '../core/s3-key';
import { findControlCharacter, isWellFormedText } from '../core/text-safety';

/**
 * A string that names or identifies something (an alarm, a step, a version id): it is compared,
 * sent back to AWS or written into a run's description, so text that is not valid Unicode, or
 * holds control characters, is refused here rather than crashing the SDK or garbling a run later.
 * Free text (descriptions, failure reasons) is not refused: e-mails make it well-formed.
 */
export function identifierString() {
  return z.string().check(
    z.refine(isWellFormedText, 'is not valid Unicode: it holds a lone UTF-16 surrogate'),
    z.superRefine((text, ctx) => {
      const control = findControlCharacter(text);
      if (control === undefined) return;
      ctx.addIssue({
        code: 'custom',
        message: `holds the control character ${control.codePoint} at position ${control.index}`,
        input: text,
      });
    }),
  );
}

/** An AWS name: letters, digits and inner hyphens (pipelines, model package groups, jobs). */
export function awsNamePattern(maxLength: number): string {
  return `[a-zA-Z0-9](-*[a-zA-Z0-9]){0,${maxLength - 1}}`;
}

/** An `s3://bucket/key` URI that S3 can be asked for (see {@link parseS3Uri}). */
export function s3UriString() {
  return z.string().check(
    z.superRefine((uri, ctx) => {
      const parsed = parseS3Uri(uri);
      if ('problem' in parsed)
        ctx.addIssue({ code: 'custom', message: parsed.problem, input: uri });
    }),
  );
}
