import { findControlCharacter, isWellFormedText } from './text-safety';

/**
 * Decodes an object key as S3 writes it into event notifications: form-URL-encoded, a space as `+`
 * and every other reserved or non-ASCII byte as `%XX` of its UTF-8 encoding.
 *
 * @example
 * decodeS3EventKey('data/my+file%2B1%C3%A9.csv'); // 'data/my file+1é.csv'
 */
export function decodeS3EventKey(encodedKey: string): string {
  return decodeURIComponent(encodedKey.replace(/\+/g, ' '));
}

/** The "folder" of a key: everything up to and including its last `/` (empty at the bucket root). */
export function folderOf(key: string): string {
  return key.slice(0, key.lastIndexOf('/') + 1);
}

/** The last path segment of a key. */
export function baseNameOf(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1);
}

/** Keys ending in `/` are the zero-byte "folders" that consoles create; they are not data. */
export function isFolderMarker(key: string): boolean {
  return key.endsWith('/');
}

export function s3Uri(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}

/** A location in S3, as `s3://bucket/key-or-prefix` names it. */
export interface S3Location {
  readonly bucket: string;
  readonly key: string;
}

/**
 * Splits an `s3://bucket/key` URI, or says what is wrong with it. URIs come from events and API
 * answers, and their key is sent back to S3 in a request path: text that is not valid Unicode or
 * holds control characters is refused, not repaired into another key.
 *
 * @example
 * parseS3Uri('s3://bucket/monitoring/constraint_violations.json'); // { bucket: 'bucket', key: 'monitoring/...' }
 */
export function parseS3Uri(uri: string): S3Location | { readonly problem: string } {
  const match = /^s3:\/\/([^/]+)(?:\/(.*))?$/s.exec(uri);
  if (match === null) return { problem: 'is not an s3://bucket/key URI' };
  if (!isWellFormedText(uri)) {
    return { problem: 'is not valid Unicode: it holds a lone UTF-16 surrogate' };
  }
  const control = findControlCharacter(uri);
  if (control !== undefined) {
    return {
      problem: `holds the control character ${control.codePoint} at position ${control.index}`,
    };
  }
  const [, bucket = '', key = ''] = match;
  return { bucket, key };
}
