import type { UploadRoute } from '../config/data-upload-config';
import { matchPrefix } from './key-segments';

/** The route that came closest to claiming an object no route claimed, and what it wants instead. */
export interface ClosestRoute {
  readonly route: string;
  /** `prefix data/inference/incoming/`, `suffix .csv`: what the object's key lacks. */
  readonly wants: string;
}

/**
 * Among the routes of the object's bucket, the one whose prefix shares the most with the key (a
 * claimed prefix counts as shared whole), then the one whose suffix the key has: the answer to
 * "which route did I mean, and what did I get wrong?". Undefined when no route watches the bucket.
 *
 * @example
 * closestRoute('data/inference/incoming/x.json', 'bucket', routes);
 * // { route: 'inference-data', wants: 'suffix .csv' }
 */
export function closestRoute(
  key: string,
  bucket: string,
  routes: readonly UploadRoute[],
): ClosestRoute | undefined {
  const ranked = routes
    .filter((route) => route.bucket === bucket)
    .map((route) => {
      const prefixClaims = matchPrefix(route.prefix, key) !== undefined;
      const suffixMatches = route.suffix === undefined || key.endsWith(route.suffix);
      return {
        route,
        prefixClaims,
        suffixMatches,
        shared: prefixClaims ? route.prefix.length : sharedLength(route.prefix, key),
      };
    })
    .sort((a, b) => b.shared - a.shared || Number(b.suffixMatches) - Number(a.suffixMatches));
  const best = ranked[0];
  if (best === undefined) return undefined;
  const wants = [
    ...(best.prefixClaims ? [] : [`prefix ${best.route.prefix}`]),
    ...(best.suffixMatches ? [] : [`suffix ${best.route.suffix}`]),
  ];
  return { route: best.route.name, wants: wants.join(' and ') };
}

/** Characters a route's prefix and a key share from the start, up to a `{segment}` placeholder. */
function sharedLength(prefix: string, key: string): number {
  let index = 0;
  while (index < prefix.length && index < key.length && prefix[index] === key[index]) index += 1;
  return index;
}
