import { certificateNameCovers } from './certificate-coverage.js';
import type { BackendPort, ExposeRequest } from './expose-request.js';
import { pathKey } from './ingress-path.js';
import { type IngressRoute, type IngressSummary, ingressClassOf } from './ingress-route.js';
import { isManagedByBot } from './ownership.js';

/** The kinds of object that route hosts on the shared edge. */
export type RoutingKind = 'Ingress' | 'HTTPRoute' | 'GRPCRoute';

/** An object that routes hosts: an Ingress (no kind given), or an HTTPRoute or GRPCRoute of the Gateway API. */
export interface HolderRoute {
  readonly kind?: RoutingKind;
  readonly namespace: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/** An object that serves a host, with the rules that do: the host's own name, or a wildcard covering it. */
export interface HostHolder {
  readonly route: HolderRoute;
  /** host + path -> backend, as in an Ingress; a route's hostnames x path matches x backends. */
  readonly rules: readonly IngressRoute[];
}

export function kindOf(route: HolderRoute): RoutingKind {
  return route.kind ?? 'Ingress';
}

/** "Ingresses", "HTTPRoutes". */
export function pluralOf(kind: RoutingKind): string {
  return kind === 'Ingress' ? 'Ingresses' : `${kind}s`;
}

/**
 * Who already holds the host of a request:
 * - free: no Ingress the class may serve routes the host, at any path; the bot may write its Ingress.
 * - exposed: the bot's own Ingress for this host already routes exactly this request, and nothing else.
 * - taken: something else holds it; `reason` says what, `holders` which objects and which of their rules.
 */
export type RouteClaim =
  | { readonly kind: 'free' }
  | { readonly kind: 'exposed'; readonly route: HolderRoute; readonly rule: IngressRoute }
  | { readonly kind: 'taken'; readonly reason: TakenReason; readonly holders: readonly HostHolder[] };

/**
 * host: Ingresses the bot did not write route the host (at any path, or by a wildcard rule).
 * managed-host: the bot already manages this host with another path or backend (one Ingress per host).
 * name: an Ingress with the name the bot would write exists in the namespace for something else.
 */
export type TakenReason = 'host' | 'managed-host' | 'name';

/**
 * Every Ingress that ingress-nginx may serve for the class and that routes `host`: by its name, or by a
 * wildcard rule that covers it (`*` is exactly one label, as in ACM and the Ingress API). ingress-nginx merges
 * the Ingresses of its class across namespaces into one server per host, so an Ingress at any path of the
 * host shares that host's traffic. Ingresses without a class may be served when the class is the cluster's
 * default, so they count too; and so do the bot's own, whatever their class. Rules without a host (the
 * catch-all server) hold no host.
 */
export function hostHolders(ingresses: readonly IngressSummary[], host: string, ingressClass: string): HostHolder[] {
  return ingressesHolding(
    ingresses.filter((ingress) => {
      const className = ingressClassOf(ingress);
      return className === undefined || className === ingressClass || isManagedByBot(ingress.labels);
    }),
    host,
  );
}

/** The Ingresses among these that route `host`, by its name or a one-label wildcard rule. */
export function ingressesHolding(ingresses: readonly IngressSummary[], host: string): HostHolder[] {
  return ingresses.flatMap((ingress) => {
    const routes = ingress.routes.filter((route) => route.host !== undefined && certificateNameCovers(route.host, host));
    return routes.length === 0 ? [] : [{ route: ingress, rules: routes }];
  });
}

export function findRouteClaim(
  ingresses: readonly IngressSummary[],
  request: ExposeRequest,
  options: { readonly ingressClass: string; readonly ingressName: string },
): RouteClaim {
  return claimOf(hostHolders(ingresses, request.host, options.ingressClass), {
    exposes: (holder) => exposes(holder.route as IngressSummary, request, options.ingressClass),
    sameName: ingresses.find((ingress) => ingress.namespace === request.namespace && ingress.name === options.ingressName),
  });
}

/**
 * The claim on a host, whatever the objects: the bot's own object that routes exactly the request
 * (`exposes`), else everyone who holds the host, else an object of the name the bot would write.
 */
export function claimOf(
  holders: readonly HostHolder[],
  options: {
    readonly exposes: (holder: HostHolder) => boolean;
    readonly sameName: (HolderRoute & { readonly routes?: readonly IngressRoute[] }) | undefined;
  },
): RouteClaim {
  const exposing = holders.find(options.exposes);
  const rule = exposing?.rules[0];
  if (exposing !== undefined && rule !== undefined) return { kind: 'exposed', route: exposing.route, rule };
  if (holders.length > 0) {
    return { kind: 'taken', reason: holders.some((holder) => isManagedByBot(holder.route.labels)) ? 'managed-host' : 'host', holders };
  }
  const { sameName } = options;
  if (sameName !== undefined) return { kind: 'taken', reason: 'name', holders: [{ route: sameName, rules: sameName.routes ?? [] }] };
  return { kind: 'free' };
}

/** The bot's Ingress routes exactly this request, in its namespace and class, and nothing else. */
export function exposes(ingress: IngressSummary, request: ExposeRequest, ingressClass: string): boolean {
  const [route, ...others] = ingress.routes;
  return (
    isManagedByBot(ingress.labels) &&
    ingress.namespace === request.namespace &&
    ingressClassOf(ingress) === ingressClass &&
    route !== undefined &&
    others.length === 0 &&
    route.host === request.host &&
    pathKey(route.path) === pathKey(request.path) &&
    route.serviceName === request.service &&
    samePort(route.servicePort, request.port)
  );
}

function samePort(port: number | string | undefined, wanted: BackendPort): boolean {
  return 'number' in wanted ? port === wanted.number : port === wanted.name;
}
