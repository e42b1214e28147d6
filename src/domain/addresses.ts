import { type ControllerService, isTlsPort } from './controller-service.js';
import type { LoadBalancer } from './load-balancer.js';

export interface ZoneAddresses {
  readonly zone: string;
  readonly publicIp: string | undefined;
  readonly allocationId: string | undefined;
  readonly privateIp: string | undefined;
}

/**
 * elastic: every public IP is an Elastic IP (it survives re-creating the NLB).
 * aws-assigned: public IPs without Elastic IPs: fixed only for this NLB's lifetime.
 * mixed: some zones have an Elastic IP and some do not.
 * private: an internal NLB; only private addresses exist.
 */
export type AddressKind = 'elastic' | 'aws-assigned' | 'mixed' | 'private';

export interface ListenerPort {
  readonly port: number;
  readonly protocol: string;
  readonly purpose: string;
}

export function zoneAddresses(loadBalancer: LoadBalancer): ZoneAddresses[] {
  return loadBalancer.zones
    .flatMap((zone) =>
      zone.addresses.length === 0
        ? [{ zone: zone.name, publicIp: undefined, allocationId: undefined, privateIp: undefined }]
        : zone.addresses.map((address) => ({
            zone: zone.name,
            publicIp: address.publicIp,
            allocationId: address.allocationId,
            privateIp: address.privateIp,
          })),
    )
    .sort((a, b) => a.zone.localeCompare(b.zone));
}

export function addressKind(zones: readonly ZoneAddresses[]): AddressKind {
  const withPublic = zones.filter((zone) => zone.publicIp !== undefined);
  if (withPublic.length === 0) return 'private';
  const elastic = withPublic.filter((zone) => zone.allocationId !== undefined).length;
  if (elastic === withPublic.length && withPublic.length === zones.length) return 'elastic';
  return elastic === 0 ? 'aws-assigned' : 'mixed';
}

/** The addresses a partner allow-lists: public IPs, or private ones for an internal NLB. */
export function partnerCidrs(zones: readonly ZoneAddresses[]): string[] {
  const kind = addressKind(zones);
  const ips = zones.map((zone) => (kind === 'private' ? zone.privateIp : zone.publicIp));
  return [...new Set(ips.filter((ip): ip is string => ip !== undefined))].map((ip) => (ip.includes(':') ? `${ip}/128` : `${ip}/32`));
}

/**
 * The ports partners connect to, from the controller Service: the TLS port(s) of the ssl-ports
 * annotation carry HTTPS; a plain port whose target is the redirect server (targetPort "tohttps"
 * or 2443 in the shared-ingress setup) only redirects to HTTPS.
 */
export function listenerPorts(service: ControllerService): ListenerPort[] {
  const hasTls = service.ports.some((port) => isTlsPort(service, port));
  return service.ports
    .map((port) => {
      if (isTlsPort(service, port)) return { port: port.port, protocol: port.protocol, purpose: 'HTTPS' };
      const redirect = hasTls && (port.targetPort === 'tohttps' || port.targetPort === 2443 || port.targetPort === '2443');
      return { port: port.port, protocol: port.protocol, purpose: redirect ? 'HTTP, redirects to HTTPS' : 'HTTP' };
    })
    .sort((a, b) => (a.purpose === 'HTTPS' ? 0 : 1) - (b.purpose === 'HTTPS' ? 0 : 1) || a.port - b.port);
}

/** A plain-text block a person can paste as is into a partner's firewall request. */
export function partnerAllowList(input: {
  readonly cidrs: readonly string[];
  readonly ports: readonly ListenerPort[];
  readonly hosts: readonly string[];
}): string {
  const lines = [
    'Destination IP addresses (allow outbound from your network to):',
    ...input.cidrs.map((cidr) => `  ${cidr}`),
    'Destination ports:',
    ...input.ports.map((port) => `  ${port.port}/${port.protocol.toLowerCase()} (${port.purpose})`),
    'Host names served on these addresses:',
    ...(input.hosts.length === 0 ? ['  (none yet)'] : input.hosts.map((host) => `  ${host}`)),
  ];
  return lines.join('\n');
}
