import type { UploadRoute } from '../config/data-upload-config';
import type { LedgerRecord } from '../aws/ledger-records';
import type { ClosestRoute } from '../core/closest-route';
import type { RouteDecision } from '../core/route-object';

/** What `mlops why` knows about a key before it explains it. */
export interface KeyFacts {
  readonly uri: string;
  readonly bucket: string;
  /** What the deployed routes decide for the key, whether or not an event ever came. */
  readonly routing: RouteDecision;
  /** For a key no route claims: the route that came closest, and what it wants. */
  readonly closest: ClosestRoute | undefined;
  /** Whether any route watches the key's bucket. */
  readonly bucketWatched: boolean;
  /** The ledger's records for the object and, for folder routes, for its folder. */
  readonly records: readonly LedgerRecord[];
  /** Status of each run the records name, by execution ARN. */
  readonly runStatuses: Readonly<Record<string, string>>;
  /** Whether the object exists in S3 now. */
  readonly objectExists: boolean;
}

export type WhyOutcome = 'started' | 'ignored' | 'not-recorded';

export interface WhyExplanation {
  readonly uri: string;
  /** The route that claims the key, in a sentence. */
  readonly route: string;
  readonly outcome: WhyOutcome;
  /** What the ledger recorded, a sentence per record, oldest first. */
  readonly recorded: readonly string[];
  /** The answer, or the likely cause when nothing was recorded. */
  readonly verdict: string;
}

/**
 * Explains what happened to an S3 key: the route that claims it (from the deployed routes), what
 * the ledger recorded for it, and, when nothing was, the likely cause in words.
 *
 * @example
 * explainKey(facts).verdict; // 'ignored: no route claims s3://b/x.json; closest route ...'
 */
export function explainKey(facts: KeyFacts): WhyExplanation {
  const started = facts.records.filter((record) => record.decision === 'run-requested');
  const ignored = facts.records.filter((record) => record.decision === 'upload-ignored');
  const recorded = facts.records.map((record) => describeRecord(record, facts.runStatuses));
  const base = { uri: facts.uri, route: describeRouting(facts), recorded };
  if (started.length > 0) {
    return { ...base, outcome: 'started', verdict: `started: ${recorded.at(-1) ?? ''}` };
  }
  if (ignored.length > 0) {
    return { ...base, outcome: 'ignored', verdict: `ignored: ${recorded.at(-1) ?? ''}` };
  }
  return { ...base, outcome: 'not-recorded', verdict: likelyCause(facts) };
}

function describeRouting(facts: KeyFacts): string {
  const { routing } = facts;
  if ('route' in routing) return describeRoute(routing.route);
  if (!facts.bucketWatched) return `no route watches bucket ${facts.bucket}`;
  const hint =
    facts.closest === undefined
      ? ''
      : `; closest route ${facts.closest.route} wants ${facts.closest.wants}`;
  return `no route starts a run for it (${routing.ignored}: ${routing.detail})${hint}`;
}

function describeRoute(route: UploadRoute): string {
  const suffix = route.suffix === undefined ? '' : `, suffix ${route.suffix}`;
  return `route ${route.name} (${route.mode}, prefix ${route.prefix}${suffix}) starts ${route.pipeline} with ${route.inputParameter}`;
}

function describeRecord(record: LedgerRecord, runStatuses: KeyFacts['runStatuses']): string {
  const arn = typeof record.executionArn === 'string' ? record.executionArn : undefined;
  const status = arn === undefined ? undefined : runStatuses[arn];
  const statusText = status === undefined ? '' : ` [run ${status}]`;
  return `${String(record.at)} ${String(record.summary)}${statusText}`;
}

function likelyCause(facts: KeyFacts): string {
  const { routing } = facts;
  if (!facts.bucketWatched) {
    return `nothing recorded: bucket ${facts.bucket} is not the stack's data bucket, so its uploads reach no rule (no EventBridge notifications for this stack)`;
  }
  if (!facts.objectExists) {
    const wouldBe =
      'route' in routing
        ? `an upload would start ${routing.route.pipeline} through route ${routing.route.name}`
        : `an upload would be ignored (${routing.ignored})`;
    return `nothing recorded: the object does not exist, so it was never uploaded (or was deleted before any record); ${wouldBe}`;
  }
  // The upload rule forwards every key under a route's prefix; a wrong suffix is decided later.
  const outsidePrefixes =
    !('route' in routing) && facts.closest?.wants.includes('prefix') !== false;
  if (outsidePrefixes) {
    return 'nothing recorded: the key lies outside every rule prefix, so its event never reached the control plane';
  }
  const wait =
    'route' in routing && routing.route.mode === 'folder'
      ? `a folder route waits ${routing.route.windowSeconds} s for the rest of the folder`
      : 'the buffer hands events on within seconds';
  return `nothing recorded yet: the event is still in the upload buffer (${wait}) or in its dead-letter queue (see mlops replay uploads --dry-run)`;
}
