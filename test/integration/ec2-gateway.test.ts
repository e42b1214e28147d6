import { DescribeNatGatewaysCommand, EC2Client } from '@aws-sdk/client-ec2';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { type AwsApiServer, startAwsApiServer } from '../../dev/stand-ins/aws-api-server.js';
import { egressReport } from '../../src/domain/egress.js';
import { isUserFacingError } from '../../src/errors.js';
import { Ec2Gateway } from '../../src/ports/aws/ec2-gateway.js';

const VPC = 'vpc-0shared';

let aws: AwsApiServer;
let client: EC2Client;
let ec2: Ec2Gateway;

beforeEach(async () => {
  aws = await startAwsApiServer();
  const world = aws.ec2;
  world.subnets.push(
    { id: 'subnet-pub-a', vpcId: VPC, availabilityZone: 'eu-west-1a', cidrBlock: '10.0.0.0/24', mapPublicIpOnLaunch: true },
    { id: 'subnet-pub-b', vpcId: VPC, availabilityZone: 'eu-west-1b', cidrBlock: '10.0.1.0/24', mapPublicIpOnLaunch: true },
    { id: 'subnet-priv-a', vpcId: VPC, availabilityZone: 'eu-west-1a', cidrBlock: '10.0.10.0/24' },
    { id: 'subnet-priv-b', vpcId: VPC, availabilityZone: 'eu-west-1b', cidrBlock: '10.0.11.0/24' },
    { id: 'subnet-tgw-c', vpcId: VPC, availabilityZone: 'eu-west-1c', cidrBlock: '10.0.12.0/24' },
    { id: 'subnet-elsewhere', vpcId: 'vpc-other', availabilityZone: 'eu-west-1a', cidrBlock: '172.16.0.0/24' },
  );
  world.natGateways.push(
    {
      id: 'nat-a',
      vpcId: VPC,
      subnetId: 'subnet-pub-a',
      state: 'available',
      connectivityType: 'public',
      addresses: [{ publicIp: '203.0.113.10', allocationId: 'eipalloc-a', privateIp: '10.0.0.5', isPrimary: true }],
    },
    {
      id: 'nat-b',
      vpcId: VPC,
      subnetId: 'subnet-pub-b',
      state: 'available',
      connectivityType: 'public',
      addresses: [{ publicIp: '203.0.113.20', allocationId: 'eipalloc-b', privateIp: '10.0.1.5', isPrimary: true }],
    },
    {
      id: 'nat-old',
      vpcId: VPC,
      subnetId: 'subnet-pub-a',
      state: 'deleted',
      connectivityType: 'public',
      addresses: [{ publicIp: '203.0.113.99' }],
    },
    {
      id: 'nat-other-vpc',
      vpcId: 'vpc-other',
      subnetId: 'subnet-elsewhere',
      state: 'available',
      connectivityType: 'public',
      addresses: [],
    },
  );
  const local = { destinationCidrBlock: '10.0.0.0/16', gatewayId: 'local', origin: 'CreateRouteTable' as const };
  world.routeTables.push(
    {
      id: 'rtb-main',
      vpcId: VPC,
      associations: [{ id: 'rtbassoc-main', main: true }],
      routes: [local, { destinationCidrBlock: '0.0.0.0/0', transitGatewayId: 'tgw-central' }],
    },
    {
      id: 'rtb-public',
      vpcId: VPC,
      associations: [
        { id: 'rtbassoc-1', subnetId: 'subnet-pub-a' },
        { id: 'rtbassoc-2', subnetId: 'subnet-pub-b' },
      ],
      routes: [local, { destinationCidrBlock: '0.0.0.0/0', gatewayId: 'igw-0main' }],
    },
    {
      id: 'rtb-a',
      vpcId: VPC,
      associations: [{ id: 'rtbassoc-3', subnetId: 'subnet-priv-a' }],
      routes: [local, { destinationCidrBlock: '0.0.0.0/0', natGatewayId: 'nat-a' }],
    },
    {
      id: 'rtb-b',
      vpcId: VPC,
      associations: [{ id: 'rtbassoc-4', subnetId: 'subnet-priv-b' }],
      routes: [local, { destinationCidrBlock: '0.0.0.0/0', natGatewayId: 'nat-b' }],
    },
  );
  client = new EC2Client({ region: 'eu-west-1', endpoint: aws.url, maxAttempts: 1 });
  ec2 = new Ec2Gateway(client);
});

afterEach(async () => {
  client.destroy();
  await aws.close();
});

describe('the VPC’s egress, read with the real EC2 client', () => {
  it('reads NAT gateways, subnets and route tables of the VPC and turns them into the egress report', async () => {
    const report = egressReport(await ec2.describeEgressNetwork(VPC));
    expect(report.allowList).toEqual(['203.0.113.10/32', '203.0.113.20/32']);
    expect(report.zones.map((zone) => [zone.zone, zone.addresses.map((address) => [address.publicIp, address.usedBy])])).toEqual([
      ['eu-west-1a', [['203.0.113.10', ['subnet-priv-a']]]],
      ['eu-west-1b', [['203.0.113.20', ['subnet-priv-b']]]],
    ]);
    expect(report.publicSubnets.map((subnet) => subnet.subnetId)).toEqual(['subnet-pub-a', 'subnet-pub-b']);
    // subnet-tgw-c has no table of its own: the main table's default route goes to a transit gateway.
    expect(report.warnings).toEqual([
      'subnet-tgw-c (eu-west-1c): its default route goes to the transit gateway tgw-central (egress leaves from another network), ' +
        'so the bot cannot see the public IP its traffic leaves from.',
    ]);
  });

  it('asks EC2 with the VPC filter (and, for NAT gateways, the states that still route), as the SDK sends filters', async () => {
    await ec2.describeEgressNetwork(VPC);
    const nat = aws.calls.find((call) => call.action === 'DescribeNatGateways');
    expect(nat?.params).toMatchObject({
      Version: '2016-11-15',
      'Filter.1.Name': 'vpc-id',
      'Filter.1.Value.1': VPC,
      'Filter.2.Name': 'state',
      'Filter.2.Value.2': 'available',
      MaxResults: '100',
    });
    expect(aws.calls.find((call) => call.action === 'DescribeSubnets')?.params).toMatchObject({ 'Filter.1.Name': 'vpc-id' });
    expect(aws.calls.every((call) => call.service === 'ec2' && call.status === 200)).toBe(true);
    expect((await ec2.describeNatGateways(VPC)).map((gateway) => gateway.id)).toEqual(['nat-a', 'nat-b']);
  });

  it('follows NextToken through every page', async () => {
    aws.ec2.pageSize = 1;
    const network = await ec2.describeEgressNetwork(VPC);
    expect(network.subnets.length).toBe(5);
    expect(network.routeTables.length).toBe(4);
    expect(aws.count('DescribeSubnets')).toBe(5);
    expect(aws.count('DescribeRouteTables')).toBe(4);
    expect(aws.calls.filter((call) => call.action === 'DescribeSubnets')[1]?.params['NextToken']).toBeDefined();
  });

  it('turns EC2’s refusal into a sentence naming the operation', async () => {
    aws.fail((call) => (call.action === 'DescribeRouteTables' ? { status: 403, code: 'UnauthorizedOperation', message: 'no' } : undefined));
    const error = await ec2.describeEgressNetwork(VPC).catch((caught: unknown) => caught);
    expect(isUserFacingError(error) && [error.code, error.message]).toEqual([
      'aws_access_denied',
      'AWS refused DescribeRouteTables (UnauthorizedOperation).',
    ]);
  });

  it('the stand-in refuses an unknown filter and a MaxResults out of range, as EC2 does', async () => {
    const refusal = (command: DescribeNatGatewaysCommand) =>
      client.send(command).then(
        () => undefined,
        (error: Error) => [error.name, error.message],
      );
    expect(await refusal(new DescribeNatGatewaysCommand({ Filter: [{ Name: 'colour', Values: ['blue'] }] }))).toEqual([
      'InvalidParameterValue',
      "The filter 'colour' is invalid",
    ]);
    expect((await refusal(new DescribeNatGatewaysCommand({ MaxResults: 2 })))?.[0]).toBe('InvalidParameterValue');
  });
});
