import { certificateNameCovers } from './certificate-coverage.js';
import type { BackendPort, ExposeRequest } from './expose-request.js';
import { pathKey } from './ingress-path.js';
import { type IngressRoute, type IngressSummary, ingressClassOf } from './ingress-route.js';
import { isManagedByBot } from './ownership.js';

/** An Ingress that serves a host, with the rules that do: the host's own name, or a wildcard covering it. */
export interface HostHolder {
  readonly ingress: IngressSummary;
  readonly routes: readonly IngressRoute[];
}

/**
 * Who already holds the host of a request:
 * - free: no Ingress the class may serve routes the host, at any path; the bot may write its Ingress.
 * - exposed: the bot's own Ingress for this host already routes exactly this request, and nothing else.
 * - taken: something else holds it; `reason` says what, `holders` which objects and which of their rules.
 */
export type RouteClaim =
  | { readonly kind: 'free' }
  | { readonly kind: 'exposed'; readonly ingress: IngressSummary; readonly route: IngressRoute }
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
  return ingresses.flatMap((ingress) => {
    const className = ingressClassOf(ingress);
    if (className !== undefined && className !== ingressClass && !isManagedByBot(ingress.labels)) return [];
    const routes = ingress.routes.filter((route) => route.host !== undefined && certificateNameCovers(route.host, host));
    return routes.length === 0 ? [] : [{ ingress, routes }];
  });
}

export function findRouteClaim(
  ingresses: readonly IngressSummary[],
  request: ExposeRequest,
  options: { readonly ingressClass: string; readonly ingressName: string },
): RouteClaim {
  const holders = hostHolders(ingresses, request.host, options.ingressClass);
  const exposing = holders.find((holder) => exposes(holder.ingress, request, options.ingressClass));
  const route = exposing?.routes[0];
  if (exposing !== undefined && route !== undefined) return { kind: 'exposed', ingress: exposing.ingress, route };
  if (holders.length > 0) {
    return { kind: 'taken', reason: holders.some((holder) => isManagedByBot(holder.ingress.labels)) ? 'managed-host' : 'host', holders };
  }
  const sameName = ingresses.find((ingress) => ingress.namespace === request.namespace && ingress.name === options.ingressName);
  if (sameName !== undefined) return { kind: 'taken', reason: 'name', holders: [{ ingress: sameName, routes: sameName.routes }] };
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
