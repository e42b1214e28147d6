import {
  type EC2Client,
  paginateDescribeNatGateways,
  paginateDescribeRouteTables,
  paginateDescribeSubnets,
  type Route as SdkRoute,
} from '@aws-sdk/client-ec2';
import type {
  EgressNetwork,
  NatGatewayDescription,
  RouteDescription,
  RouteTableDescription,
  SubnetDescription,
} from '../../domain/egress.js';
import { collectPages } from './collect-pages.js';

/** ec2:DescribeNatGateways, ec2:DescribeSubnets, ec2:DescribeRouteTables (read only, no resource-level scoping). */
export interface Ec2Reader {
  /** The VPC's NAT gateways, except deleted ones. */
  describeNatGateways(vpcId: string): Promise<NatGatewayDescription[]>;
  describeSubnets(vpcId: string): Promise<SubnetDescription[]>;
  describeRouteTables(vpcId: string): Promise<RouteTableDescription[]>;
  /** The three at once: what egressReport reads. */
  describeEgressNetwork(vpcId: string): Promise<EgressNetwork>;
}

const PAGE_SIZE = 100;
/** Deleted NAT gateways stay listed for about an hour; a route to one shows as a blackhole anyway. */
const LIVE_NAT_STATES = ['pending', 'available', 'deleting', 'failed'];

export class Ec2Gateway implements Ec2Reader {
  constructor(private readonly client: EC2Client) {}

  describeNatGateways(vpcId: string): Promise<NatGatewayDescription[]> {
    const pages = paginateDescribeNatGateways(
      { client: this.client, pageSize: PAGE_SIZE },
      {
        Filter: [
          { Name: 'vpc-id', Values: [vpcId] },
          { Name: 'state', Values: LIVE_NAT_STATES },
        ],
      },
    );
    return collectPages('DescribeNatGateways', pages, (page) =>
      (page.NatGateways ?? []).map((nat) => ({
        id: nat.NatGatewayId ?? '',
        subnetId: nat.SubnetId,
        state: nat.State ?? 'unknown',
        connectivityType: nat.ConnectivityType,
        addresses: (nat.NatGatewayAddresses ?? []).map((address) => ({ publicIp: address.PublicIp, allocationId: address.AllocationId })),
      })),
    );
  }

  describeSubnets(vpcId: string): Promise<SubnetDescription[]> {
    const pages = paginateDescribeSubnets({ client: this.client, pageSize: PAGE_SIZE }, { Filters: [{ Name: 'vpc-id', Values: [vpcId] }] });
    return collectPages('DescribeSubnets', pages, (page) =>
      (page.Subnets ?? []).map((subnet) => ({ id: subnet.SubnetId ?? '', availabilityZone: subnet.AvailabilityZone ?? 'unknown zone' })),
    );
  }

  describeRouteTables(vpcId: string): Promise<RouteTableDescription[]> {
    const pages = paginateDescribeRouteTables(
      { client: this.client, pageSize: PAGE_SIZE },
      { Filters: [{ Name: 'vpc-id', Values: [vpcId] }] },
    );
    return collectPages('DescribeRouteTables', pages, (page) =>
      (page.RouteTables ?? []).map((table) => ({
        id: table.RouteTableId ?? '',
        associations: (table.Associations ?? []).map((association) => ({
          subnetId: association.SubnetId,
          main: association.Main === true,
        })),
        routes: (table.Routes ?? []).map(toRoute),
      })),
    );
  }

  async describeEgressNetwork(vpcId: string): Promise<EgressNetwork> {
    const [natGateways, subnets, routeTables] = await Promise.all([
      this.describeNatGateways(vpcId),
      this.describeSubnets(vpcId),
      this.describeRouteTables(vpcId),
    ]);
    return { natGateways, subnets, routeTables };
  }
}

function toRoute(route: SdkRoute): RouteDescription {
  return {
    destinationCidrBlock: route.DestinationCidrBlock,
    state: route.State,
    gatewayId: route.GatewayId,
    natGatewayId: route.NatGatewayId,
    transitGatewayId: route.TransitGatewayId,
    networkInterfaceId: route.NetworkInterfaceId,
    vpcPeeringConnectionId: route.VpcPeeringConnectionId,
    instanceId: route.InstanceId,
    otherTarget: route.CarrierGatewayId ?? route.LocalGatewayId ?? route.CoreNetworkArn ?? route.EgressOnlyInternetGatewayId,
  };
}
