import type { SharedNlbLocator } from '../core/shared-nlb-locator.js';
import {
  addressKind,
  listenerPorts,
  partnerAllowList,
  partnerCidrs,
  zoneAddresses,
  type AddressKind,
  type ListenerPort,
  type ZoneAddresses,
} from '../domain/addresses.js';
import { hostsServedByClass } from '../domain/ingress-route.js';
import type { IngressReader } from '../ports/kube/ingress-gateway.js';

export interface IpsResult {
  readonly loadBalancer: { readonly name: string; readonly dnsName: string; readonly scheme: string; readonly state: string };
  readonly controllerService: string;
  readonly zones: readonly ZoneAddresses[];
  readonly addressKind: AddressKind;
  readonly cidrs: readonly string[];
  readonly ports: readonly ListenerPort[];
  readonly hosts: readonly string[];
  /** Ready to paste into a partner's firewall request. */
  readonly allowList: string;
}

export interface IpsDependencies {
  readonly locator: Pick<SharedNlbLocator, 'locate'>;
  readonly ingresses: IngressReader;
  readonly ingressClass: string;
}

/** /ips: the static addresses of the shared NLB, and what a partner allow-lists. */
export async function getIps(deps: IpsDependencies): Promise<IpsResult> {
  const [{ service, loadBalancer }, ingresses] = await Promise.all([deps.locator.locate(), deps.ingresses.listIngresses()]);
  const zones = zoneAddresses(loadBalancer);
  const cidrs = partnerCidrs(zones);
  const ports = listenerPorts(service);
  const hosts = hostsServedByClass(ingresses, deps.ingressClass);
  return {
    loadBalancer: { name: loadBalancer.name, dnsName: loadBalancer.dnsName, scheme: loadBalancer.scheme, state: loadBalancer.state },
    controllerService: `${service.namespace}/${service.name}`,
    zones,
    addressKind: addressKind(zones),
    cidrs,
    ports,
    hosts,
    allowList: partnerAllowList({ cidrs, ports, hosts }),
  };
}
