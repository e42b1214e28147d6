import type { ControllerService } from '../domain/controller-service.js';
import type { ExposeCheck, RoutingMode } from '../domain/expose-check.js';
import type { ExposeRequest } from '../domain/expose-request.js';
import type { IngressRoute } from '../domain/ingress-route.js';
import type { RouteUptake } from '../domain/live-check.js';
import type { HttpRouteManifest } from '../domain/managed-http-route.js';
import type { ExposeApproval, IngressManifest } from '../domain/managed-ingress.js';
import type { HostHolder, RouteClaim } from '../domain/route-claim.js';
import type { RouteStatus } from '../domain/route-status.js';
import type { SharedNlb } from '../nlb/shared-nlb-locator.js';

/**
 * How the shared edge routes hosts, one implementation per mode: Ingresses of a class (any maintained
 * controller), or HTTPRoutes attached to one Gateway. /expose, /unexpose, /expose list and /ips ask this,
 * and never the Ingress or Gateway API directly.
 */
export interface EdgeRouting {
  readonly mode: RoutingMode;
  /** What the bot writes: an Ingress, or an HTTPRoute. */
  readonly kind: WrittenKind;
  /** Who holds the request's host, and this mode's checks (the Gateway, its listeners, the host free). */
  assess(request: ExposeRequest, reads: PendingReads): Promise<RoutingAssessment>;
  /** Everything that holds the request's host now (read afresh), for the look for a concurrent writer after a create. */
  holders(request: ExposeRequest, nlb: SharedNlb): Promise<HostHolder[]>;
  /** A plain create: of two writers of the same name exactly one succeeds, the other learns `exists`. */
  create(manifest: RouteManifest): Promise<CreateOutcome>;
  read(ref: RouteRef): Promise<StoredRoute | undefined>;
  /** The stored object is the bot's, and routes exactly this request and nothing else (to `backend`, when the port was resolved). */
  exposes(route: StoredRoute, request: ExposeRequest, backend?: number): boolean;
  /** Deletes only the object with this uid and resourceVersion; 'gone' when it no longer exists. */
  delete(ref: RouteRef, preconditions: { readonly uid: string; readonly resourceVersion: string }): Promise<'deleted' | 'gone'>;
  /** Gateway mode: what the Gateway's controller says about a route just written (waits a little). */
  awaitStatus?(ref: RouteRef): Promise<WrittenRouteStatus>;
  /** /expose list: the bot's routes and everyone else's hosts on this edge. */
  list(): Promise<RouteListing>;
  /** /unexpose: the bot's objects and the others that serve the host. */
  servingHost(host: string): Promise<{ readonly ours: readonly StoredRoute[]; readonly others: readonly NamedRoute[] }>;
  /** /ips: every host the edge serves. */
  hosts(): Promise<string[]>;
  /**
   * The live check: whether the proxy took up the route that serves `host` (the bot's own first): an Ingress's
   * status.loadBalancer, an HTTPRoute's status for the Gateway; undefined when nothing routes the host.
   */
  uptake(host: string): Promise<RouteUptake | undefined>;
}

export type WrittenKind = 'Ingress' | 'HTTPRoute';

export interface RouteRef {
  readonly kind: WrittenKind;
  readonly namespace: string;
  readonly name: string;
}

export type RouteManifest = IngressManifest | HttpRouteManifest;

/** Reads the assessment may need: started on the first call, once, and shared with the other checks. */
export interface PendingReads {
  service(): Promise<ControllerService | undefined>;
  nlb(): Promise<SharedNlb>;
}

export interface RoutingAssessment {
  /** The name of the object the bot writes (the host itself). */
  readonly routeName: string;
  readonly claim: RouteClaim;
  /** This mode's checks, the host-free check last. */
  readonly checks: readonly ExposeCheck[];
  /** The Service port the route's backend names: a number for an HTTPRoute (a named port resolved). */
  readonly backendPort: number | undefined;
  /** The object that will be written; undefined when a check already says it cannot be built. */
  readonly manifest: ((approval: ExposeApproval) => RouteManifest) | undefined;
}

/** An object the bot wrote (or finds where it would write), as read back. */
export interface StoredRoute {
  readonly ref: RouteRef;
  readonly uid: string | undefined;
  readonly resourceVersion: string | undefined;
  readonly generation: number | undefined;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /** Ingress mode: the object's class (spec.ingressClassName or the legacy annotation). */
  readonly className?: string | undefined;
  /** host + path -> backend, one per combination. */
  readonly rules: readonly IngressRoute[];
  /** What it serves beyond rules the bot writes (a default backend, more hosts or parents, filters), in words. */
  readonly extras: readonly string[];
  /** Gateway mode: the controller's word on it for the edge's Gateway. */
  readonly status?: RouteStatus;
}

export type CreateOutcome = { readonly kind: 'created'; readonly route: StoredRoute } | { readonly kind: 'exists' };

/** After a write: live, refused by the Gateway's controller (its reason and message), or no answer within the wait. */
export type WrittenRouteStatus =
  | { readonly kind: 'live' }
  | { readonly kind: 'refused'; readonly condition: string; readonly reason: string; readonly message: string }
  | { readonly kind: 'no-answer'; readonly waitedMs: number };

/** A host the bot manages, as its object records it. */
export interface ExposedHost {
  readonly host: string;
  readonly path: string;
  readonly namespace: string;
  readonly kind: WrittenKind;
  readonly name: string;
  readonly service: string | undefined;
  readonly port: number | string | undefined;
  /** Slack user IDs and time from the bot's annotations; values from the cluster, not trusted as markup. */
  readonly requestedBy: string | undefined;
  readonly approvedBy: string | undefined;
  readonly approvedAt: string | undefined;
  /** Gateway mode: live, refused or pending. */
  readonly status?: RouteStatus;
}

/** An object of any kind that routes hosts (an Ingress, an HTTPRoute, a GRPCRoute). */
export interface NamedRoute {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

/** A host of the edge that some other tool or person routes. */
export interface OtherHost {
  readonly host: string;
  readonly namespace: string;
  readonly kind: string;
  readonly name: string;
}

export interface RouteListing {
  /** What the other hosts belong to: the ingress class `nginx`, or the Gateway `edge/shared`. */
  readonly edge: { readonly kind: 'ingress class' | 'Gateway'; readonly name: string };
  readonly managed: readonly ExposedHost[];
  readonly others: readonly OtherHost[];
}
