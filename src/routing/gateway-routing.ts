import { setTimeout as sleep } from 'node:timers/promises';
import type { ControllerService } from '../domain/controller-service.js';
import { CheckName, type ExposeCheck, routeCheck } from '../domain/expose-check.js';
import type { ExposeRequest } from '../domain/expose-request.js';
import { type GatewayRef, type GatewaySummary, isProgrammed, listenerAdmission, RouteNamespacesFrom } from '../domain/gateway.js';
import { gatewayHostnameMatches } from '../domain/gateway-hostname.js';
import { type ParentRef, parentRefTargets, parentRefWithDefaults, type RouteSummary } from '../domain/http-route.js';
import { ingressNameForHost } from '../domain/ingress-name.js';
import { pathKey } from '../domain/ingress-path.js';
import type { IngressRoute, IngressSummary } from '../domain/ingress-route.js';
import type { RouteUptake } from '../domain/live-check.js';
import { sameDnsName } from '../domain/load-balancer.js';
import { buildManagedHttpRoute, type HttpRouteManifest } from '../domain/managed-http-route.js';
import { isManagedByBot } from '../domain/ownership.js';
import { claimOf, type HostHolder, ingressesHolding } from '../domain/route-claim.js';
import { routeStatusFor } from '../domain/route-status.js';
import type { SharedNlb } from '../nlb/shared-nlb-locator.js';
import type { GatewayApiGateway } from '../ports/kube/gateway-api-gateway.js';
import type { IngressReader } from '../ports/kube/ingress-gateway.js';
import { ROUTE_STATUS_POLL_MS, ROUTE_STATUS_WAIT_MS } from '../tuning.js';
import type {
  CreateOutcome,
  EdgeRouting,
  ExposedHost,
  OtherHost,
  PendingReads,
  RouteListing,
  RouteManifest,
  RouteRef,
  RoutingAssessment,
  StoredRoute,
  WrittenRouteStatus,
} from './edge-routing.js';
import { byHost, managedHost } from './route-listing.js';

export interface GatewayRoutingOptions {
  readonly gatewayApi: Pick<
    GatewayApiGateway,
    'listRoutes' | 'readHttpRoute' | 'createHttpRoute' | 'deleteHttpRoute' | 'readNamespaceLabels'
  >;
  readonly ingresses: IngressReader;
  /** The shared Gateway, and the listener the bot's routes attach to (GATEWAY_LISTENER) when one is named. */
  readonly gateway: GatewayRef;
  /** Tests shorten the wait for the controller's status. */
  readonly statusWaitMs?: number;
}

/**
 * Gateway mode: the shared edge is one Gateway; the bot writes one HTTPRoute per host, in the Service's
 * namespace, attached to it. Gateway API accepts two routes for one host and lets the oldest win without a
 * word in either's status, so the bot checks first: every HTTPRoute and GRPCRoute attached to the listeners
 * its route would attach to, and every Ingress on the same NLB, at any path, by name or by a wildcard.
 */
export class GatewayRouting implements EdgeRouting {
  readonly mode: { readonly kind: 'gateway'; readonly gateway: string };
  readonly kind = 'HTTPRoute' as const;

  constructor(private readonly options: GatewayRoutingOptions) {
    this.mode = { kind: 'gateway', gateway: `${options.gateway.namespace}/${options.gateway.name}` };
  }

  async assess(request: ExposeRequest, reads: PendingReads): Promise<RoutingAssessment> {
    const { gatewayApi, ingresses } = this.options;
    const [routes, others, service, { nlb, labels }] = await Promise.all([
      gatewayApi.listRoutes(),
      ingresses.listIngresses(),
      reads.service().catch(() => undefined),
      reads.nlb().then(async (nlb) => ({ nlb, labels: await this.namespaceLabels(requireGateway(nlb), request.namespace) })),
    ]);
    const gateway = requireGateway(nlb);
    const routeName = ingressNameForHost(request.host);
    const programmed = isProgrammed(gateway);
    const gatewayCheck: ExposeCheck = programmed.programmed
      ? { name: CheckName.Gateway, status: 'pass', detail: `The Gateway \`${this.mode.gateway}\` is programmed.` }
      : { name: CheckName.Gateway, status: 'fail', detail: programmed.message };
    const admission = labels === undefined ? undefined : this.admittedListeners(gateway, request, labels);
    const listenerCheck = listenerCheckOf(request, admission);
    const holders = this.holdersAmong(routes, others, request.host, admission?.admitted ?? [], nlb);
    const port = backendPort(request, service);
    const claim = claimOf(holders, {
      exposes: (holder) => holder.route.kind === 'HTTPRoute' && this.routeExposes(holder.route as RouteSummary, request, port),
      sameName: sameNamed(routes, request.namespace, routeName),
    });
    return {
      routeName,
      claim,
      checks: [gatewayCheck, listenerCheck, routeCheck(request, claim, this.mode)],
      backendPort: port,
      manifest: port === undefined ? undefined : (approval) => buildManagedHttpRoute(request, this.options.gateway, port, approval),
    };
  }

  async holders(request: ExposeRequest, nlb: SharedNlb): Promise<HostHolder[]> {
    const { gatewayApi, ingresses } = this.options;
    const gateway = requireGateway(nlb);
    const [routes, others, labels] = await Promise.all([
      gatewayApi.listRoutes(),
      ingresses.listIngresses(),
      this.namespaceLabels(gateway, request.namespace),
    ]);
    const admitted = labels === undefined ? [] : this.admittedListeners(gateway, request, labels).admitted;
    return this.holdersAmong(routes, others, request.host, admitted, nlb);
  }

  async create(manifest: RouteManifest): Promise<CreateOutcome> {
    const created = await this.options.gatewayApi.createHttpRoute(manifest as HttpRouteManifest);
    return created.kind === 'exists' ? created : { kind: 'created', route: this.stored(created.route) };
  }

  async read(ref: RouteRef): Promise<StoredRoute | undefined> {
    const route = await this.options.gatewayApi.readHttpRoute(ref.namespace, ref.name);
    return route === undefined ? undefined : this.stored(route);
  }

  exposes(route: StoredRoute, request: ExposeRequest, backend?: number): boolean {
    return (
      isManagedByBot(route.labels) &&
      route.ref.namespace === request.namespace &&
      route.extras.length === 0 &&
      route.rules.length === 1 &&
      route.rules[0]?.host === request.host &&
      pathKey(route.rules[0].path) === pathKey(request.path) &&
      route.rules[0].serviceName === request.service &&
      (backend === undefined || route.rules[0].servicePort === backend)
    );
  }

  delete(ref: RouteRef, preconditions: { readonly uid: string; readonly resourceVersion: string }): Promise<'deleted' | 'gone'> {
    return this.options.gatewayApi.deleteHttpRoute(ref.namespace, ref.name, preconditions);
  }

  /** Polls the route until its status for the Gateway is live or refused, or the wait is over. */
  async awaitStatus(ref: RouteRef): Promise<WrittenRouteStatus> {
    const waitMs = this.options.statusWaitMs ?? ROUTE_STATUS_WAIT_MS;
    const started = performance.now();
    for (;;) {
      const route = await this.options.gatewayApi.readHttpRoute(ref.namespace, ref.name).catch(() => undefined);
      const status = route === undefined ? undefined : routeStatusFor(route, this.parentRef(route.namespace));
      if (status?.kind === 'live') return { kind: 'live' };
      if (status?.kind === 'refused') return status;
      const waited = performance.now() - started;
      if (waited >= waitMs) return { kind: 'no-answer', waitedMs: Math.round(waited) };
      await sleep(Math.min(ROUTE_STATUS_POLL_MS, waitMs - waited));
    }
  }

  async list(): Promise<RouteListing> {
    const routes = await this.options.gatewayApi.listRoutes();
    const managed: ExposedHost[] = [];
    const others: OtherHost[] = [];
    for (const route of routes) {
      const attached = route.parentRefs.some((parentRef) =>
        parentRefTargets(parentRef, { namespace: this.options.gateway.namespace, name: this.options.gateway.name }),
      );
      if (isManagedByBot(route.labels) && route.kind === 'HTTPRoute') {
        const status = routeStatusFor(route, this.parentRef(route.namespace));
        const ref: RouteRef = { kind: 'HTTPRoute', namespace: route.namespace, name: route.name };
        for (const rule of rulesOf(route, undefined)) managed.push(managedHost(ref, rule, route.annotations, status));
      } else if (attached) {
        const hostnames = route.hostnames.length === 0 ? ['every hostname'] : route.hostnames;
        for (const host of hostnames) others.push({ host, namespace: route.namespace, kind: route.kind, name: route.name });
      }
    }
    return { edge: { kind: 'Gateway', name: this.mode.gateway }, managed: managed.sort(byHost), others: others.sort(byHost) };
  }

  async servingHost(host: string) {
    const routes = await this.options.gatewayApi.listRoutes();
    const serving = routes.filter((route) => route.hostnames.some((hostname) => sameDnsName(hostname, host)));
    return {
      ours: serving.filter((route) => isManagedByBot(route.labels) && route.kind === 'HTTPRoute').map((route) => this.stored(route)),
      others: serving
        .filter((route) => !isManagedByBot(route.labels))
        .map((route) => ({ kind: route.kind, namespace: route.namespace, name: route.name })),
    };
  }

  async hosts(): Promise<string[]> {
    const gateway = { namespace: this.options.gateway.namespace, name: this.options.gateway.name };
    const routes = await this.options.gatewayApi.listRoutes();
    const hostnames = routes
      .filter((route) => route.parentRefs.some((parentRef) => parentRefTargets(parentRef, gateway)))
      .flatMap((route) => route.hostnames);
    return [...new Set(hostnames)].sort();
  }

  /**
   * The namespace's labels, read only when a listener selects namespaces by label (so the bot needs no
   * access to Namespaces otherwise); undefined when the namespace does not exist.
   */
  private async namespaceLabels(gateway: GatewaySummary, namespace: string): Promise<Readonly<Record<string, string>> | undefined> {
    const bySelector = gateway.listeners.some((listener) => listener.allowedRoutes.from === RouteNamespacesFrom.Selector);
    return bySelector ? this.options.gatewayApi.readNamespaceLabels(namespace) : {};
  }

  async uptake(host: string): Promise<RouteUptake | undefined> {
    const gateway = { namespace: this.options.gateway.namespace, name: this.options.gateway.name };
    const routes = (await this.options.gatewayApi.listRoutes()).filter(
      (route) =>
        route.parentRefs.some((parentRef) => parentRefTargets(parentRef, gateway)) &&
        route.hostnames.some((hostname) => gatewayHostnameMatches(hostname, host)),
    );
    const exact = (route: RouteSummary) => route.hostnames.some((hostname) => sameDnsName(hostname, host));
    const chosen = routes.find((route) => exact(route) && isManagedByBot(route.labels)) ?? routes.find(exact) ?? routes[0];
    if (chosen === undefined) return undefined;
    // The route's own parentRef to the Gateway: another's route may name no listener, or another one.
    const parentRef = chosen.parentRefs.find((candidate) => parentRefTargets(candidate, gateway)) ?? this.parentRef(chosen.namespace);
    const status = routeStatusFor(chosen, parentRef);
    return {
      kind: 'HTTPRoute',
      status: status.kind === 'refused' ? { refused: true, reason: status.reason, message: status.message } : status.kind,
    };
  }

  /** The listeners that would take the bot's route for this request (the configured one, or any). */
  private admittedListeners(gateway: GatewaySummary, request: ExposeRequest, namespaceLabels: Readonly<Record<string, string>>) {
    const { sectionName } = this.options.gateway;
    const admissions = listenerAdmission(gateway, {
      routeNamespace: request.namespace,
      namespaceLabels,
      host: request.host,
      ...(sectionName === undefined ? {} : { sectionName }),
    });
    return {
      admitted: admissions.flatMap((admission) => (admission.admitted ? [admission.listener] : [])),
      refusals: admissions.flatMap((admission) => (admission.admitted ? [] : [admission.reason])),
    };
  }

  /**
   * Everyone who serves the host on the listeners the bot's route would use: routes attached to one of them
   * (a parentRef without sectionName attaches to every listener), and the Ingresses on the same NLB.
   */
  private holdersAmong(
    routes: readonly RouteSummary[],
    ingresses: readonly IngressSummary[],
    host: string,
    listeners: readonly string[],
    nlb: SharedNlb,
  ): HostHolder[] {
    const gateway = { namespace: this.options.gateway.namespace, name: this.options.gateway.name };
    const onOurListeners = (parentRef: ParentRef) =>
      parentRefTargets(parentRef, gateway) && (parentRef.sectionName === undefined || listeners.includes(parentRef.sectionName));
    // Only Accepted False detaches a route. A route whose backend does not resolve (ResolvedRefs False) is still
    // attached and still holds its hostnames: the data plane answers 500 for it, and it wins over a newer route.
    const attachedThrough = (route: RouteSummary) => (parentRef: ParentRef) => {
      if (!onOurListeners(parentRef)) return false;
      const status = routeStatusFor(route, parentRef);
      return status.kind !== 'refused' || status.condition !== 'Accepted';
    };
    const fromRoutes = routes.flatMap((route) => {
      if (!route.parentRefs.some(attachedThrough(route))) return [];
      const claiming = route.hostnames.length === 0 || route.hostnames.some((hostname) => gatewayHostnameMatches(hostname, host));
      return claiming ? [{ route, rules: rulesOf(route, host) }] : [];
    });
    const sameNlb = ingresses.filter((ingress) =>
      (ingress.loadBalancerAddresses ?? []).some((address) => sameDnsName(address, nlb.loadBalancer.dnsName)),
    );
    return [...fromRoutes, ...ingressesHolding(sameNlb, host)];
  }

  private routeExposes(route: RouteSummary, request: ExposeRequest, port: number | undefined): boolean {
    return this.exposes(this.stored(route), request, port);
  }

  private parentRef(routeNamespace: string): ParentRef {
    const { namespace, name, sectionName } = this.options.gateway;
    return parentRefWithDefaults({ namespace, name, sectionName }, routeNamespace);
  }

  private stored(route: RouteSummary): StoredRoute {
    const ours = this.parentRef(route.namespace);
    const otherParents = route.parentRefs.filter((parentRef) => parentRef.name !== ours.name || parentRef.namespace !== ours.namespace);
    const backends = route.rules.flatMap((rule) => rule.backendRefs);
    const extras = [
      ...otherParents.map((parentRef) => `a parent ${parentRef.kind} ${parentRef.namespace}/${parentRef.name}`),
      ...(route.hostnames.length > 1 ? [`more hostnames (${route.hostnames.join(', ')})`] : []),
      ...(backends.some((backend) => backend.kind !== 'Service' || backend.namespace !== route.namespace)
        ? ['a backend that is not a Service of its namespace']
        : []),
    ];
    return {
      ref: { kind: 'HTTPRoute', namespace: route.namespace, name: route.name },
      uid: route.uid,
      resourceVersion: route.resourceVersion,
      generation: route.generation,
      labels: route.labels,
      annotations: route.annotations,
      rules: rulesOf(route, undefined),
      extras,
      status: routeStatusFor(route, ours),
    };
  }
}

/** The Gateway the locator read for the NLB; a Gateway mode edge always has one. */
function requireGateway(nlb: SharedNlb): GatewaySummary {
  if (nlb.gateway === undefined) throw new Error('Gateway mode without a Gateway read by the locator');
  return nlb.gateway;
}

function listenerCheckOf(
  request: ExposeRequest,
  admission: { admitted: readonly string[]; refusals: readonly string[] } | undefined,
): ExposeCheck {
  if (admission === undefined) {
    return {
      name: CheckName.Listener,
      status: 'fail',
      detail: `The namespace \`${request.namespace}\` does not exist, so no listener can take a route from it.`,
    };
  }
  if (admission.admitted.length > 0) {
    const names = admission.admitted.map((name) => `\`${name}\``).join(', ');
    const one = admission.admitted.length === 1;
    return {
      name: CheckName.Listener,
      status: 'pass',
      detail:
        `The listener${one ? '' : 's'} ${names} take${one ? 's' : ''} ` +
        `an HTTPRoute for \`${request.host}\` from \`${request.namespace}\`.`,
    };
  }
  return {
    name: CheckName.Listener,
    status: 'fail',
    detail: `No listener takes an HTTPRoute for \`${request.host}\` from \`${request.namespace}\`: ${admission.refusals.join(' ')}`,
  };
}

/** backendRefs take port numbers only: a port given by name is the Service port's number. */
function backendPort(request: ExposeRequest, service: ControllerService | undefined): number | undefined {
  const wanted = request.port;
  if ('number' in wanted) return wanted.number;
  return service?.ports.find((port) => port.name === wanted.name)?.port;
}

/** An HTTPRoute of that name in the namespace (the name the bot would write), as a holder. */
function sameNamed(routes: readonly RouteSummary[], namespace: string, name: string) {
  const route = routes.find((candidate) => candidate.kind === 'HTTPRoute' && candidate.namespace === namespace && candidate.name === name);
  return route === undefined ? undefined : { ...route, routes: rulesOf(route, undefined) };
}

/** A route's hostnames x path matches x backends as host rules (only the hostnames covering `host` when given). */
function rulesOf(route: RouteSummary, host: string | undefined): IngressRoute[] {
  const hostnames =
    route.hostnames.length === 0
      ? [undefined]
      : route.hostnames.filter((hostname) => host === undefined || gatewayHostnameMatches(hostname, host));
  return hostnames.flatMap((hostname) =>
    route.rules.flatMap((rule) => {
      const matches = rule.matches.length === 0 ? [{ type: route.kind === 'GRPCRoute' ? 'gRPC' : 'PathPrefix', value: '/' }] : rule.matches;
      const backends = rule.backendRefs.length === 0 ? [undefined] : rule.backendRefs;
      return matches.flatMap((match) =>
        backends.map((backend) => ({
          host: hostname,
          path: match.value,
          pathType: match.type,
          serviceName: backend?.name,
          servicePort: backend?.port,
        })),
      );
    }),
  );
}
