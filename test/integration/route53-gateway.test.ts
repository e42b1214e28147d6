import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ChangeResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { type AwsApiServer, startAwsApiServer } from '../../dev/stand-ins/aws-api-server.js';
import { type StandInRecordSet, standInHostedZone } from '../../dev/stand-ins/route53-stand-in.js';
import { SAMPLE_NLB_DNS } from '../../dev/stand-ins/sample-world.js';
import { isUserFacingError } from '../../src/errors.js';
import { Metrics } from '../../src/metrics.js';
import { Elbv2Gateway } from '../../src/ports/aws/elbv2-gateway.js';
import { instrumentAwsClient } from '../../src/ports/aws/instrument.js';
import { Route53Gateway } from '../../src/ports/aws/route53-gateway.js';

const OWNER = 'nlb-bot-prod';
const RESOURCE = { kind: 'Ingress', namespace: 'team-a', name: 'api.example.com' } as const;
const TARGET = { dnsName: SAMPLE_NLB_DNS, canonicalHostedZoneId: 'Z2IFOLAFXWLO4F' };
const PUBLIC = { id: 'Z1PUBLIC', name: 'example.com', privateZone: false };
const OURS_TXT = `"heritage=external-dns,external-dns/owner=${OWNER},external-dns/resource=ingress/team-a/api.example.com"`;

let aws: AwsApiServer;
let client: Route53Client;
let route53: Route53Gateway;

beforeEach(async () => {
  aws = await startAwsApiServer();
  aws.route53.hostedZones.push(
    standInHostedZone({ id: 'Z1PUBLIC', name: 'example.com' }),
    standInHostedZone({ id: 'Z4PRIVATE', name: 'example.com', privateZone: true }),
    standInHostedZone({ id: 'Z2DEV', name: 'dev.example.com' }),
    standInHostedZone({ id: 'Z3OTHER', name: 'myexample.com' }),
  );
  client = new Route53Client({ region: 'us-east-1', endpoint: aws.url, maxAttempts: 1 });
  route53 = new Route53Gateway(client);
});

afterEach(async () => {
  client.destroy();
  await aws.close();
});

const zone = (id: string) => aws.route53.hostedZones.find((candidate) => candidate.id === id)!;
const recordsAt = (id: string, name: string) => zone(id).records.filter((record) => record.name === `${name}.`);
const caught = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('finding the hosted zone', () => {
  it('asks for the host’s own name first, then its parents, and takes the longest zone on a label boundary', async () => {
    expect(await route53.findHostedZone('shop.dev.example.com')).toEqual({ id: 'Z2DEV', name: 'dev.example.com', privateZone: false });
    expect(aws.calls.map((call) => call.params['dnsname'])).toEqual(['shop.dev.example.com', 'dev.example.com']);
    expect(await route53.findHostedZone('www.myexample.com')).toMatchObject({ id: 'Z3OTHER' });
    expect(await route53.findHostedZone('www.notexample.com')).toBeUndefined();
  });

  it('prefers the public zone of a split-horizon name, and honours the allow-list and the visibility', async () => {
    expect(await route53.findHostedZone('api.example.com')).toMatchObject({ id: 'Z1PUBLIC' });
    expect(await route53.findHostedZone('api.example.com', { visibility: 'private' })).toMatchObject({ id: 'Z4PRIVATE' });
    // dev.example.com is delegated to its own zone: a record for its names in example.com would be shadowed.
    expect(await route53.findHostedZone('shop.dev.example.com', { allowedZoneIds: ['Z1PUBLIC'] })).toBeUndefined();
    expect(await route53.findHostedZone('shop.dev.example.com', { allowedZoneIds: ['Z2DEV'] })).toMatchObject({ id: 'Z2DEV' });
    expect(await route53.findHostedZone('www.myexample.com', { allowedZoneIds: ['Z1PUBLIC'] })).toBeUndefined();
  });

  it('pages through many zones of one name (NextDNSName, NextHostedZoneId)', async () => {
    for (let index = 0; index < 45; index += 1) {
      aws.route53.hostedZones.push(
        standInHostedZone({ id: `Z0PRIV${String(index).padStart(2, '0')}`, name: 'corp.example', privateZone: true }),
      );
    }
    aws.route53.hostedZones.push(standInHostedZone({ id: 'ZZPUBLIC', name: 'corp.example' }));
    expect(await route53.findHostedZone('wiki.corp.example')).toMatchObject({ id: 'ZZPUBLIC' });
    const asked = aws.calls.filter(
      (call) => call.action === 'ListHostedZonesByName' && String(call.params['dnsname']).replace(/\.$/, '') === 'corp.example',
    );
    expect(asked.length).toBe(3);
    expect(asked[1]?.params['hostedzoneid']).toBe('Z0PRIV20');
  });
});

describe('reading the records at a name', () => {
  it('reads every record set at exactly that name, over pages, and nothing of the names around it', async () => {
    const records: StandInRecordSet[] = [
      { name: 'a.example.com', type: 'A', ttl: 60, values: ['198.51.100.1'] },
      { name: 'api.example.com', type: 'MX', ttl: 300, values: ['10 mail.example.com.'] },
      { name: 'www.api.example.com', type: 'A', ttl: 60, values: ['198.51.100.2'] },
    ];
    for (let index = 0; index < 130; index += 1) {
      records.push({
        name: 'api.example.com',
        type: 'A',
        setIdentifier: `w${String(index).padStart(3, '0')}`,
        ttl: 60,
        values: ['198.51.100.9'],
      });
    }
    zone('Z1PUBLIC').records.push(...records.map((record) => ({ ...record, name: `${record.name}.` })));
    const found = await route53.readRecords('Z1PUBLIC', 'api.example.com');
    expect(found.length).toBe(131);
    expect(new Set(found.map((record) => record.name))).toEqual(new Set(['api.example.com.']));
    expect(found.find((record) => record.type === 'MX')).toEqual({
      name: 'api.example.com.',
      type: 'MX',
      setIdentifier: undefined,
      ttl: 300,
      values: ['10 mail.example.com.'],
      aliasTarget: undefined,
    });
    const pages = aws.calls.filter((call) => call.action === 'ListResourceRecordSets');
    expect(pages.length).toBe(2);
    expect(pages[1]?.params).toMatchObject({ name: 'api.example.com.', type: 'A', identifier: 'w100' });
  });
});

describe('creating the alias record', () => {
  it('writes an alias A record to the NLB and the ownership TXT record in one change batch', async () => {
    const change = await route53.createAliasRecord({
      zone: PUBLIC,
      host: 'api.example.com',
      target: TARGET,
      ownerId: OWNER,
      resource: RESOURCE,
    });
    expect(change.status).toBe('PENDING');
    const writes = aws.calls.filter((call) => call.action === 'ChangeResourceRecordSets');
    expect(writes.length).toBe(1);
    expect(writes[0]?.params['Changes']).toEqual([
      { action: 'CREATE', name: 'api.example.com.', type: 'A' },
      { action: 'CREATE', name: 'api.example.com.', type: 'TXT' },
    ]);
    expect(recordsAt('Z1PUBLIC', 'api.example.com')).toEqual([
      {
        name: 'api.example.com.',
        type: 'A',
        aliasTarget: { dnsName: `${SAMPLE_NLB_DNS}.`, hostedZoneId: 'Z2IFOLAFXWLO4F', evaluateTargetHealth: true },
      },
      { name: 'api.example.com.', type: 'TXT', ttl: 300, values: [OURS_TXT] },
    ]);
    expect(await route53.getChange(change.id)).toEqual({ id: change.id, status: 'PENDING' });
    expect(await route53.getChange(`/change/${change.id}`)).toEqual({ id: change.id, status: 'INSYNC' });
  });

  it.each<[string, StandInRecordSet, string]>([
    ['a CNAME', { name: 'api.example.com.', type: 'CNAME', ttl: 300, values: ['old-lb.example.net.'] }, 'CNAME old-lb.example.net.'],
    ['an A record', { name: 'api.example.com.', type: 'A', ttl: 300, values: ['198.51.100.7'] }, 'A 198.51.100.7'],
    ['an AAAA record', { name: 'api.example.com.', type: 'AAAA', ttl: 300, values: ['2001:db8::1'] }, 'AAAA 2001:db8::1'],
    ['a TXT record', { name: 'api.example.com.', type: 'TXT', ttl: 300, values: ['"v=spf1 -all"'] }, 'TXT "v=spf1 -all"'],
  ])('refuses a name that already has %s, saying what is there, and writes nothing', async (_name, existing, shown) => {
    zone('Z1PUBLIC').records.push(existing);
    const error = await caught(
      route53.createAliasRecord({ zone: PUBLIC, host: 'api.example.com', target: TARGET, ownerId: OWNER, resource: RESOURCE }),
    );
    expect(isUserFacingError(error) && error.code).toBe('conflict');
    expect(isUserFacingError(error) && error.message).toBe(
      `api.example.com already has records in the Route 53 zone example.com (Z1PUBLIC): ${shown}. Nothing was changed.`,
    );
    expect(aws.count('ChangeResourceRecordSets')).toBe(0);
    expect(recordsAt('Z1PUBLIC', 'api.example.com')).toEqual([existing]);
  });

  it('writes next to records of other types (an MX record)', async () => {
    zone('Z1PUBLIC').records.push({ name: 'api.example.com.', type: 'MX', ttl: 300, values: ['10 mail.example.com.'] });
    await route53.createAliasRecord({ zone: PUBLIC, host: 'api.example.com', target: TARGET, ownerId: OWNER, resource: RESOURCE });
    expect(recordsAt('Z1PUBLIC', 'api.example.com').map((record) => record.type)).toEqual(['MX', 'A', 'TXT']);
  });

  it('reports a record that appeared between the read and the write as a conflict; Route 53 applied nothing', async () => {
    aws.fail((call) => {
      if (call.action === 'ChangeResourceRecordSets') {
        zone('Z1PUBLIC').records.push({ name: 'api.example.com.', type: 'A', ttl: 60, values: ['198.51.100.8'] });
      }
      return undefined;
    }, 1);
    const error = await caught(
      route53.createAliasRecord({ zone: PUBLIC, host: 'api.example.com', target: TARGET, ownerId: OWNER, resource: RESOURCE }),
    );
    expect(isUserFacingError(error) && error.code).toBe('conflict');
    expect(isUserFacingError(error) && error.message).toContain(
      "Tried to create resource record set [name='api.example.com.', type='A'] but it already exists",
    );
    expect(recordsAt('Z1PUBLIC', 'api.example.com').map((record) => record.type)).toEqual(['A']);
  });

  it('refuses a host outside the zone before any call', async () => {
    await expect(
      route53.createAliasRecord({ zone: PUBLIC, host: 'api.myexample.com', target: TARGET, ownerId: OWNER, resource: RESOURCE }),
    ).rejects.toThrow('api.myexample.com is not in the Route 53 zone example.com (Z1PUBLIC).');
    expect(aws.calls).toEqual([]);
  });

  it('turns AWS’s refusal into a sentence', async () => {
    aws.fail((call) => (call.action === 'ListResourceRecordSets' ? { status: 403, code: 'AccessDenied', message: 'no' } : undefined));
    const error = await caught(
      route53.createAliasRecord({ zone: PUBLIC, host: 'api.example.com', target: TARGET, ownerId: OWNER, resource: RESOURCE }),
    );
    expect(isUserFacingError(error) && [error.code, error.message]).toEqual([
      'aws_access_denied',
      'AWS refused ListResourceRecordSets (AccessDenied).',
    ]);
  });

  it('takes the alias target’s zone from ELBv2 (CanonicalHostedZoneId on the load balancer)', async () => {
    aws.world.loadBalancers.push({
      arn: 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/net/shared/0123',
      name: 'shared',
      dnsName: 'shared-0123.elb.us-east-1.amazonaws.com',
      type: 'network',
      scheme: 'internet-facing',
      state: 'active',
      vpcId: 'vpc-1',
      zones: [],
      tags: {},
      canonicalHostedZoneId: 'Z26RNL4JYFTOTI',
    });
    const elbv2 = new ElasticLoadBalancingV2Client({ region: 'us-east-1', endpoint: aws.url, maxAttempts: 1 });
    const [nlb] = await new Elbv2Gateway(elbv2).describeLoadBalancersByName(['shared']);
    elbv2.destroy();
    expect(nlb?.canonicalHostedZoneId).toBe('Z26RNL4JYFTOTI');
  });
});

describe('deleting the records the bot owns', () => {
  const create = () =>
    route53.createAliasRecord({ zone: PUBLIC, host: 'api.example.com', target: TARGET, ownerId: OWNER, resource: RESOURCE });

  it('deletes the alias A record and its TXT record in one batch, exactly as they are', async () => {
    await create();
    zone('Z1PUBLIC').records.push({ name: 'api.example.com.', type: 'MX', ttl: 300, values: ['10 mail.example.com.'] });
    const change = await route53.deleteOwnedRecords({ zone: PUBLIC, host: 'api.example.com', ownerId: OWNER });
    expect(change.status).toBe('PENDING');
    expect(aws.calls.filter((call) => call.action === 'ChangeResourceRecordSets').at(-1)?.params['Changes']).toEqual([
      { action: 'DELETE', name: 'api.example.com.', type: 'A' },
      { action: 'DELETE', name: 'api.example.com.', type: 'TXT' },
    ]);
    expect(recordsAt('Z1PUBLIC', 'api.example.com').map((record) => record.type)).toEqual(['MX']);
  });

  it.each<[string, StandInRecordSet[], string]>([
    [
      'another owner’s records',
      [
        { name: 'api.example.com.', type: 'A', ttl: 60, values: ['198.51.100.7'] },
        { name: 'api.example.com.', type: 'TXT', ttl: 300, values: ['"heritage=external-dns,external-dns/owner=staging"'] },
      ],
      'its TXT record names the owner staging',
    ],
    [
      'records without an ownership TXT',
      [{ name: 'api.example.com.', type: 'A', ttl: 60, values: ['198.51.100.7'] }],
      'it has no ownership TXT record',
    ],
  ])('refuses %s and deletes nothing', async (_name, records, reason) => {
    zone('Z1PUBLIC').records.push(...records);
    const error = await caught(route53.deleteOwnedRecords({ zone: PUBLIC, host: 'api.example.com', ownerId: OWNER }));
    expect(isUserFacingError(error) && error.code).toBe('not_managed');
    expect(isUserFacingError(error) && error.message).toBe(
      `The bot did not create the records at api.example.com in example.com: ${reason}, not external-dns/owner=${OWNER}. Nothing was deleted.`,
    );
    expect(aws.count('ChangeResourceRecordSets')).toBe(0);
  });

  it('deletes nothing when a record changed after it was read (Route 53 matches a DELETE exactly)', async () => {
    await create();
    aws.fail((call) => {
      if (call.action === 'ChangeResourceRecordSets') {
        const txt = zone('Z1PUBLIC').records.find((record) => record.type === 'TXT' && record.name === 'api.example.com.')!;
        txt.ttl = 60;
      }
      return undefined;
    }, 1);
    const error = await caught(route53.deleteOwnedRecords({ zone: PUBLIC, host: 'api.example.com', ownerId: OWNER }));
    expect(isUserFacingError(error) && error.code).toBe('conflict');
    expect(isUserFacingError(error) && error.message).toContain('but the values provided do not match the current values');
    expect(recordsAt('Z1PUBLIC', 'api.example.com').map((record) => record.type)).toEqual(['A', 'TXT']);
  });
});

describe('the Route 53 stand-in', () => {
  it('applies a change batch atomically: one bad change, and none applies', async () => {
    const error = await caught(
      client.send(
        new ChangeResourceRecordSetsCommand({
          HostedZoneId: 'Z1PUBLIC',
          ChangeBatch: {
            Changes: [
              {
                Action: 'CREATE',
                ResourceRecordSet: { Name: 'new.example.com', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '198.51.100.1' }] },
              },
              {
                Action: 'DELETE',
                ResourceRecordSet: { Name: 'gone.example.com', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '198.51.100.2' }] },
              },
            ],
          },
        }),
      ),
    );
    expect((error as Error).name).toBe('InvalidChangeBatch');
    expect((error as Error).message).toBe(
      "[Tried to delete resource record set [name='gone.example.com.', type='A'] but it was not found]",
    );
    expect(recordsAt('Z1PUBLIC', 'new.example.com')).toEqual([]);
  });

  it('refuses an unquoted TXT value and a CNAME next to other records, as Route 53 does', async () => {
    zone('Z1PUBLIC').records.push({ name: 'mail.example.com.', type: 'MX', ttl: 300, values: ['10 mx.example.com.'] });
    const send = (type: 'TXT' | 'CNAME', value: string) =>
      caught(
        client.send(
          new ChangeResourceRecordSetsCommand({
            HostedZoneId: 'Z1PUBLIC',
            ChangeBatch: {
              Changes: [
                {
                  Action: 'UPSERT',
                  ResourceRecordSet: { Name: 'mail.example.com', Type: type, TTL: 60, ResourceRecords: [{ Value: value }] },
                },
              ],
            },
          }),
        ),
      );
    expect(String(((await send('TXT', 'no quotes')) as Error).message)).toContain('Value should be enclosed in quotation marks');
    expect(String(((await send('CNAME', 'elsewhere.example.net')) as Error).message)).toContain(
      'RRSet of type CNAME with DNS name mail.example.com. is not permitted as it conflicts with other records',
    );
  });

  it('counts Route 53 calls in the bot’s metrics when the client is instrumented', async () => {
    const metrics = new Metrics({ collectProcessMetrics: false });
    instrumentAwsClient(client, metrics);
    await route53.findHostedZone('www.example.com');
    expect(await metrics.registry.getSingleMetricAsString('nlb_bot_aws_calls_total')).toContain(
      'nlb_bot_aws_calls_total{edge="default",operation="ListHostedZonesByName",outcome="ok"} 2',
    );
  });
});
