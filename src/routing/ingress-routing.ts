import { isIP } from 'node:net';
import { routeCheck } from '../domain/expose-check.js';
import type { ExposeRequest } from '../domain/expose-request.js';
import { ingressNameForHost } from '../domain/ingress-name.js';
import type { IngressSummary } from '../domain/ingress-route.js';
import { hostsServedByClass, ingressClassOf } from '../domain/ingress-route.js';
import type { RouteUptake } from '../domain/live-check.js';
import { buildManagedIngress, type IngressManifest } from '../domain/managed-ingress.js';
import { isManagedByBot } from '../domain/ownership.js';
import { exposes, findRouteClaim, type HostHolder, hostHolders } from '../domain/route-claim.js';
import type { IngressReader, IngressWriter, StoredIngress } from '../ports/kube/ingress-gateway.js';
import type {
  CreateOutcome,
  EdgeRouting,
  ExposedHost,
  OtherHost,
  RouteListing,
  RouteManifest,
  RouteRef,
  RoutingAssessment,
  StoredRoute,
} from './edge-routing.js';
import { byHost, managedHost } from './route-listing.js';

/**
 * Ingress mode: the shared edge is a controller that serves one IngressClass (any maintained one: Traefik,
 * F5 NGINX, HAProxy, ingress-nginx while it lasts). The bot writes one Ingress per host, and a host is taken
 * when any Ingress the class may serve routes it, at any path (controllers merge the Ingresses of a class by host).
 */
export class IngressRouting implements EdgeRouting {
  readonly mode: { readonly kind: 'ingress'; readonly ingressClass: string };
  readonly kind = 'Ingress' as const;

  constructor(
    private readonly ingresses: IngressReader & IngressWriter,
    private readonly ingressClass: string,
  ) {
    this.mode = { kind: 'ingress', ingressClass };
  }

  async assess(request: ExposeRequest): Promise<RoutingAssessment> {
    const routeName = ingressNameForHost(request.host);
    const claim = findRouteClaim(await this.ingresses.listIngresses(), request, {
      ingressClass: this.ingressClass,
      ingressName: routeName,
    });
    return {
      routeName,
      claim,
      checks: [routeCheck(request, claim)],
      backendPort: undefined,
      manifest: (approval) => buildManagedIngress(request, this.ingressClass, approval),
    };
  }

  async holders(request: ExposeRequest) {
    return hostHolders(await this.ingresses.listIngresses(), request.host, this.ingressClass);
  }

  async create(manifest: RouteManifest): Promise<CreateOutcome> {
    const created = await this.ingresses.createIngress(manifest as IngressManifest);
    return created.kind === 'exists' ? created : { kind: 'created', route: stored(created.ingress) };
  }

  async read(ref: RouteRef): Promise<StoredRoute | undefined> {
    const ingress = await this.ingresses.readIngress(ref.namespace, ref.name);
    return ingress === undefined ? undefined : stored(ingress);
  }

  exposes(route: StoredRoute, request: ExposeRequest): boolean {
    const summary = { ...route.ref, className: route.className, labels: route.labels, annotations: route.annotations, routes: route.rules };
    return (
      route.extras.length === 0 &&
      exposes({ ...summary, resourceVersion: undefined, creationTimestamp: undefined }, request, this.ingressClass)
    );
  }

  delete(ref: RouteRef, preconditions: { readonly uid: string; readonly resourceVersion: string }): Promise<'deleted' | 'gone'> {
    return this.ingresses.deleteIngress(ref.namespace, ref.name, preconditions);
  }

  async list(): Promise<RouteListing> {
    const managed: ExposedHost[] = [];
    const others = new Map<string, OtherHost>();
    for (const ingress of await this.ingresses.listIngresses()) {
      const ours = isManagedByBot(ingress.labels);
      if (!ours && ingressClassOf(ingress) !== this.ingressClass) continue;
      for (const rule of ingress.routes) {
        if (rule.host === undefined) continue;
        if (ours)
          managed.push(managedHost({ kind: 'Ingress', namespace: ingress.namespace, name: ingress.name }, rule, ingress.annotations));
        else {
          const key = `${rule.host} ${ingress.namespace}/${ingress.name}`;
          if (!others.has(key)) others.set(key, { host: rule.host, namespace: ingress.namespace, kind: 'Ingress', name: ingress.name });
        }
      }
    }
    return {
      edge: { kind: 'ingress class', name: this.ingressClass },
      managed: managed.sort(byHost),
      others: [...others.values()].sort(byHost),
    };
  }

  async servingHost(host: string) {
    const serving = (await this.ingresses.listIngresses()).filter((ingress) => ingress.routes.some((rule) => rule.host === host));
    const ref = (ingress: { namespace: string; name: string }): RouteRef => ({
      kind: 'Ingress',
      namespace: ingress.namespace,
      name: ingress.name,
    });
    const ours: StoredRoute[] = serving
      .filter((ingress) => isManagedByBot(ingress.labels))
      .map((ingress) => ({ ...stored({ ...ingress, uid: undefined, defaultBackend: undefined }) }));
    return { ours, others: serving.filter((ingress) => !isManagedByBot(ingress.labels)).map(ref) };
  }

  async hosts(): Promise<string[]> {
    return hostsServedByClass(await this.ingresses.listIngresses(), this.ingressClass);
  }

  async uptake(host: string): Promise<RouteUptake | undefined> {
    const holders = hostHolders(await this.ingresses.listIngresses(), host, this.ingressClass);
    const exact = (holder: HostHolder) => holder.rules.some((rule) => rule.host === host);
    const chosen = holders.find((holder) => exact(holder) && isManagedByBot(holder.route.labels)) ?? holders.find(exact) ?? holders[0];
    if (chosen === undefined) return undefined;
    const addresses = (chosen.route as IngressSummary).loadBalancerAddresses ?? [];
    return { kind: 'Ingress', loadBalancer: addresses.map((value) => (isIP(value) === 0 ? { hostname: value } : { ip: value })) };
  }
}

function stored(ingress: StoredIngress): StoredRoute {
  const fallback = ingress.defaultBackend;
  return {
    ref: { kind: 'Ingress', namespace: ingress.namespace, name: ingress.name },
    uid: ingress.uid,
    resourceVersion: ingress.resourceVersion,
    generation: undefined,
    labels: ingress.labels,
    annotations: ingress.annotations,
    className: ingressClassOf(ingress),
    rules: ingress.routes,
    extras: fallback === undefined ? [] : [`a default backend → ${fallback.serviceName ?? '?'}:${fallback.servicePort ?? '?'}`],
  };
}
