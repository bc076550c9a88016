import type { FolderRoute, UploadRoute } from '../config/data-upload-config';
import { assertNever } from './assert-never';
import { deriveClientRequestToken } from './client-request-token';
import { fillSegments } from './key-segments';
import {
  PIPELINE_EXECUTION_DESCRIPTION_MAX_LENGTH,
  PIPELINE_PARAMETER_VALUE_MAX_LENGTH,
  type PipelineStartRequest,
} from './pipeline-start-request';
import {
  compactTimestamp,
  toPipelineExecutionDisplayName,
} from './pipeline-execution-display-name';
import { orderRoutesBySpecificity, routeObject } from './route-object';
import { baseNameOf, folderOf, s3Uri } from './s3-key';
import { findControlCharacter, quoteInput } from './text-safety';
import type { IgnoredNotice, UploadedObject } from './uploaded-object';

/** One pipeline run to start, and the notifications that asked for it. */
export interface PlannedStart {
  readonly route: string;
  readonly mode: UploadRoute['mode'];
  /** The S3 URI handed to the pipeline. */
  readonly input: string;
  readonly request: PipelineStartRequest;
  readonly notificationIds: readonly string[];
  readonly objectCount: number;
  /** When the trigger happened: the object's event time, or the start of the folder's window. */
  readonly triggeredAt: string;
}

/** Objects that a route claims but that cannot be started as they are (they go to the DLQ). */
export interface RejectedTrigger {
  readonly notificationIds: readonly string[];
  readonly message: string;
}

export interface UploadPlan {
  readonly starts: PlannedStart[];
  readonly ignored: IgnoredNotice[];
  readonly rejected: RejectedTrigger[];
}

interface TriggerGroup {
  readonly route: UploadRoute;
  /** The named segments of the route's prefix, from the key (the same for the whole group). */
  readonly segments: Readonly<Record<string, string>>;
  readonly objects: UploadedObject[];
}

/**
 * Decides which pipeline runs a batch of created objects starts: one per object (`object` mode),
 * one per folder and coalescing window (`folder`), one per trigger file (`trigger-file`).
 * Duplicated notifications collapse into the start they duplicate.
 *
 * @example
 * const plan = planUploadStarts(objects, config.routes);
 * plan.starts.map((start) => start.request.clientRequestToken);
 */
export function planUploadStarts(
  objects: readonly UploadedObject[],
  routes: readonly UploadRoute[],
): UploadPlan {
  const orderedRoutes = orderRoutesBySpecificity(routes);
  const groups = new Map<string, TriggerGroup>();
  const ignored: IgnoredNotice[] = [];
  const rejected: RejectedTrigger[] = [];
  for (const object of objects) {
    const decision = routeObject(object, orderedRoutes);
    if ('ignored' in decision) {
      ignored.push({
        notificationId: object.notificationId,
        reason: decision.ignored,
        detail: decision.detail,
        object,
      });
      continue;
    }
    const unusableKey = controlCharacterProblem(decision.route, object);
    if (unusableKey !== undefined) {
      rejected.push({ notificationIds: [object.notificationId], message: unusableKey });
      continue;
    }
    const key = groupKey(decision.route, object);
    const group = groups.get(key) ?? {
      route: decision.route,
      segments: decision.segments,
      objects: [],
    };
    group.objects.push(object);
    groups.set(key, group);
  }
  const plan: UploadPlan = { starts: [], ignored, rejected };
  for (const group of groups.values()) {
    const start = planStart(group);
    const tooLong = start.request.parameters.find(
      (parameter) => parameter.value.length > PIPELINE_PARAMETER_VALUE_MAX_LENGTH,
    );
    if (tooLong !== undefined) {
      plan.rejected.push({
        notificationIds: start.notificationIds,
        message: `Parameter ${tooLong.name} of route ${start.route} would be ${tooLong.value.length} characters; pipeline parameters hold at most ${PIPELINE_PARAMETER_VALUE_MAX_LENGTH}: ${quoteInput(tooLong.value)}`,
      });
    } else {
      plan.starts.push(start);
    }
  }
  return plan;
}

/**
 * A key with a control character (a line feed from `%0A`, say) would reach a pipeline parameter
 * and a description, and from there scripts and logs: refused with the character named, never
 * rewritten into a key that does not exist.
 */
function controlCharacterProblem(route: UploadRoute, object: UploadedObject): string | undefined {
  const found = findControlCharacter(object.key);
  if (found === undefined) return undefined;
  return `Key ${quoteInput(object.key)} in bucket ${object.bucket} holds the control character ${found.codePoint} at position ${found.index}: route ${route.name} starts no run with it; rename the object`;
}

function groupKey(route: UploadRoute, object: UploadedObject): string {
  return JSON.stringify([route.name, object.bucket, groupScope(route, object)]);
}

/** What one start covers: a folder's window, or one write of one key. */
function groupScope(route: UploadRoute, object: UploadedObject): string {
  switch (route.mode) {
    case 'folder':
      return folderOf(object.key);
    case 'object':
    case 'trigger-file':
      return `${object.key}\u0000${revisionOf(object)}`;
    default:
      return assertNever(route);
  }
}

/**
 * What distinguishes one write of a key from another: duplicates of one event agree on it, a
 * re-upload of the same key does not.
 */
export function revisionOf(object: UploadedObject): string {
  if (object.versionId !== undefined) return `version:${object.versionId}`;
  if (object.sequencer !== undefined) return `sequencer:${object.sequencer}`;
  if (object.etag !== undefined) return `etag:${object.etag}@${object.eventTime}`;
  return `time:${object.eventTime}`;
}

function planStart(group: TriggerGroup): PlannedStart {
  const { route, objects, segments } = group;
  const trigger = triggerOf(route, objects);
  const token = deriveClientRequestToken(route.mode, trigger.identity);
  return {
    route: route.name,
    mode: route.mode,
    input: trigger.input,
    notificationIds: [...new Set(objects.map((object) => object.notificationId))],
    objectCount: objects.length,
    triggeredAt: trigger.at,
    request: {
      pipelineName: route.pipeline,
      parameters: [
        { name: route.inputParameter, value: trigger.input },
        ...Object.entries(route.parameters).map(([name, value]) => ({
          name,
          value: fillSegments(value, segments),
        })),
      ],
      displayName: toPipelineExecutionDisplayName([...trigger.runName, token.slice(-8)]),
      description: truncate(
        `Started by onDataUpload, route ${route.name} (${route.mode} mode): ${trigger.description}`,
      ),
      clientRequestToken: token,
    },
  };
}

function triggerOf(route: UploadRoute, objects: readonly UploadedObject[]): Trigger {
  const first = objects[0] as UploadedObject;
  switch (route.mode) {
    case 'object':
      return objectTrigger(route, first);
    case 'folder':
      return folderTrigger(route, objects);
    case 'trigger-file':
      return triggerFileTrigger(route, first);
    default:
      return assertNever(route);
  }
}

interface Trigger {
  readonly input: string;
  readonly at: string;
  readonly identity: readonly string[];
  /** Display-name parts before the token's fragment. */
  readonly runName: readonly string[];
  readonly description: string;
}

// Every field of the request derives from the token's identity only: SageMaker rejects a reused
// token whose other parameters differ, so nothing batch-dependent (counts, arrival order) and
// nothing outside the identity (the event's time, when a version or sequencer identifies the
// write) goes in.
function objectTrigger(route: UploadRoute, object: UploadedObject): Trigger {
  const revision = revisionOf(object);
  const location = s3Uri(object.bucket, object.key);
  return {
    input: location,
    at: object.eventTime,
    identity: [route.name, object.bucket, object.key, revision],
    runName: [`${route.name}-${baseNameOf(object.key)}`],
    description: `new object ${location} (${revision})`,
  };
}

function triggerFileTrigger(route: UploadRoute, object: UploadedObject): Trigger {
  const revision = revisionOf(object);
  const folder = s3Uri(object.bucket, folderOf(object.key));
  return {
    input: folder,
    at: object.eventTime,
    identity: [route.name, object.bucket, object.key, revision],
    runName: [`${route.name}-${baseNameOf(folderOf(object.key).slice(0, -1))}`],
    description: `${folder} completed by trigger file ${baseNameOf(object.key)} (${revision})`,
  };
}

/**
 * A folder run covers the tumbling window of the earliest object in the batch, so that all objects
 * of a folder that arrive in one batch start one run even when they straddle a window boundary.
 */
function folderTrigger(route: FolderRoute, objects: readonly UploadedObject[]): Trigger {
  const first = objects[0] as UploadedObject;
  const earliest = objects.reduce(
    (min, object) => Math.min(min, Date.parse(object.eventTime)),
    Number.POSITIVE_INFINITY,
  );
  const windowMs = route.windowSeconds * 1000;
  const windowStart = new Date(Math.floor(earliest / windowMs) * windowMs).toISOString();
  const folder = s3Uri(first.bucket, folderOf(first.key));
  return {
    input: folder,
    at: windowStart,
    identity: [route.name, first.bucket, folderOf(first.key), windowStart],
    runName: [route.name, compactTimestamp(windowStart)],
    description: `objects created in ${folder} in the ${route.windowSeconds} s window from ${windowStart}`,
  };
}

function truncate(text: string): string {
  return text.length <= PIPELINE_EXECUTION_DESCRIPTION_MAX_LENGTH
    ? text
    : `${text.slice(0, PIPELINE_EXECUTION_DESCRIPTION_MAX_LENGTH - 3)}...`;
}
