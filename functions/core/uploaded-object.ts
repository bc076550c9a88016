/** One object that S3 reports as created, with its key already URL-decoded. */
export interface UploadedObject {
  /** The notification it came from (SQS message id or event id): failures are reported per notification. */
  readonly notificationId: string;
  readonly bucket: string;
  readonly key: string;
  readonly size?: number;
  readonly etag?: string;
  readonly sequencer?: string;
  readonly versionId?: string;
  /** ISO-8601 time S3 created the event. */
  readonly eventTime: string;
  /** How the object was written: PutObject, CompleteMultipartUpload, CopyObject, ObjectCreated:Put, ... */
  readonly reason: string;
}

export type IgnoreReason =
  'test-event' | 'not-object-created' | 'folder-marker' | 'no-route' | 'not-trigger-file';

/** Something that arrived but, by design, starts nothing. */
export interface IgnoredNotice {
  readonly notificationId: string;
  readonly reason: IgnoreReason;
  readonly detail: string;
  /** The object, when one was reported and routing passed it over (not for a test event). */
  readonly object?: UploadedObject;
}
