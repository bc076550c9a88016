import { escapeXml } from './xml-text';

// ListObjectsV2 of the local S3, served here instead of by s3rver: s3rver 3.7 (unmaintained)
// encrypts its continuation tokens with DES, which Node's OpenSSL 3 refuses, so any listing
// longer than MaxKeys answered HTTP 500.

/** An object as a listing shows it. */
export interface StoredObject {
  readonly key: string;
  readonly size: number;
  readonly etag: string;
  readonly lastModified: Date;
}

/** The members of a ListObjectsV2 request, as the query string carries them. */
export interface ListRequest {
  readonly prefix: string;
  readonly delimiter?: string;
  readonly maxKeys: number;
  /** Only keys after this one. */
  readonly startAfter?: string;
  /** The last entry of the previous page, from its continuation token. */
  readonly after?: string;
}

/** One page: objects and common prefixes in S3's order, and where the next page starts. */
export interface ListPage {
  readonly contents: readonly StoredObject[];
  readonly commonPrefixes: readonly string[];
  /** The last entry of this page when more follow; the next page starts after it. */
  readonly nextAfter?: string;
}

/** S3 lists keys in the binary order of their UTF-8 bytes. */
function compareKeys(left: string, right: string): number {
  return Buffer.compare(Buffer.from(left, 'utf8'), Buffer.from(right, 'utf8'));
}

/**
 * One page of a listing with S3's rules: keys under the prefix in UTF-8 byte order; with a
 * delimiter, the keys that hold it after the prefix roll up into one common prefix each; MaxKeys
 * counts objects and common prefixes together.
 *
 * @example
 * listPage(objects, { prefix: 'data/', delimiter: '/', maxKeys: 1 }); // { contents: [], commonPrefixes: ['data/2026/'], nextAfter: 'data/2026/' }
 */
export function listPage(objects: readonly StoredObject[], request: ListRequest): ListPage {
  const entries: Array<StoredObject | string> = [];
  let more = false;
  for (const object of [...objects].sort((left, right) => compareKeys(left.key, right.key))) {
    if (!object.key.startsWith(request.prefix) || !isAfter(object.key, request.startAfter))
      continue;
    const entry = commonPrefixOf(object.key, request) ?? object;
    const name = typeof entry === 'string' ? entry : entry.key;
    // The previous page ended at this entry (a key, or a common prefix and all its keys).
    if (!isAfter(name, request.after) || entries.at(-1) === name) continue;
    if (entries.length === request.maxKeys) {
      more = true;
      break;
    }
    entries.push(entry);
  }
  const last = entries.at(-1);
  return {
    contents: entries.filter((entry): entry is StoredObject => typeof entry !== 'string'),
    commonPrefixes: entries.filter((entry): entry is string => typeof entry === 'string'),
    ...(more && last !== undefined
      ? { nextAfter: typeof last === 'string' ? last : last.key }
      : {}),
  };
}

function isAfter(name: string, bound: string | undefined): boolean {
  return bound === undefined || compareKeys(name, bound) > 0;
}

function commonPrefixOf(key: string, request: ListRequest): string | undefined {
  if (request.delimiter === undefined || request.delimiter === '') return undefined;
  const at = key.indexOf(request.delimiter, request.prefix.length);
  return at === -1 ? undefined : key.slice(0, at + request.delimiter.length);
}

/**
 * An opaque continuation token for a page that ends at `after`, valid for this bucket only.
 *
 * @example
 * decodeContinuationToken(encodeContinuationToken('data', 'k/1'), 'data'); // 'k/1'
 */
export function encodeContinuationToken(bucket: string, after: string): string {
  return Buffer.from(JSON.stringify({ bucket, after }), 'utf8').toString('base64url');
}

/** Where a token says the next page starts; undefined for a token that is not one of this bucket's. */
export function decodeContinuationToken(token: string, bucket: string): string | undefined {
  try {
    const decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      bucket?: unknown;
      after?: unknown;
    };
    return decoded.bucket === bucket && typeof decoded.after === 'string'
      ? decoded.after
      : undefined;
  } catch {
    return undefined;
  }
}

/** What the ListBucketResult echoes and adds around one page. */
export interface ListResultFields {
  readonly bucket: string;
  readonly request: ListRequest;
  /** MaxKeys as the request gave it (S3 echoes the value asked for). */
  readonly maxKeysAsked: string;
  readonly continuationToken?: string;
  readonly nextContinuationToken?: string;
  /** With `encoding-type=url`: how keys and prefixes are encoded in the answer. */
  readonly encodeKey?: (key: string) => string;
  readonly owner?: { readonly id: string; readonly displayName: string };
}

/**
 * The ListBucketResult document of ListObjectsV2, as S3 writes it.
 *
 * @example
 * const xml = listBucketResultXml(page, { bucket: 'data', request, maxKeysAsked: '1000' });
 */
export function listBucketResultXml(page: ListPage, fields: ListResultFields): string {
  const encode = fields.encodeKey ?? ((key: string) => key);
  const { request } = fields;
  const owner =
    fields.owner === undefined
      ? ''
      : element(
          'Owner',
          element('ID', escapeXml(fields.owner.id)) +
            element('DisplayName', escapeXml(fields.owner.displayName)),
        );
  const body = [
    element('Name', escapeXml(fields.bucket)),
    element('Prefix', escapeXml(encode(request.prefix))),
    ...(request.delimiter === undefined
      ? []
      : [element('Delimiter', escapeXml(encode(request.delimiter)))]),
    element('MaxKeys', escapeXml(fields.maxKeysAsked)),
    ...(fields.encodeKey === undefined ? [] : [element('EncodingType', 'url')]),
    element('KeyCount', String(page.contents.length + page.commonPrefixes.length)),
    element('IsTruncated', String(page.nextAfter !== undefined)),
    ...(fields.continuationToken === undefined
      ? []
      : [element('ContinuationToken', escapeXml(fields.continuationToken))]),
    ...(fields.nextContinuationToken === undefined
      ? []
      : [element('NextContinuationToken', escapeXml(fields.nextContinuationToken))]),
    ...(request.startAfter === undefined
      ? []
      : [element('StartAfter', escapeXml(encode(request.startAfter)))]),
    ...page.contents.map((object) =>
      element(
        'Contents',
        element('Key', escapeXml(encode(object.key))) +
          element('LastModified', object.lastModified.toISOString()) +
          element('ETag', escapeXml(object.etag)) +
          element('Size', String(object.size)) +
          owner +
          element('StorageClass', 'STANDARD'),
      ),
    ),
    ...page.commonPrefixes.map((prefix) =>
      element('CommonPrefixes', element('Prefix', escapeXml(encode(prefix)))),
    ),
  ];
  return `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${body.join('')}</ListBucketResult>`;
}

function element(name: string, content: string): string {
  return `<${name}>${content}</${name}>`;
}
