import * as z from 'zod/mini';
import './zod-english-messages';
import { decodeS3EventKey } from '../core/s3-key';
import { isWellFormedText } from '../core/text-safety';
import { identifierString } from './text-fields';

// zod/mini rather than Powertools' parser schemas: those are built on classic zod, which alone adds
// ~430 KB to the bundle and ~15 ms to every cold start. The shapes follow the same AWS documents,
// narrowed to the fields we read, so an unrelated field (an IPv6 uploader address, say) never makes
// a valid upload unprocessable.

/** S3 object keys are at most 1,024 bytes of UTF-8 (S3 User Guide, "Naming Amazon S3 objects"). */
const MAX_KEY_BYTES = 1024;

const encodedKeySchema = z.pipe(
  z.string().check(z.minLength(1)),
  z.transform((key: string, ctx) => {
    const problem = keyProblem(key);
    if (typeof problem !== 'string') return problem.decoded;
    ctx.issues.push({ code: 'custom', message: problem, input: key });
    return z.NEVER;
  }),
);

function keyProblem(encodedKey: string): string | { decoded: string } {
  let decoded: string;
  try {
    decoded = decodeS3EventKey(encodedKey);
  } catch {
    return 'is not a valid URL-encoded S3 key (a malformed %-escape)';
  }
  // S3 keys are UTF-8: a lone surrogate can only come from a forged or corrupted event.
  if (!isWellFormedText(decoded)) return 'is not a valid S3 key: it holds a lone UTF-16 surrogate';
  if (Buffer.byteLength(decoded, 'utf8') > MAX_KEY_BYTES) {
    return `is longer than the ${MAX_KEY_BYTES} bytes an S3 key can have`;
  }
  return { decoded };
}

/** What identifies a write (a version id, a sequencer, an ETag): it goes into run descriptions. */
function revisionField() {
  return identifierString().check(z.maxLength(1024));
}

/** `detail` of an S3 event delivered by EventBridge ("Object Created" and its siblings). */
const s3EventBridgeDetailSchema = z.object({
  bucket: z.object({ name: identifierString().check(z.minLength(1)) }),
  object: z.object({
    key: encodedKeySchema,
    size: z.optional(z.number().check(z.gte(0))),
    etag: z.optional(revisionField()),
    'version-id': z.optional(revisionField()),
    sequencer: z.optional(revisionField()),
  }),
  reason: z.optional(z.string()),
});

export const s3EventBridgeEventSchema = z.object({
  id: z.string().check(z.minLength(1)),
  source: z.literal('aws.s3'),
  'detail-type': z.string(),
  time: z.iso.datetime(),
  detail: s3EventBridgeDetailSchema,
});

export type S3EventBridgeEvent = z.infer<typeof s3EventBridgeEventSchema>;

/** One record of a classic S3 bucket notification (`Records[]`). */
const s3NotificationRecordSchema = z.object({
  eventSource: z.literal('aws:s3'),
  eventTime: z.iso.datetime(),
  eventName: z.string().check(z.minLength(1)),
  s3: z.object({
    bucket: z.object({ name: identifierString().check(z.minLength(1)) }),
    object: z.object({
      key: encodedKeySchema,
      size: z.optional(z.number().check(z.gte(0))),
      eTag: z.optional(revisionField()),
      versionId: z.optional(revisionField()),
      sequencer: z.optional(revisionField()),
    }),
  }),
});

export const s3NotificationSchema = z.object({
  Records: z.array(s3NotificationRecordSchema).check(z.minLength(1)),
});

export type S3Notification = z.infer<typeof s3NotificationSchema>;

/** What S3 sends once when a notification destination is configured. */
export const s3TestEventSchema = z.object({
  Service: z.literal('Amazon S3'),
  Event: z.literal('s3:TestEvent'),
});

/** The part of an SQS batch we rely on; the body is parsed as a notification of its own. */
export const sqsBatchSchema = z.object({
  Records: z
    .array(
      z.object({
        messageId: z.string().check(z.minLength(1)),
        body: z.string(),
        eventSource: z.literal('aws:sqs'),
      }),
    )
    .check(z.minLength(1)),
});
