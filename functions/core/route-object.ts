import type { UploadRoute } from '../config/data-upload-config';
import { assertNever } from './assert-never';
import { matchPrefix } from './key-segments';
import { baseNameOf, isFolderMarker } from './s3-key';
import type { IgnoreReason, UploadedObject } from './uploaded-object';

export type RouteDecision =
  | { readonly route: UploadRoute; readonly segments: Readonly<Record<string, string>> }
  | { readonly ignored: IgnoreReason; readonly detail: string };

/**
 * Orders routes so that the most specific rule is tried first: the longest prefix, then the longest
 * suffix. Overlapping prefixes are normal (`data/` and `data/training/`); the narrower one wins.
 */
export function orderRoutesBySpecificity(routes: readonly UploadRoute[]): UploadRoute[] {
  return [...routes].sort(
    (a, b) =>
      b.prefix.length - a.prefix.length || (b.suffix?.length ?? 0) - (a.suffix?.length ?? 0),
  );
}

/**
 * Finds the route that claims an object, or says why none does.
 *
 * @example
 * routeObject(object, orderRoutesBySpecificity(config.routes));
 */
export function routeObject(
  object: UploadedObject,
  orderedRoutes: readonly UploadRoute[],
): RouteDecision {
  const location = `s3://${object.bucket}/${object.key}`;
  if (isFolderMarker(object.key)) {
    return { ignored: 'folder-marker', detail: `${location} is a folder marker` };
  }
  let claimed: { route: UploadRoute; segments: Record<string, string> } | undefined;
  for (const route of orderedRoutes) {
    const segments = claims(route, object);
    if (segments !== undefined) {
      claimed = { route, segments };
      break;
    }
  }
  if (claimed === undefined) {
    return { ignored: 'no-route', detail: `no route claims ${location}` };
  }
  return notStarting(claimed.route, object.key, location) ?? claimed;
}

/** Why an object its route claims starts nothing, or undefined when it starts the route's run. */
function notStarting(route: UploadRoute, key: string, location: string): RouteDecision | undefined {
  switch (route.mode) {
    case 'object':
    case 'folder':
      return undefined;
    case 'trigger-file':
      return route.triggerFiles.includes(baseNameOf(key))
        ? undefined
        : {
            ignored: 'not-trigger-file',
            detail: `route ${route.name} waits for ${route.triggerFiles.join(' or ')}, not ${location}`,
          };
    default:
      return assertNever(route);
  }
}

/** The key's named segments when the route claims the object, else undefined. */
function claims(route: UploadRoute, object: UploadedObject): Record<string, string> | undefined {
  if (route.bucket !== object.bucket) return undefined;
  if (route.suffix !== undefined && !object.key.endsWith(route.suffix)) return undefined;
  return matchPrefix(route.prefix, object.key);
}
