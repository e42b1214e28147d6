/**
 * Where the VPC's outbound traffic leaves from, for `/ips egress`: partners who call back (webhooks, SFTP
 * pushes) allow-list these addresses. Traffic of a private subnet leaves through the NAT gateway its default
 * route names (one public IP per NAT gateway, usually one per AZ); a public subnet's traffic leaves from each
 * instance's own public IP; anything else (transit gateway, NAT instance, appliance, peering) leaves from
 * addresses the bot cannot see, and says so.
 */

export interface NatGatewayDescription {
  readonly id: string;
  readonly subnetId: string | undefined;
  readonly state: string;
  /** `public` or `private` (a private NAT gateway has no public IP). */
  readonly connectivityType: string | undefined;
  readonly addresses: readonly { readonly publicIp: string | undefined; readonly allocationId: string | undefined }[];
}

export interface SubnetDescription {
  readonly id: string;
  readonly availabilityZone: string;
}

export interface RouteDescription {
  readonly destinationCidrBlock: string | undefined;
  readonly state: string | undefined;
  readonly gatewayId: string | undefined;
  readonly natGatewayId: string | undefined;
  readonly transitGatewayId: string | undefined;
  readonly networkInterfaceId: string | undefined;
  readonly vpcPeeringConnectionId: string | undefined;
  readonly instanceId: string | undefined;
  /** Any other target (carrier gateway, local gateway, Cloud WAN core network), as EC2 names it. */
  readonly otherTarget: string | undefined;
}

export interface RouteTableDescription {
  readonly id: string;
  readonly associations: readonly { readonly subnetId: string | undefined; readonly main: boolean }[];
  readonly routes: readonly RouteDescription[];
}

export interface EgressNetwork {
  readonly natGateways: readonly NatGatewayDescription[];
  readonly subnets: readonly SubnetDescription[];
  readonly routeTables: readonly RouteTableDescription[];
}

export interface EgressAddress {
  readonly publicIp: string;
  readonly allocationId: string | undefined;
  readonly natGatewayId: string;
  /** The subnets whose default route goes through this NAT gateway. */
  readonly usedBy: readonly string[];
}

export interface EgressReport {
  /** Per Availability Zone (of the NAT gateway's subnet), sorted. */
  readonly zones: readonly { readonly zone: string; readonly addresses: readonly EgressAddress[] }[];
  /** Every NAT gateway public IP as a /32, sorted, to copy into a partner's allow-list. */
  readonly allowList: readonly string[];
  /** Subnets whose default route is an internet gateway: their traffic leaves from each instance's own public IP. */
  readonly publicSubnets: readonly { readonly subnetId: string; readonly zone: string }[];
  /** One sentence per subnet whose egress the bot cannot name. */
  readonly warnings: readonly string[];
}

const DEFAULT_ROUTE = '0.0.0.0/0';

export function egressReport(network: EgressNetwork): EgressReport {
  const zoneOf = new Map(network.subnets.map((subnet) => [subnet.id, subnet.availabilityZone]));
  const natById = new Map(network.natGateways.map((nat) => [nat.id, nat]));
  const usedBy = new Map<string, string[]>();
  const publicSubnets: { subnetId: string; zone: string }[] = [];
  const warnings: string[] = [];

  for (const subnet of [...network.subnets].sort((a, b) => a.id.localeCompare(b.id))) {
    const where = `${subnet.id} (${subnet.availabilityZone})`;
    const table = routeTableOf(subnet.id, network.routeTables);
    if (table === undefined) {
      warnings.push(`${where} has no route table the bot can see, so its egress is unknown.`);
      continue;
    }
    const route = table.routes.find((candidate) => candidate.destinationCidrBlock === DEFAULT_ROUTE);
    const verdict = route === undefined ? { kind: 'none' as const } : judgeRoute(route, natById);
    switch (verdict.kind) {
      case 'nat':
        usedBy.set(verdict.natGatewayId, [...(usedBy.get(verdict.natGatewayId) ?? []), subnet.id]);
        break;
      case 'internet':
        publicSubnets.push({ subnetId: subnet.id, zone: subnet.availabilityZone });
        break;
      case 'none':
        warnings.push(`${where} has no default route (0.0.0.0/0) in ${table.id}: it has no internet egress the bot can see.`);
        break;
      case 'hidden':
        warnings.push(`${where}: ${verdict.why}, so the bot cannot see the public IP its traffic leaves from.`);
        break;
    }
  }

  const byZone = new Map<string, EgressAddress[]>();
  for (const nat of network.natGateways) {
    if (nat.state !== 'available' || nat.connectivityType === 'private') continue;
    const zone = (nat.subnetId === undefined ? undefined : zoneOf.get(nat.subnetId)) ?? 'unknown zone';
    for (const address of nat.addresses) {
      if (address.publicIp === undefined) continue;
      const entry = {
        publicIp: address.publicIp,
        allocationId: address.allocationId,
        natGatewayId: nat.id,
        usedBy: usedBy.get(nat.id) ?? [],
      };
      byZone.set(zone, [...(byZone.get(zone) ?? []), entry]);
    }
  }
  const zones = [...byZone.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([zone, addresses]) => ({ zone, addresses: [...addresses].sort((a, b) => compareIps(a.publicIp, b.publicIp)) }));
  const allowList = [...new Set(zones.flatMap((zone) => zone.addresses.map((address) => address.publicIp)))]
    .sort(compareIps)
    .map((ip) => `${ip}/32`);
  return { zones, allowList, publicSubnets, warnings };
}

/** The subnet's explicit route table, or else the VPC's main one (as EC2 routes an unassociated subnet). */
function routeTableOf(subnetId: string, tables: readonly RouteTableDescription[]): RouteTableDescription | undefined {
  return (
    tables.find((table) => table.associations.some((association) => association.subnetId === subnetId)) ??
    tables.find((table) => table.associations.some((association) => association.main))
  );
}

type RouteVerdict =
  | { readonly kind: 'nat'; readonly natGatewayId: string }
  | { readonly kind: 'internet' }
  | { readonly kind: 'none' }
  | { readonly kind: 'hidden'; readonly why: string };

function judgeRoute(route: RouteDescription, natById: ReadonlyMap<string, NatGatewayDescription>): RouteVerdict {
  const target =
    route.natGatewayId ??
    route.transitGatewayId ??
    route.instanceId ??
    route.networkInterfaceId ??
    route.vpcPeeringConnectionId ??
    route.gatewayId ??
    route.otherTarget;
  if (route.state === 'blackhole') return { kind: 'hidden', why: `its default route is a blackhole (${target ?? 'its target'} is gone)` };
  if (route.natGatewayId !== undefined) {
    const nat = natById.get(route.natGatewayId);
    if (nat === undefined)
      return { kind: 'hidden', why: `its default route goes to the NAT gateway ${route.natGatewayId}, which EC2 does not list` };
    if (nat.connectivityType === 'private') {
      return { kind: 'hidden', why: `its default route goes to the private NAT gateway ${nat.id}, which has no public IP` };
    }
    if (nat.state !== 'available')
      return { kind: 'hidden', why: `its default route goes to the NAT gateway ${nat.id}, which is ${nat.state}` };
    return { kind: 'nat', natGatewayId: nat.id };
  }
  if (route.transitGatewayId !== undefined) {
    return {
      kind: 'hidden',
      why: `its default route goes to the transit gateway ${route.transitGatewayId} (egress leaves from another network)`,
    };
  }
  if (route.instanceId !== undefined)
    return { kind: 'hidden', why: `its default route goes to the instance ${route.instanceId} (a NAT instance?)` };
  if (route.networkInterfaceId !== undefined) {
    return {
      kind: 'hidden',
      why: `its default route goes to the network interface ${route.networkInterfaceId} (a firewall or NAT appliance?)`,
    };
  }
  if (route.vpcPeeringConnectionId !== undefined) {
    return { kind: 'hidden', why: `its default route goes to the peering connection ${route.vpcPeeringConnectionId}` };
  }
  if (route.gatewayId?.startsWith('igw-') === true) return { kind: 'internet' };
  if (route.gatewayId?.startsWith('vgw-') === true) {
    return { kind: 'hidden', why: `its default route goes to the virtual private gateway ${route.gatewayId} (VPN or Direct Connect)` };
  }
  return { kind: 'hidden', why: `its default route goes to ${target ?? 'a target EC2 does not name'}` };
}

function compareIps(a: string, b: string): number {
  const parts = (ip: string) => ip.split('.').map((part) => Number.parseInt(part, 10));
  const left = parts(a);
  const right = parts(b);
  for (let index = 0; index < 4; index += 1) {
    const difference = (left[index] ?? 0) - (right[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return a.localeCompare(b);
}
