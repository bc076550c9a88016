import { decodeS3EventKey } from '../../functions/core/s3-key';

/**
 * What an event is about, for a line of the activity log: the object of an S3 event (its key
 * decoded), else the event's first resource, else nothing.
 *
 * @example
 * eventSubject(objectCreated); // 's3://mlops-control-plane-local-data/data/other/x.csv'
 */
export function eventSubject(event: {
  readonly detail: Record<string, unknown>;
  readonly resources: readonly string[];
}): string {
  const detail = event.detail as { bucket?: { name?: unknown }; object?: { key?: unknown } };
  const bucket = detail.bucket?.name;
  const key = detail.object?.key;
  if (typeof bucket === 'string' && typeof key === 'string') {
    return `s3://${bucket}/${readableKey(key)}`;
  }
  return event.resources[0] ?? '';
}

/** The key decoded, or as the event has it when it is not valid URL encoding. */
function readableKey(encodedKey: string): string {
  try {
    return decodeS3EventKey(encodedKey);
  } catch {
    return encodedKey;
  }
}
