import { describe, expect, it } from '@jest/globals';
import {
  type EgressNetwork,
  egressReport,
  type NatGatewayDescription,
  type RouteDescription,
  type RouteTableDescription,
} from '../../src/domain/egress.js';

const route = (target: Partial<RouteDescription>, destination = '0.0.0.0/0'): RouteDescription => ({
  destinationCidrBlock: destination,
  state: 'active',
  gatewayId: undefined,
  natGatewayId: undefined,
  transitGatewayId: undefined,
  networkInterfaceId: undefined,
  vpcPeeringConnectionId: undefined,
  instanceId: undefined,
  otherTarget: undefined,
  ...target,
});
const LOCAL = route({ gatewayId: 'local' }, '10.0.0.0/16');
const table = (id: string, subnetIds: string[], routes: RouteDescription[], main = false): RouteTableDescription => ({
  id,
  associations: [...subnetIds.map((subnetId) => ({ subnetId, main: false })), ...(main ? [{ subnetId: undefined, main: true }] : [])],
  routes: [LOCAL, ...routes],
});
const nat = (id: string, subnetId: string, publicIp: string, overrides: Partial<NatGatewayDescription> = {}): NatGatewayDescription => ({
  id,
  subnetId,
  state: 'available',
  connectivityType: 'public',
  addresses: [{ publicIp, allocationId: `eipalloc-${id}` }],
  ...overrides,
});

const NETWORK: EgressNetwork = {
  natGateways: [nat('nat-a', 'subnet-pub-a', '203.0.113.10'), nat('nat-b', 'subnet-pub-b', '203.0.113.9')],
  subnets: [
    { id: 'subnet-pub-a', availabilityZone: 'eu-west-1a' },
    { id: 'subnet-pub-b', availabilityZone: 'eu-west-1b' },
    { id: 'subnet-priv-a', availabilityZone: 'eu-west-1a' },
    { id: 'subnet-priv-b', availabilityZone: 'eu-west-1b' },
  ],
  routeTables: [
    table('rtb-public', ['subnet-pub-a', 'subnet-pub-b'], [route({ gatewayId: 'igw-1' })]),
    table('rtb-a', ['subnet-priv-a'], [route({ natGatewayId: 'nat-a' })]),
    table('rtb-b', ['subnet-priv-b'], [route({ natGatewayId: 'nat-b' })]),
  ],
};

describe('the VPC’s egress addresses', () => {
  it('lists each NAT gateway’s public IP by zone, the subnets using it, and the /32 lines to copy', () => {
    const report = egressReport(NETWORK);
    expect(report.zones).toEqual([
      {
        zone: 'eu-west-1a',
        addresses: [{ publicIp: '203.0.113.10', allocationId: 'eipalloc-nat-a', natGatewayId: 'nat-a', usedBy: ['subnet-priv-a'] }],
      },
      {
        zone: 'eu-west-1b',
        addresses: [{ publicIp: '203.0.113.9', allocationId: 'eipalloc-nat-b', natGatewayId: 'nat-b', usedBy: ['subnet-priv-b'] }],
      },
    ]);
    expect(report.allowList).toEqual(['203.0.113.9/32', '203.0.113.10/32']);
    expect(report.warnings).toEqual([]);
  });

  it('names the public subnets: their egress is each instance’s own public IP', () => {
    expect(egressReport(NETWORK).publicSubnets).toEqual([
      { subnetId: 'subnet-pub-a', zone: 'eu-west-1a' },
      { subnetId: 'subnet-pub-b', zone: 'eu-west-1b' },
    ]);
  });

  it('lists only available public NAT gateways, with every address of one', () => {
    const report = egressReport({
      ...NETWORK,
      natGateways: [
        nat('nat-a', 'subnet-pub-a', '203.0.113.10', {
          addresses: [
            { publicIp: '203.0.113.10', allocationId: 'eipalloc-1' },
            { publicIp: '203.0.113.11', allocationId: 'eipalloc-2' },
          ],
        }),
        nat('nat-b', 'subnet-pub-b', '203.0.113.9', { state: 'pending' }),
        nat('nat-p', 'subnet-pub-b', '203.0.113.99', { connectivityType: 'private' }),
      ],
    });
    expect(report.allowList).toEqual(['203.0.113.10/32', '203.0.113.11/32']);
  });

  it('uses the main route table for a subnet without its own', () => {
    const report = egressReport({
      ...NETWORK,
      routeTables: [
        table('rtb-public', ['subnet-pub-a', 'subnet-pub-b'], [route({ gatewayId: 'igw-1' })]),
        table('rtb-main', [], [route({ natGatewayId: 'nat-a' })], true),
      ],
    });
    expect(report.zones[0]?.addresses[0]?.usedBy).toEqual(['subnet-priv-a', 'subnet-priv-b']);
    expect(report.warnings).toEqual([]);
  });

  it.each<[string, RouteDescription | undefined, string]>([
    [
      'a transit gateway',
      route({ transitGatewayId: 'tgw-1' }),
      'subnet-priv-a (eu-west-1a): its default route goes to the transit gateway tgw-1 (egress leaves from another network), ' +
        'so the bot cannot see the public IP its traffic leaves from.',
    ],
    ['a NAT instance', route({ instanceId: 'i-0abc', networkInterfaceId: 'eni-1' }), 'goes to the instance i-0abc (a NAT instance?)'],
    [
      'an appliance’s network interface',
      route({ networkInterfaceId: 'eni-fw' }),
      'the network interface eni-fw (a firewall or NAT appliance?)',
    ],
    ['a peering connection', route({ vpcPeeringConnectionId: 'pcx-1' }), 'the peering connection pcx-1'],
    ['a virtual private gateway', route({ gatewayId: 'vgw-1' }), 'the virtual private gateway vgw-1 (VPN or Direct Connect)'],
    [
      'a Cloud WAN core network',
      route({ otherTarget: 'arn:aws:networkmanager::1:core-network/x' }),
      'goes to arn:aws:networkmanager::1:core-network/x',
    ],
    ['a blackhole', route({ natGatewayId: 'nat-gone', state: 'blackhole' }), 'its default route is a blackhole (nat-gone is gone)'],
    ['a NAT gateway EC2 does not list', route({ natGatewayId: 'nat-unknown' }), 'the NAT gateway nat-unknown, which EC2 does not list'],
    [
      'no default route',
      undefined,
      'subnet-priv-a (eu-west-1a) has no default route (0.0.0.0/0) in rtb-a: it has no internet egress the bot can see.',
    ],
  ])('warns about a subnet whose default route goes to %s', (_name, defaultRoute, warning) => {
    const report = egressReport({
      ...NETWORK,
      routeTables: [
        ...NETWORK.routeTables.filter((candidate) => candidate.id !== 'rtb-a'),
        table(
          'rtb-a',
          ['subnet-priv-a'],
          defaultRoute === undefined ? [route({ natGatewayId: 'nat-a' }, '192.168.0.0/16')] : [defaultRoute],
        ),
      ],
    });
    expect(report.warnings).toHaveLength(1);
    expect(report.warnings[0]).toContain(warning);
    expect(report.zones[0]?.addresses[0]?.usedBy).toEqual([]);
  });

  it('warns about a route to a NAT gateway that is not available or is private', () => {
    const report = egressReport({
      ...NETWORK,
      natGateways: [
        nat('nat-a', 'subnet-pub-a', '203.0.113.10', { state: 'failed' }),
        nat('nat-b', 'subnet-pub-b', '203.0.113.9', { connectivityType: 'private' }),
      ],
    });
    expect(report.warnings).toEqual([
      'subnet-priv-a (eu-west-1a): its default route goes to the NAT gateway nat-a, which is failed, so the bot cannot see the public IP its traffic leaves from.',
      'subnet-priv-b (eu-west-1b): its default route goes to the private NAT gateway nat-b, which has no public IP, so the bot cannot see the public IP its traffic leaves from.',
    ]);
    expect(report.allowList).toEqual([]);
  });

  it('warns about a subnet without any route table', () => {
    const report = egressReport({ ...NETWORK, routeTables: NETWORK.routeTables.filter((candidate) => candidate.id !== 'rtb-b') });
    expect(report.warnings).toEqual(['subnet-priv-b (eu-west-1b) has no route table the bot can see, so its egress is unknown.']);
  });
});
