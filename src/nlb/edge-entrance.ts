import type { ControllerService } from '../domain/controller-service.js';
import type { GatewayRef, GatewaySummary } from '../domain/gateway.js';
import { ErrorCode, UserFacingError } from '../errors.js';
import type { GatewayReader } from '../ports/kube/gateway-api-gateway.js';
import type { ServiceReader } from '../ports/kube/service-gateway.js';

/**
 * The way in to the shared edge, as Kubernetes shows it: the proxy's LoadBalancer Service (whose NLB the bot
 * reports on, and whose traffic policy and pods /health explains) and the NLB's DNS name.
 */
export interface EdgeEntrance {
  find(): Promise<EntranceFound>;
}

export interface EntranceFound {
  readonly service: ControllerService;
  /** The NLB's DNS name, as the Service or the Gateway publishes it; undefined while none is published. */
  readonly dnsName: string | undefined;
  readonly gateway?: GatewaySummary;
}

/** Ingress mode: the ingress controller's Service, by name (INGRESS_CONTROLLER_SERVICE). */
export class IngressControllerEntrance implements EdgeEntrance {
  constructor(
    private readonly services: ServiceReader,
    private readonly controller: { readonly namespace: string; readonly name: string },
  ) {}

  async find(): Promise<EntranceFound> {
    const { namespace, name } = this.controller;
    const service = await this.services.readService(namespace, name);
    if (service === undefined) {
      throw new UserFacingError(
        ErrorCode.ServiceNotFound,
        `The ingress controller Service ${namespace}/${name} does not exist.`,
        'Check INGRESS_CONTROLLER_SERVICE (namespace/name of the ingress controller Service).',
      );
    }
    return {
      service: requireLoadBalancer(service, 'manifests/traefik or manifests/ingress-nginx'),
      dnsName: service.loadBalancerHostnames[0],
    };
  }
}

/** The label Gateway API implementations put on the Service of a Gateway's data plane. */
export const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';
/** Envoy Gateway's own labels for it (its Services live in the controller's namespace by default). */
const ENVOY_OWNING_NAMESPACE = 'gateway.envoyproxy.io/owning-gateway-namespace';

/**
 * Gateway mode: the Gateway (GATEWAY) and its data plane's Service: INGRESS_CONTROLLER_SERVICE when set,
 * else the Service labelled gateway.networking.k8s.io/gateway-name=<name> in the Gateway's namespace or
 * owned by it from the controller's. The NLB's DNS name is the Gateway's Hostname address, or the Service's.
 */
export class GatewayEntrance implements EdgeEntrance {
  constructor(
    private readonly gateways: GatewayReader,
    private readonly services: ServiceReader,
    private readonly gateway: GatewayRef,
    private readonly serviceOverride: { readonly namespace: string; readonly name: string } | undefined,
  ) {}

  async find(): Promise<EntranceFound> {
    const { namespace, name } = this.gateway;
    const [gateway, service] = await Promise.all([this.gateways.readGateway(namespace, name), this.dataPlaneService()]);
    if (gateway === undefined) {
      throw new UserFacingError(
        ErrorCode.NotFound,
        `The Gateway ${namespace}/${name} does not exist.`,
        'Check GATEWAY (namespace/name of the shared Gateway): `kubectl get gateways -A` lists them.',
      );
    }
    if (service === undefined) {
      throw new UserFacingError(
        ErrorCode.ServiceNotFound,
        `No Service of the Gateway ${namespace}/${name}'s data plane was found (labelled ${GATEWAY_NAME_LABEL}=${name}).`,
        'Its controller creates it once the Gateway is accepted; or set INGRESS_CONTROLLER_SERVICE to its namespace/name.',
      );
    }
    const published = gateway.addresses.find((address) => address.type === 'Hostname')?.value;
    return { service: requireLoadBalancer(service, 'manifests/gateway'), dnsName: published ?? service.loadBalancerHostnames[0], gateway };
  }

  private async dataPlaneService(): Promise<ControllerService | undefined> {
    if (this.serviceOverride !== undefined) {
      const { namespace, name } = this.serviceOverride;
      const service = await this.services.readService(namespace, name);
      if (service === undefined) {
        throw new UserFacingError(
          ErrorCode.ServiceNotFound,
          `The Service ${namespace}/${name} (INGRESS_CONTROLLER_SERVICE, the Gateway's data plane) does not exist.`,
          `Check INGRESS_CONTROLLER_SERVICE, or leave it unset to find the Service by its label ${GATEWAY_NAME_LABEL}.`,
        );
      }
      return service;
    }
    const labelled = await this.services.listLabelled(`${GATEWAY_NAME_LABEL}=${this.gateway.name}`);
    return (
      labelled.find((service) => service.namespace === this.gateway.namespace) ??
      labelled.find((service) => service.labels[ENVOY_OWNING_NAMESPACE] === this.gateway.namespace) ??
      (labelled.length === 1 ? labelled[0] : undefined)
    );
  }
}

function requireLoadBalancer(service: ControllerService, setup: string): ControllerService {
  if (service.type === 'LoadBalancer') return service;
  throw new UserFacingError(
    ErrorCode.NoLoadBalancer,
    `The Service ${service.namespace}/${service.name} is of type ${service.type}, so it has no load balancer.`,
    `The shared edge needs type LoadBalancer with service.beta.kubernetes.io/aws-load-balancer-type: nlb (see ${setup}).`,
  );
}
