import { randomUUID } from 'node:crypto';
import type { StandInExchange } from './aws-exchange.js';

/**
 * EC2's Query API (form-encoded POST, `Action=...&Version=2016-11-15`, XML answers in lowerCamelCase with
 * `<item>` lists) as @aws-sdk/client-ec2 sends it, for the AWS stand-in (aws-api-server.ts dispatches the
 * actions in EC2_ACTIONS here): DescribeNatGateways, DescribeSubnets and DescribeRouteTables, with their
 * `Filter.N.Name` / `Filter.N.Value.M` filters and MaxResults/NextToken paging.
 */

const NAMESPACE = 'http://ec2.amazonaws.com/doc/2016-11-15/';

export interface StandInNatGatewayAddress {
  publicIp?: string;
  allocationId?: string;
  privateIp?: string;
  networkInterfaceId?: string;
  isPrimary?: boolean;
}

export interface StandInNatGateway {
  id: string;
  vpcId: string;
  subnetId: string;
  state: 'pending' | 'failed' | 'available' | 'deleting' | 'deleted';
  connectivityType: 'public' | 'private';
  addresses: StandInNatGatewayAddress[];
}

export interface StandInSubnet {
  id: string;
  vpcId: string;
  availabilityZone: string;
  availabilityZoneId?: string;
  cidrBlock: string;
  mapPublicIpOnLaunch?: boolean;
}

export interface StandInRoute {
  destinationCidrBlock?: string;
  destinationIpv6CidrBlock?: string;
  gatewayId?: string;
  natGatewayId?: string;
  transitGatewayId?: string;
  networkInterfaceId?: string;
  vpcPeeringConnectionId?: string;
  instanceId?: string;
  state?: 'active' | 'blackhole';
  origin?: 'CreateRouteTable' | 'CreateRoute' | 'EnableVgwRoutePropagation';
}

export interface StandInRouteTable {
  id: string;
  vpcId: string;
  associations: Array<{ id: string; subnetId?: string; main?: boolean; gatewayId?: string }>;
  routes: StandInRoute[];
}

export interface Ec2World {
  natGateways: StandInNatGateway[];
  subnets: StandInSubnet[];
  routeTables: StandInRouteTable[];
  /** Most items per page, whatever MaxResults asks (AWS may answer fewer); tests lower it to see paging. */
  pageSize: number;
}

export function emptyEc2World(): Ec2World {
  return { natGateways: [], subnets: [], routeTables: [], pageSize: 1000 };
}

export const EC2_ACTIONS: ReadonlySet<string> = new Set(['DescribeNatGateways', 'DescribeSubnets', 'DescribeRouteTables']);

/** The exchange for an EC2 action, or undefined when the form is not an EC2 call (ELBv2 and others share the Query protocol). */
export function ec2Exchange(world: Ec2World, form: URLSearchParams): StandInExchange | undefined {
  const action = form.get('Action') ?? '';
  if (!EC2_ACTIONS.has(action)) return undefined;
  const params = Object.fromEntries(form.entries());
  return { action, params, serve: () => serveEc2(world, action, form) };
}

export function ec2ErrorXml(code: string, message: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${escapeXml(code)}</Code>` +
    `<Message>${escapeXml(message)}</Message></Error></Errors><RequestID>${randomUUID()}</RequestID></Response>`
  );
}

type Filters = ReadonlyMap<string, readonly string[]>;
type Reply = { status: number; body: string };

const FILTERS: Readonly<Record<string, readonly string[]>> = {
  DescribeNatGateways: ['vpc-id', 'state', 'subnet-id', 'nat-gateway-id'],
  DescribeSubnets: ['vpc-id', 'subnet-id', 'availability-zone'],
  DescribeRouteTables: ['vpc-id', 'route-table-id', 'association.subnet-id', 'association.main'],
};
const MAX_RESULTS: Readonly<Record<string, number>> = { DescribeNatGateways: 1000, DescribeSubnets: 1000, DescribeRouteTables: 100 };

function serveEc2(world: Ec2World, action: string, form: URLSearchParams): Reply {
  const filters = readFilters(form);
  const unknown = [...filters.keys()].find((name) => !(FILTERS[action] ?? []).includes(name));
  if (unknown !== undefined) return failure('InvalidParameterValue', `The filter '${unknown}' is invalid`);
  const maxResults = form.get('MaxResults');
  const limit = maxResults === null ? undefined : Number.parseInt(maxResults, 10);
  if (limit !== undefined && (!(limit >= 5) || limit > (MAX_RESULTS[action] ?? 1000))) {
    return failure(
      'InvalidParameterValue',
      `Value ( ${maxResults} ) for parameter maxResults is invalid. Expecting a value between 5 and ${MAX_RESULTS[action]}.`,
    );
  }
  const token = form.get('NextToken');
  const offset = token === null ? 0 : Number.parseInt(Buffer.from(token, 'base64url').toString('utf8'), 10);
  if (!Number.isInteger(offset) || offset < 0) return failure('InvalidPaginationToken', `Invalid pagination token: ${token ?? ''}`);
  const pageSize = Math.min(limit ?? Number.MAX_SAFE_INTEGER, world.pageSize);
  const page = <T>(items: readonly T[]) => {
    const slice = items.slice(offset, offset + pageSize);
    const next = offset + pageSize < items.length ? Buffer.from(String(offset + pageSize)).toString('base64url') : undefined;
    return { slice, nextXml: next === undefined ? '' : `<nextToken>${next}</nextToken>` };
  };
  const matches = (name: string, value: string | undefined | readonly (string | undefined)[]) => {
    const wanted = filters.get(name);
    if (wanted === undefined) return true;
    const values = Array.isArray(value) ? value : [value];
    return values.some((candidate) => candidate !== undefined && wanted.includes(candidate));
  };
  switch (action) {
    case 'DescribeNatGateways': {
      const selected = world.natGateways.filter(
        (nat) =>
          matches('vpc-id', nat.vpcId) &&
          matches('state', nat.state) &&
          matches('subnet-id', nat.subnetId) &&
          matches('nat-gateway-id', nat.id),
      );
      const { slice, nextXml } = page(selected);
      return ok(action, `<natGatewaySet>${slice.map(natGatewayXml).join('')}</natGatewaySet>${nextXml}`);
    }
    case 'DescribeSubnets': {
      const selected = world.subnets.filter(
        (subnet) =>
          matches('vpc-id', subnet.vpcId) && matches('subnet-id', subnet.id) && matches('availability-zone', subnet.availabilityZone),
      );
      const { slice, nextXml } = page(selected);
      return ok(action, `<subnetSet>${slice.map(subnetXml).join('')}</subnetSet>${nextXml}`);
    }
    default: {
      const selected = world.routeTables.filter(
        (table) =>
          matches('vpc-id', table.vpcId) &&
          matches('route-table-id', table.id) &&
          matches(
            'association.subnet-id',
            table.associations.map((association) => association.subnetId),
          ) &&
          matches(
            'association.main',
            table.associations.map((association) => String(association.main === true)),
          ),
      );
      const { slice, nextXml } = page(selected);
      return ok(action, `<routeTableSet>${slice.map(routeTableXml).join('')}</routeTableSet>${nextXml}`);
    }
  }
}

function readFilters(form: URLSearchParams): Filters {
  const names = new Map<string, string>();
  const values = new Map<string, string[]>();
  for (const [key, value] of form.entries()) {
    const name = /^Filter\.(\d+)\.Name$/.exec(key);
    if (name?.[1] !== undefined) names.set(name[1], value);
    const item = /^Filter\.(\d+)\.Value\.\d+$/.exec(key);
    if (item?.[1] !== undefined) values.set(item[1], [...(values.get(item[1]) ?? []), value]);
  }
  return new Map([...names.entries()].map(([index, name]) => [name, values.get(index) ?? []]));
}

function ok(action: string, inner: string): Reply {
  return {
    status: 200,
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${NAMESPACE}"><requestId>${randomUUID()}</requestId>${inner}</${action}Response>`,
  };
}

function failure(code: string, message: string): Reply {
  return { status: 400, body: ec2ErrorXml(code, message) };
}

/** `<name>value</name>` for each defined value. */
function fields(values: Record<string, string | number | boolean | undefined>): string {
  return Object.entries(values)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `<${name}>${escapeXml(String(value))}</${name}>`)
    .join('');
}

function natGatewayXml(nat: StandInNatGateway): string {
  const addresses = nat.addresses
    .map(
      (address) =>
        `<item>${fields({
          allocationId: address.allocationId,
          networkInterfaceId: address.networkInterfaceId,
          privateIp: address.privateIp,
          publicIp: address.publicIp,
          isPrimary: address.isPrimary,
          status: 'succeeded',
        })}</item>`,
    )
    .join('');
  return (
    `<item>${fields({ createTime: '2024-01-01T00:00:00.000Z' })}<natGatewayAddressSet>${addresses}</natGatewayAddressSet>` +
    `${fields({ natGatewayId: nat.id, state: nat.state, subnetId: nat.subnetId, vpcId: nat.vpcId, connectivityType: nat.connectivityType })}</item>`
  );
}

function subnetXml(subnet: StandInSubnet): string {
  return `<item>${fields({
    subnetId: subnet.id,
    state: 'available',
    vpcId: subnet.vpcId,
    cidrBlock: subnet.cidrBlock,
    availabilityZone: subnet.availabilityZone,
    availabilityZoneId: subnet.availabilityZoneId,
    mapPublicIpOnLaunch: subnet.mapPublicIpOnLaunch ?? false,
  })}</item>`;
}

function routeTableXml(table: StandInRouteTable): string {
  const associations = table.associations
    .map(
      (association) =>
        `<item>${fields({
          routeTableAssociationId: association.id,
          routeTableId: table.id,
          subnetId: association.subnetId,
          gatewayId: association.gatewayId,
          main: association.main ?? false,
        })}<associationState><state>associated</state></associationState></item>`,
    )
    .join('');
  const routes = table.routes
    .map(
      (route) =>
        `<item>${fields({
          destinationCidrBlock: route.destinationCidrBlock,
          destinationIpv6CidrBlock: route.destinationIpv6CidrBlock,
          gatewayId: route.gatewayId,
          instanceId: route.instanceId,
          natGatewayId: route.natGatewayId,
          transitGatewayId: route.transitGatewayId,
          networkInterfaceId: route.networkInterfaceId,
          vpcPeeringConnectionId: route.vpcPeeringConnectionId,
          origin: route.origin ?? 'CreateRoute',
          state: route.state ?? 'active',
        })}</item>`,
    )
    .join('');
  return (
    `<item>${fields({ routeTableId: table.id, vpcId: table.vpcId, ownerId: '123456789012' })}<associationSet>${associations}</associationSet>` +
    `<propagatingVgwSet/><routeSet>${routes}</routeSet><tagSet/></item>`
  );
}

function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
