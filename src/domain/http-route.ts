import { GATEWAY_API_GROUP, type GatewayRef, type RouteKind } from './gateway.js';
import { gatewayHostnameMatches } from './gateway-hostname.js';
import { currentCondition, type KubeCondition } from './kube-condition.js';

/** A route's parentRef with the API's defaults applied, so two references to one listener compare equal. */
export interface ParentRef {
  readonly group: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly sectionName: string | undefined;
  readonly port: number | undefined;
}

/** A parentRef as written, any field but the name left out. */
export interface WrittenParentRef {
  readonly group?: string | undefined;
  readonly kind?: string | undefined;
  readonly namespace?: string | undefined;
  readonly name: string;
  readonly sectionName?: string | undefined;
  readonly port?: number | undefined;
}

export interface RoutePathMatch {
  /** PathPrefix, Exact or RegularExpression. */
  readonly type: string;
  readonly value: string;
}

/** A backendRef with the API's defaults applied (group "" and kind Service: a Service; weight 1). */
export interface RouteBackendRef {
  readonly group: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly port: number | undefined;
  readonly weight: number;
}

export interface WrittenBackendRef {
  readonly group?: string | undefined;
  readonly kind?: string | undefined;
  readonly namespace?: string | undefined;
  readonly name: string;
  readonly port?: number | undefined;
  readonly weight?: number | undefined;
}

export interface RouteRule {
  /** The rule's path matches (an HTTPRoute's default: PathPrefix /); none for a GRPCRoute, which matches methods. */
  readonly matches: readonly RoutePathMatch[];
  readonly backendRefs: readonly RouteBackendRef[];
}

/** What the controller of one parent reports about the route (status.parents[]). */
export interface RouteParentStatus {
  readonly parentRef: ParentRef;
  readonly controllerName: string;
  readonly conditions: readonly KubeCondition[];
}

/** An HTTPRoute or GRPCRoute as the bot reads it from the cluster. */
export interface RouteSummary {
  readonly kind: RouteKind;
  readonly namespace: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly uid: string | undefined;
  readonly resourceVersion: string | undefined;
  readonly generation: number | undefined;
  readonly creationTimestamp: Date | undefined;
  readonly parentRefs: readonly ParentRef[];
  /** Lower case; empty means every host the listeners it attaches to admit. */
  readonly hostnames: readonly string[];
  readonly rules: readonly RouteRule[];
  readonly parents: readonly RouteParentStatus[];
}

/** The API's defaults for a parentRef: group gateway.networking.k8s.io, kind Gateway, the route's namespace. */
export function parentRefWithDefaults(written: WrittenParentRef, routeNamespace: string): ParentRef {
  return {
    group: written.group ?? GATEWAY_API_GROUP,
    kind: written.kind ?? 'Gateway',
    namespace: written.namespace ?? routeNamespace,
    name: written.name,
    sectionName: written.sectionName === '' ? undefined : written.sectionName,
    port: written.port,
  };
}

/** The API's defaults for a backendRef: group "" and kind Service, the route's namespace, weight 1. */
export function backendRefWithDefaults(written: WrittenBackendRef, routeNamespace: string): RouteBackendRef {
  return {
    group: written.group ?? '',
    kind: written.kind ?? 'Service',
    namespace: written.namespace ?? routeNamespace,
    name: written.name,
    port: written.port,
    weight: written.weight ?? 1,
  };
}

/** An HTTPRoute rule's path matches with the API's defaults: no matches, or a match without path, is PathPrefix /. */
export function pathMatchesWithDefaults(
  matches:
    | ReadonlyArray<{ readonly path?: { readonly type?: string | undefined; readonly value?: string | undefined } | undefined }>
    | undefined,
): RoutePathMatch[] {
  if (matches === undefined || matches.length === 0) return [{ type: 'PathPrefix', value: '/' }];
  return matches.map((match) => ({ type: match.path?.type ?? 'PathPrefix', value: match.path?.value ?? '/' }));
}

export function sameParentRef(a: ParentRef, b: ParentRef): boolean {
  return (
    a.group === b.group &&
    a.kind === b.kind &&
    a.namespace === b.namespace &&
    a.name === b.name &&
    a.sectionName === b.sectionName &&
    a.port === b.port
  );
}

/**
 * Whether a parentRef points at the Gateway, and at the listener when `gateway` names one: a parentRef
 * without sectionName attaches to every listener, so it points at each of them.
 */
export function parentRefTargets(parentRef: ParentRef, gateway: GatewayRef): boolean {
  return (
    parentRef.group === GATEWAY_API_GROUP &&
    parentRef.kind === 'Gateway' &&
    parentRef.namespace === gateway.namespace &&
    parentRef.name === gateway.name &&
    (gateway.sectionName === undefined || parentRef.sectionName === undefined || parentRef.sectionName === gateway.sectionName)
  );
}

/**
 * Whether the route attaches to the Gateway (or its listener): one of its parentRefs points there and the
 * Gateway's controller has not refused that parentRef (Accepted False for the route's current generation).
 * A route the controller has not reported on yet counts as attached: it will be live within moments.
 */
export function isAttachedTo(route: RouteSummary, gateway: GatewayRef): boolean {
  return route.parentRefs.some((parentRef) => parentRefTargets(parentRef, gateway) && !isRefused(route, parentRef));
}

function isRefused(route: RouteSummary, parentRef: ParentRef): boolean {
  const entry = route.parents.find((parent) => sameParentRef(parent.parentRef, parentRef));
  return entry !== undefined && currentCondition(entry.conditions, 'Accepted', route.generation)?.status === 'False';
}

/**
 * The routes attached to the Gateway (or its listener) that serve `host` at any path: by that exact hostname,
 * by a wildcard hostname covering it (Gateway API wildcards cover one label or more), or by having no
 * hostnames at all, which serves every host its listener admits. Two such routes are both Accepted and the
 * oldest wins, so the status shows no conflict: this is the check to make before writing. Oldest first
 * (creationTimestamp, then namespace/name), the order in which the data plane prefers them.
 */
export function routesClaimingHost(routes: readonly RouteSummary[], gateway: GatewayRef, host: string): RouteSummary[] {
  return routes
    .filter((route) => isAttachedTo(route, gateway))
    .filter((route) => route.hostnames.length === 0 || route.hostnames.some((hostname) => gatewayHostnameMatches(hostname, host)))
    .sort(byPrecedence);
}

function byPrecedence(a: RouteSummary, b: RouteSummary): number {
  const age = (a.creationTimestamp?.getTime() ?? Number.POSITIVE_INFINITY) - (b.creationTimestamp?.getTime() ?? Number.POSITIVE_INFINITY);
  if (age !== 0 && !Number.isNaN(age)) return age;
  return `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`);
}
