// The part of s3rver 3.7 (no types published) that local mode uses.
declare module 's3rver' {
  import type { EventEmitter } from 'node:events';
  import type { AddressInfo } from 'node:net';

  namespace S3rver {
    interface Options {
      address?: string;
      port?: number;
      silent?: boolean;
      directory?: string;
      vhostBuckets?: boolean;
      configureBuckets?: Array<{ name: string }>;
    }

    /** The Koa context of one request, as far as local mode reads it. */
    interface RequestContext {
      method: string;
      /** The request's path, e.g. `/bucket/key` (path-style). */
      path: string;
      status: number;
      type: string;
      body: unknown;
      ip: string;
      query: Record<string, string | undefined>;
      headers: Record<string, string | string[] | undefined>;
    }

    /** An object as the store lists it. */
    interface StoredObject {
      key: string;
      size: number;
      lastModifiedDate: Date;
      metadata: { etag: string };
    }

    /** What s3rver emits after a write: a classic S3 notification with one record. */
    interface Notification {
      Records: Array<{
        eventName: string;
        s3: { bucket: { name: string }; object: { key: string } };
      }>;
    }
  }

  class S3rver extends EventEmitter {
    constructor(options: S3rver.Options);
    middleware: Array<(context: S3rver.RequestContext, next: () => Promise<void>) => Promise<void>>;
    store: {
      getMetadata(bucket: string, key: string): Promise<{ etag: string; 'content-length': number }>;
      getBucket(bucket: string): Promise<{ name: string } | null>;
      listObjects(
        bucket: string,
        options: { prefix?: string },
      ): Promise<{ objects: S3rver.StoredObject[] }>;
    };
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
  }

  export = S3rver;
}

// s3rver keeps the accounts whose keys it accepts in this registry.
declare module 's3rver/lib/models/account' {
  export const DUMMY_ACCOUNT: {
    id: number;
    displayName: string;
    accessKeys: Map<string, string>;
    createKeyPair(accessKeyId: string, secretAccessKey: string): void;
  };
}

// The error s3rver answers with, as S3's XML error document.
declare module 's3rver/lib/models/error' {
  class S3Error extends Error {
    constructor(code: string, message: string, detail?: Record<string, unknown>);
  }
  export = S3Error;
}
