import type { EdgeConfig } from '../config/edges-file.js';
import type { Config } from '../config.js';
import { accountOfRoleArn } from '../domain/aws-names.js';
import type { Edge } from '../edges/edge.js';
import type { Metrics } from '../metrics.js';
import { type EdgeEntrance, GatewayEntrance, IngressControllerEntrance } from '../nlb/edge-entrance.js';
import { SharedNlbLocator } from '../nlb/shared-nlb-locator.js';
import { AcmGateway } from '../ports/aws/acm-gateway.js';
import { Elbv2Gateway } from '../ports/aws/elbv2-gateway.js';
import { DeploymentGateway } from '../ports/kube/deployment-gateway.js';
import { GatewayApiGateway } from '../ports/kube/gateway-api-gateway.js';
import { IngressGateway } from '../ports/kube/ingress-gateway.js';
import { NodeGateway } from '../ports/kube/node-gateway.js';
import { PodGateway } from '../ports/kube/pod-gateway.js';
import { ServiceGateway } from '../ports/kube/service-gateway.js';
import type { EdgeRouting } from '../routing/edge-routing.js';
import { GatewayRouting } from '../routing/gateway-routing.js';
import { IngressRouting } from '../routing/ingress-routing.js';
import { NLB_CACHE_TTL_MS } from '../tuning.js';
import { buildEdgeClients, type EdgeClients, type OwnClients, type Route53Sdk } from './build-clients.js';

export interface EdgeBuildOptions {
  readonly callTimeoutMs: number;
  /** Gateway mode: how long Apply waits for the controller's word on a route written. */
  readonly routeStatusWaitMs: number;
  /** Route 53's SDK, loaded when DNS_PROVIDER=route53 (route53-sdk.ts). */
  readonly route53Sdk?: Route53Sdk | undefined;
}

/** Every edge of the configuration, each over its own clients; destroy() closes them all. */
export function buildEdges(
  config: Config,
  own: OwnClients,
  metrics: Metrics,
  options: EdgeBuildOptions,
): { readonly edges: readonly Edge[]; destroy(): void } {
  const built: Array<{ edge: Edge; clients: EdgeClients }> = [];
  try {
    for (const edgeConfig of config.edges) {
      const meter = metrics.forEdge(edgeConfig.name);
      const clients = buildEdgeClients(edgeConfig, {
        config,
        own,
        meter,
        callTimeoutMs: options.callTimeoutMs,
        route53Sdk: options.route53Sdk,
      });
      built.push({ edge: buildEdge(config, edgeConfig, clients, meter, options), clients });
    }
  } catch (error) {
    for (const { clients } of built) clients.destroy();
    throw error;
  }
  return {
    edges: built.map(({ edge }) => edge),
    destroy: () => {
      for (const { clients } of built) clients.destroy();
    },
  };
}

function buildEdge(
  config: Config,
  edge: EdgeConfig,
  clients: EdgeClients,
  meter: ReturnType<Metrics['forEdge']>,
  options: EdgeBuildOptions,
): Edge {
  const services = new ServiceGateway(clients.core, meter);
  const ingresses = new IngressGateway(clients.networking, meter);
  const elbv2 = new Elbv2Gateway(clients.elbv2);
  const { entrance, routing } = edgeRouting(edge, { services, ingresses, clients, meter, routeStatusWaitMs: options.routeStatusWaitMs });
  return {
    name: edge.name,
    region: edge.region,
    config: edge,
    services,
    routing,
    nodes: new NodeGateway(clients.core, meter),
    pods: new PodGateway(clients.core, meter),
    elbv2,
    acm: new AcmGateway(clients.acm),
    locator: new SharedNlbLocator({ entrance, elbv2, region: edge.region, cacheTtlMs: NLB_CACHE_TTL_MS }),
    ec2: clients.ec2,
    dnsPlan: {
      deployments: new DeploymentGateway(clients.apps, meter),
      route53:
        clients.route53 === undefined || config.dnsProvider === undefined || options.route53Sdk === undefined
          ? undefined
          : {
              gateway: new options.route53Sdk.Route53Gateway(clients.route53),
              zoneIds: config.dnsProvider.zoneIds,
              ownerId: config.dnsProvider.ownerId,
            },
    },
    admins: [...new Set([...config.exposeAdmins, ...edge.admins])],
    exposeNamespaces: edge.exposeNamespaces,
    alertChannel: edge.alertChannel ?? config.alertChannel,
    account: edge.roleArn === undefined ? 'own' : (accountOfRoleArn(edge.roleArn) ?? edge.roleArn),
  };
}

/** Ingress mode reads the controller's Service by name; Gateway mode finds it, and the NLB, through the Gateway. */
function edgeRouting(
  edge: EdgeConfig,
  parts: {
    services: ServiceGateway;
    ingresses: IngressGateway;
    clients: EdgeClients;
    meter: ReturnType<Metrics['forEdge']>;
    routeStatusWaitMs: number;
  },
): { entrance: EdgeEntrance; routing: EdgeRouting } {
  const { services, ingresses, clients, meter } = parts;
  if (edge.mode === 'ingress') {
    return {
      entrance: new IngressControllerEntrance(services, edge.controllerService),
      routing: new IngressRouting(ingresses, edge.ingressClass),
    };
  }
  const gatewayApi = new GatewayApiGateway(clients.customObjects, clients.core, meter);
  const gateway = { ...edge.gateway, ...(edge.gatewayListener === undefined ? {} : { sectionName: edge.gatewayListener }) };
  return {
    entrance: new GatewayEntrance(gatewayApi, services, gateway, edge.controllerService),
    routing: new GatewayRouting({ gatewayApi, ingresses, gateway, statusWaitMs: parts.routeStatusWaitMs }),
  };
}
