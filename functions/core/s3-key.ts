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
