import type { BackendPort, ExposeRequest } from './expose-request.js';
import { ingressClassOf, type IngressRoute, type IngressSummary } from './ingress-route.js';
import { pathKey } from './ingress-path.js';
import { isManagedByBot } from './ownership.js';

/**
 * Who already holds the host+path of a request:
 * - free: nobody; the bot may write its Ingress.
 * - exposed: the bot's own Ingress for this host already routes it to exactly this backend.
 * - taken: something else holds it; `reason` says what, `ingress` which object.
 */
export type RouteClaim =
  | { readonly kind: 'free' }
  | { readonly kind: 'exposed'; readonly ingress: IngressSummary; readonly route: IngressRoute }
  | { readonly kind: 'taken'; readonly reason: TakenReason; readonly ingress: IngressSummary; readonly route: IngressRoute | undefined };

/**
 * route: an Ingress of the class (or without class) routes the same host+path; ingress-nginx's admission
 *   webhook would refuse a second one.
 * managed-host: the bot already manages this host with another path or backend (one Ingress per host).
 * name: an Ingress with the name the bot would write exists in the namespace for something else.
 */
export type TakenReason = 'route' | 'managed-host' | 'name';

export function findRouteClaim(
  ingresses: readonly IngressSummary[],
  request: ExposeRequest,
  options: { readonly ingressClass: string; readonly ingressName: string },
): RouteClaim {
  const isTarget = (ingress: IngressSummary) => ingress.namespace === request.namespace && ingress.name === options.ingressName;
  const key = pathKey(request.path);
  // Ingresses without a class may be served by ingress-nginx when its class is the cluster default, so
  // they count as claims too: refusing is safer than a route nginx might merge.
  const competing = ingresses.filter((ingress) => {
    const className = ingressClassOf(ingress);
    return className === undefined || className === options.ingressClass || isManagedByBot(ingress.labels);
  });
  for (const ingress of competing) {
    for (const route of ingress.routes) {
      if (route.host !== request.host || pathKey(route.path) !== key) continue;
      if (isTarget(ingress) && isManagedByBot(ingress.labels) && routesTo(route, request) && ingress.routes.length === 1) {
        return { kind: 'exposed', ingress, route };
      }
      return { kind: 'taken', reason: 'route', ingress, route };
    }
  }
  for (const ingress of ingresses) {
    if (!isManagedByBot(ingress.labels)) continue;
    const route = ingress.routes.find((candidate) => candidate.host === request.host);
    if (route !== undefined) return { kind: 'taken', reason: 'managed-host', ingress, route };
  }
  const sameName = ingresses.find(isTarget);
  if (sameName !== undefined) return { kind: 'taken', reason: 'name', ingress: sameName, route: sameName.routes[0] };
  return { kind: 'free' };
}

function routesTo(route: IngressRoute, request: ExposeRequest): boolean {
  return route.serviceName === request.service && samePort(route.servicePort, request.port);
}

function samePort(port: number | string | undefined, wanted: BackendPort): boolean {
  return 'number' in wanted ? port === wanted.number : port === wanted.name;
}
