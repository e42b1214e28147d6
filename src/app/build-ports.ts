import type { Config, EdgeMode } from '../config.js';
import type { Metrics } from '../metrics.js';
import { type EdgeEntrance, GatewayEntrance, IngressControllerEntrance } from '../nlb/edge-entrance.js';
import { SharedNlbLocator } from '../nlb/shared-nlb-locator.js';
import { AcmGateway } from '../ports/aws/acm-gateway.js';
import { Elbv2Gateway } from '../ports/aws/elbv2-gateway.js';
import { DnsGateway } from '../ports/dns/dns-gateway.js';
import { DecisionGateway } from '../ports/kube/decision-gateway.js';
import { GatewayApiGateway } from '../ports/kube/gateway-api-gateway.js';
import { IngressGateway } from '../ports/kube/ingress-gateway.js';
import { NodeGateway } from '../ports/kube/node-gateway.js';
import { PodGateway } from '../ports/kube/pod-gateway.js';
import { ServiceGateway } from '../ports/kube/service-gateway.js';
import type { EdgeRouting } from '../routing/edge-routing.js';
import { GatewayRouting } from '../routing/gateway-routing.js';
import { IngressRouting } from '../routing/ingress-routing.js';
import { BUTTON_VALUE_MAX_AGE_MS, DECISIONS_CONFIGMAP, DECISIONS_KEPT, DNS_TIMEOUT_MS, NLB_CACHE_TTL_MS } from '../tuning.js';
import type { Clients } from './build-clients.js';

/** The gateways over the clients, and the locator of the shared NLB that every command shares. */
export interface Ports {
  readonly services: ServiceGateway;
  /** Ingresses of a class, or HTTPRoutes on the Gateway: what /expose, /unexpose, /expose list and /ips ask. */
  readonly routing: EdgeRouting;
  readonly ingresses: IngressGateway;
  readonly nodes: NodeGateway;
  readonly pods: PodGateway;
  readonly elbv2: Elbv2Gateway;
  readonly acm: AcmGateway;
  readonly dns: DnsGateway;
  readonly locator: SharedNlbLocator;
  readonly decisions: DecisionGateway;
}

export function buildPorts(config: Config, clients: Clients, metrics: Metrics, tuning: { readonly routeStatusWaitMs: number }): Ports {
  const services = new ServiceGateway(clients.core, metrics);
  const ingresses = new IngressGateway(clients.networking, metrics);
  const elbv2 = new Elbv2Gateway(clients.elbv2);
  const { entrance, routing } = edgePorts(config.edge, { services, ingresses, clients, metrics, ...tuning });
  return {
    services,
    routing,
    ingresses,
    nodes: new NodeGateway(clients.core, metrics),
    pods: new PodGateway(clients.core, metrics),
    elbv2,
    acm: new AcmGateway(clients.acm),
    dns: new DnsGateway({ servers: config.dnsServers, timeoutMs: DNS_TIMEOUT_MS }),
    decisions: new DecisionGateway(clients.core, metrics, {
      namespace: config.podNamespace,
      name: DECISIONS_CONFIGMAP,
      maxAgeMs: BUTTON_VALUE_MAX_AGE_MS,
      maxEntries: DECISIONS_KEPT,
    }),
    locator: new SharedNlbLocator({
      entrance,
      elbv2,
      region: config.aws.region,
      cacheTtlMs: NLB_CACHE_TTL_MS,
    }),
  };
}

/** Ingress mode reads the controller's Service by name; Gateway mode finds it, and the NLB, through the Gateway. */
function edgePorts(
  edge: EdgeMode,
  parts: { services: ServiceGateway; ingresses: IngressGateway; clients: Clients; metrics: Metrics; routeStatusWaitMs: number },
): { entrance: EdgeEntrance; routing: EdgeRouting } {
  const { services, ingresses, clients, metrics } = parts;
  if (edge.mode === 'ingress') {
    return {
      entrance: new IngressControllerEntrance(services, edge.controllerService),
      routing: new IngressRouting(ingresses, edge.ingressClass),
    };
  }
  const gatewayApi = new GatewayApiGateway(clients.customObjects, clients.core, metrics);
  const gateway = { ...edge.gateway, ...(edge.gatewayListener === undefined ? {} : { sectionName: edge.gatewayListener }) };
  return {
    entrance: new GatewayEntrance(gatewayApi, services, gateway, edge.controllerService),
    routing: new GatewayRouting({ gatewayApi, ingresses, gateway, statusWaitMs: parts.routeStatusWaitMs }),
  };
}
