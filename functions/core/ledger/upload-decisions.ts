import type { UploadRoute } from '../../config/data-upload-config';
import { closestRoute } from '../closest-route';
import { type PlannedStart, revisionOf } from '../plan-upload-starts';
import { s3Uri } from '../s3-key';
import type { IgnoredNotice, UploadedObject } from '../uploaded-object';
import type { RunRequested, UploadIgnored } from './decision';

/**
 * The decision of a start that SageMaker accepted. Its subject is the run's input, the object or
 * the folder, so "why did my upload (not) start a run?" is answered by the object's URI or its
 * folder's: a folder's objects are one decision, whatever their number.
 *
 * @example
 * runRequested(plan.starts[0], 'arn:aws:sagemaker:...:pipeline/p/execution/x');
 */
export function runRequested(start: PlannedStart, executionArn: string): RunRequested {
  const { route, mode, input, objectCount, triggeredAt, request } = start;
  const what =
    mode === 'folder'
      ? `${objectCount} object${objectCount === 1 ? '' : 's'} of ${input} coalesced into one run`
      : mode === 'trigger-file'
        ? `trigger file completed ${input}`
        : `${input} arrived`;
  return {
    kind: 'run-requested',
    subject: input,
    key: `${triggeredAt}#run-requested#${request.clientRequestToken}`,
    at: triggeredAt,
    pipeline: request.pipelineName,
    summary: `${what}: route ${route} started ${request.pipelineName} (${executionArn})`,
    resources: [executionArn],
    facts: {
      route,
      mode,
      pipeline: request.pipelineName,
      input,
      objectCount,
      clientRequestToken: request.clientRequestToken,
      executionArn,
    },
  };
}

/**
 * The decisions about objects that routing passed over; notices without an object (a test event,
 * another kind of S3 event) are logged only, since no object URI could find them.
 */
export function uploadsIgnored(
  ignored: readonly IgnoredNotice[],
  routes: readonly UploadRoute[],
): UploadIgnored[] {
  return ignored.flatMap((notice) => {
    const { object, reason } = notice;
    if (object === undefined || reason === 'test-event' || reason === 'not-object-created') {
      return [];
    }
    return [uploadIgnored(object, reason, notice.detail, routes)];
  });
}

function uploadIgnored(
  object: UploadedObject,
  reason: UploadIgnored['facts']['reason'],
  detail: string,
  routes: readonly UploadRoute[],
): UploadIgnored {
  const objectUri = s3Uri(object.bucket, object.key);
  const closest =
    reason === 'no-route' ? closestRoute(object.key, object.bucket, routes) : undefined;
  const hint =
    closest === undefined ? '' : `; closest route ${closest.route} wants ${closest.wants}`;
  return {
    kind: 'upload-ignored',
    subject: objectUri,
    key: `${object.eventTime}#upload-ignored#${revisionOf(object)}`,
    at: object.eventTime,
    summary: `${objectUri} started nothing (${reason}): ${detail}${hint}`,
    resources: [],
    facts: {
      objectUri,
      reason,
      detail,
      ...(closest === undefined
        ? {}
        : { closestRoute: closest.route, closestRouteWants: closest.wants }),
    },
  };
}
