import type { ParentRef, RouteSummary } from './http-route.js';
import { sameParentRef } from './http-route.js';
import { currentCondition } from './kube-condition.js';

/**
 * What the Gateway's controller says about a route for one of its parentRefs:
 * - live: Accepted and ResolvedRefs True, both for the route's current generation;
 * - refused: one of them False (Accepted first): its reason (NotAllowedByListeners, NoMatchingListenerHostname,
 *   NoMatchingParent, BackendNotFound, RefNotPermitted, InvalidKind, ...) and the controller's message;
 * - pending: no entry for this parentRef yet, or only conditions for an older generation. An entry that never
 *   comes means the parentRef names no Gateway, or one whose class no running controller implements.
 */
export type RouteStatus =
  | { readonly kind: 'live' }
  | { readonly kind: 'refused'; readonly condition: 'Accepted' | 'ResolvedRefs'; readonly reason: string; readonly message: string }
  | { readonly kind: 'pending' };

export function routeStatusFor(route: RouteSummary, parentRef: ParentRef): RouteStatus {
  const entry = route.parents.find((parent) => sameParentRef(parent.parentRef, parentRef));
  if (entry === undefined) return { kind: 'pending' };
  const accepted = currentCondition(entry.conditions, 'Accepted', route.generation);
  const resolved = currentCondition(entry.conditions, 'ResolvedRefs', route.generation);
  if (accepted?.status === 'False') return { kind: 'refused', condition: 'Accepted', reason: accepted.reason, message: accepted.message };
  if (resolved?.status === 'False') {
    return { kind: 'refused', condition: 'ResolvedRefs', reason: resolved.reason, message: resolved.message };
  }
  return accepted?.status === 'True' && resolved?.status === 'True' ? { kind: 'live' } : { kind: 'pending' };
}
