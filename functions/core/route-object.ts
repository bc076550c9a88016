import type { UploadRoute } from '../config/data-upload-config';
import { baseNameOf, isFolderMarker } from './s3-key';
import type { IgnoreReason, UploadedObject } from './uploaded-object';

export type RouteDecision =
  { readonly route: UploadRoute } | { readonly ignored: IgnoreReason; readonly detail: string };

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
  const route = orderedRoutes.find((candidate) => claims(candidate, object));
  if (route === undefined) {
    return { ignored: 'no-route', detail: `no route claims ${location}` };
  }
  if (route.mode === 'trigger-file' && !route.triggerFiles.includes(baseNameOf(object.key))) {
    return {
      ignored: 'not-trigger-file',
      detail: `route ${route.name} waits for ${route.triggerFiles.join(' or ')}, not ${location}`,
    };
  }
  return { route };
}

function claims(route: UploadRoute, object: UploadedObject): boolean {
  return (
    route.bucket === object.bucket &&
    object.key.startsWith(route.prefix) &&
    (route.suffix === undefined || object.key.endsWith(route.suffix))
  );
}
