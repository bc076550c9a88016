import type { HoldingGuard } from '../pipeline-start-guard';

/**
 * Something the control plane decided, recorded once in the ledger and announced once on the
 * event bus. `subject` and `key` name it: a redelivered trigger decides again with the same pair,
 * so its record is overwritten rather than doubled.
 */
export type Decision =
  | RunRequested
  | UploadIgnored
  | ScheduledRunStarted
  | ScheduledRunSkipped
  | RetrainStarted
  | RetrainHeldBack
  | ApprovalActedOn
  | NotificationSent;

export type DecisionKind = Decision['kind'];

interface DecisionOf<K extends string, F> {
  readonly kind: K;
  /** What the decision is about (the record's partition): an S3 URI, `schedule#<name>`, an ARN. */
  readonly subject: string;
  /** Which decision about the subject (the record's sort key); it starts with the time when a subject has many. */
  readonly key: string;
  /** When the triggering fact happened (ISO-8601): the same for every delivery of it. */
  readonly at: string;
  /** The pipeline the decision started or held back, for the by-pipeline index. */
  readonly pipeline?: string;
  /** The decision in a sentence, for people (a chat message, the local activity log). */
  readonly summary: string;
  /** ARNs the decision concerns (the event's `resources`). */
  readonly resources: readonly string[];
  readonly facts: F;
}

/** An upload route asked for a run: one object, a folder's objects coalesced, or a trigger file. */
export type RunRequested = DecisionOf<
  'run-requested',
  {
    readonly route: string;
    readonly mode: 'object' | 'folder' | 'trigger-file';
    readonly pipeline: string;
    readonly input: string;
    readonly objectCount: number;
    readonly clientRequestToken: string;
    readonly executionArn: string;
  }
>;

/** An uploaded object that started nothing, why, and the route that came closest to claiming it. */
export type UploadIgnored = DecisionOf<
  'upload-ignored',
  {
    readonly objectUri: string;
    readonly reason: 'folder-marker' | 'no-route' | 'not-trigger-file';
    readonly detail: string;
    readonly closestRoute?: string;
    readonly closestRouteWants?: string;
  }
>;

export type ScheduledRunStarted = DecisionOf<
  'scheduled-run-started',
  {
    readonly schedule: string;
    readonly scheduledTime: string;
    readonly pipeline: string;
    readonly clientRequestToken: string;
    readonly executionArn: string;
  }
>;

export type ScheduledRunSkipped = DecisionOf<
  'scheduled-run-skipped',
  {
    readonly schedule: string;
    readonly scheduledTime: string;
    readonly pipeline: string;
    readonly precondition: HoldingGuard;
    readonly reason: string;
  }
>;

/** The trigger of a retrain: what fired, and the parts that make it this one. */
export interface RetrainTriggerFacts {
  readonly trigger: 'model-quality' | 'drift-alarm';
  readonly triggerIdentity: readonly string[];
}

export type RetrainStarted = DecisionOf<
  'retrain-started',
  RetrainTriggerFacts & {
    readonly pipeline: string;
    readonly clientRequestToken: string;
    readonly executionArn: string;
  }
>;

export type RetrainHeldBack = DecisionOf<
  'retrain-held-back',
  RetrainTriggerFacts & {
    readonly pipeline: string;
    readonly guard: HoldingGuard;
    readonly reason: string;
    readonly nextAllowedAt?: string;
  }
>;

export type ApprovalActedOn = DecisionOf<
  'approval-acted-on',
  {
    readonly modelPackageArn: string;
    readonly modelPackageGroup: string;
    readonly status: 'Approved' | 'Rejected';
    readonly scoringRunArn?: string;
  }
>;

export type NotificationSent = DecisionOf<
  'notification-sent',
  {
    readonly notificationKind: string;
    readonly category: string;
    readonly emailSubject: string;
    readonly messageId: string;
  }
>;

/** What each kind of decision is called on the bus: its events' `detail-type`. */
export const DETAIL_TYPE_OF: Readonly<Record<DecisionKind, string>> = {
  'run-requested': 'Pipeline Run Requested',
  'upload-ignored': 'Upload Ignored',
  'scheduled-run-started': 'Scheduled Run Started',
  'scheduled-run-skipped': 'Scheduled Run Skipped',
  'retrain-started': 'Retraining Started',
  'retrain-held-back': 'Retraining Held Back',
  'approval-acted-on': 'Model Approval Acted On',
  'notification-sent': 'Notification Sent',
};
