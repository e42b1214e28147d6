import { describe, expect, it } from '@jest/globals';
import { standInHostedZone, standInRecordName } from '../../dev/stand-ins/route53-stand-in.js';
import { SAMPLE_NLB_DNS, seedSampleWorld } from '../../dev/stand-ins/sample-world.js';
import { clickAnswer, clicksDone, command, kubeWrites } from '../support/expose-steps.js';
import { ADMIN, CHANNEL, DEVELOPER, harnessPerTest, messageText } from '../support/harness.js';

const ZONE = 'Z0EXAMPLE00000000001';
const OTHER_ZONE = 'Z0OTHER000000000002';
const VPC = 'vpc-0123456789abcdef0';

describe('DNS_PROVIDER=route53', () => {
  const start = harnessPerTest({ seed: seedSampleWorld, env: { DNS_PROVIDER: 'route53', ROUTE53_ZONE_IDS: ZONE } });

  /** A public hosted zone example.com (allowed) and another one the bot may not touch. */
  async function withZones(h: Awaited<ReturnType<typeof start>>, records: Parameters<typeof standInHostedZone>[0]['records'] = []) {
    h.aws.route53.hostedZones.push(
      standInHostedZone({ id: ZONE, name: 'example.com.', records }),
      standInHostedZone({ id: OTHER_ZONE, name: 'partners.example.com.' }),
    );
  }

  it('says in the preview that it will create the record, creates it on Apply with its TXT, and deletes only its own on /unexpose', async () => {
    const h = await start();
    await withZones(h);
    const preview = await command(h, '/expose', 'billing.example.com team-a/billing:http', ADMIN);
    expect(preview.text).toContain('The bot will create an alias A record to the NLB in the Route 53 zone `example.com`');
    const applied = await clickAnswer(h, (await h.press(preview.message, 'Apply', ADMIN)).responseUrl);
    expect(applied.text).toContain('Created the alias A record to the NLB and its ownership TXT record in the Route 53 zone `example.com`');
    const zone = h.aws.route53.hostedZones.find((candidate) => candidate.id === ZONE);
    const atHost = zone?.records.filter((record) => record.name === standInRecordName('billing.example.com')) ?? [];
    expect(atHost.map((record) => record.type).sort()).toEqual(['A', 'TXT']);
    expect(atHost.find((record) => record.type === 'A')?.aliasTarget).toMatchObject({ dnsName: expect.stringContaining(SAMPLE_NLB_DNS) });
    expect(atHost.find((record) => record.type === 'TXT')?.values?.[0]).toContain('external-dns/owner=nlb-ingress-bot');
    expect(atHost.find((record) => record.type === 'TXT')?.values?.[0]).toContain('ingress/team-a/billing.example.com');
    // Only the allowed zone was changed.
    expect(
      h.aws.calls.filter((call) => call.action === 'ChangeResourceRecordSets').map((call) => call.params['zoneId'] ?? call.params),
    ).toHaveLength(1);
    expect(
      h.aws.route53.hostedZones
        .find((candidate) => candidate.id === OTHER_ZONE)
        ?.records.filter((record) => !['SOA', 'NS'].includes(record.type)),
    ).toEqual([]);

    const confirmation = await command(h, '/unexpose', 'billing.example.com', ADMIN);
    const removed = await clickAnswer(h, (await h.press(confirmation.message, 'Remove', ADMIN)).responseUrl);
    expect(removed.text).toContain('Deleted the bot’s records in the Route 53 zone `example.com`');
    expect(zone?.records.filter((record) => record.name === standInRecordName('billing.example.com'))).toEqual([]);
  });

  it('refuses a host whose name already has a record it did not create, and writes nothing anywhere', async () => {
    const h = await start();
    await withZones(h, [{ name: standInRecordName('billing.example.com'), type: 'CNAME', ttl: 300, values: ['legacy.example.net'] }]);
    const preview = await command(h, '/expose', 'billing.example.com team-a/billing:http', ADMIN);
    expect(preview.text).toContain('already has records at this name that the bot did not create (CNAME legacy.example.net)');
    expect(preview.text).toContain('Nothing can be applied');
    expect(kubeWrites(h)).toEqual([]);
    expect(h.aws.count('ChangeResourceRecordSets')).toBe(0);
  });

  it('leaves records it does not own when the host is removed', async () => {
    const h = await start();
    await withZones(h);
    const preview = await command(h, '/expose', 'billing.example.com team-a/billing:http', ADMIN);
    await clickAnswer(h, (await h.press(preview.message, 'Apply', ADMIN)).responseUrl);
    // Someone replaces the TXT by hand: the records are no longer the bot's.
    const zone = h.aws.route53.hostedZones.find((candidate) => candidate.id === ZONE);
    const txt = zone?.records.find((record) => record.name === standInRecordName('billing.example.com') && record.type === 'TXT');
    if (txt !== undefined) txt.values = ['"owner=someone-else"'];
    const confirmation = await command(h, '/unexpose', 'billing.example.com', ADMIN);
    const removed = await clickAnswer(h, (await h.press(confirmation.message, 'Remove', ADMIN)).responseUrl);
    expect(removed.text).not.toContain('Deleted the bot’s records');
    expect(
      zone?.records
        .filter((record) => record.name === standInRecordName('billing.example.com'))
        .map((record) => record.type)
        .sort(),
    ).toEqual(['A', 'TXT']);
  });
});

describe('ExternalDNS in the cluster', () => {
  const start = harnessPerTest({ seed: seedSampleWorld });

  it('says in the preview that ExternalDNS will create the record when it reads Ingresses for the host', async () => {
    const h = await start();
    h.kube.store.upsert({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { namespace: 'external-dns', name: 'external-dns', labels: { 'app.kubernetes.io/name': 'external-dns' } },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'external-dns' } },
        template: {
          metadata: { labels: { app: 'external-dns' } },
          spec: {
            containers: [
              {
                name: 'external-dns',
                image: 'registry.k8s.io/external-dns/external-dns:v0.15.0',
                args: ['--source=service', '--source=ingress', '--domain-filter=example.com', '--provider=aws', '--txt-owner-id=prod'],
              },
            ],
          },
        },
      },
      status: { replicas: 1, readyReplicas: 1 },
    });
    const preview = await command(h, '/expose', 'billing.example.com team-a/billing:http', DEVELOPER);
    expect(preview.text).toContain('ExternalDNS (`external-dns/external-dns`) will create the record');
    const outside = await command(h, '/expose', 'billing.example.org team-a/billing:http', DEVELOPER);
    expect(outside.text).not.toContain('ExternalDNS');
  });
});

describe('/ips egress', () => {
  const start = harnessPerTest({ seed: seedSampleWorld });

  it('lists the NAT gateways’ Elastic IPs of the NLB’s VPC per zone, as /32 lines, and warns about what it cannot see', async () => {
    const h = await start();
    const ec2 = h.aws.ec2;
    ec2.subnets.push(
      { id: 'subnet-a-private', vpcId: VPC, availabilityZone: 'eu-west-1a', cidrBlock: '10.0.1.0/24' },
      { id: 'subnet-b-private', vpcId: VPC, availabilityZone: 'eu-west-1b', cidrBlock: '10.0.2.0/24' },
      { id: 'subnet-a-public', vpcId: VPC, availabilityZone: 'eu-west-1a', cidrBlock: '10.0.101.0/24' },
      { id: 'subnet-c-odd', vpcId: VPC, availabilityZone: 'eu-west-1c', cidrBlock: '10.0.3.0/24' },
    );
    ec2.natGateways.push(
      {
        id: 'nat-a',
        vpcId: VPC,
        subnetId: 'subnet-a-public',
        state: 'available',
        connectivityType: 'public',
        addresses: [{ publicIp: '34.240.1.10', allocationId: 'eipalloc-a', isPrimary: true }],
      },
      {
        id: 'nat-b',
        vpcId: VPC,
        subnetId: 'subnet-a-public',
        state: 'available',
        connectivityType: 'public',
        addresses: [{ publicIp: '34.240.2.20', allocationId: 'eipalloc-b', isPrimary: true }],
      },
      {
        id: 'nat-other-vpc',
        vpcId: 'vpc-other',
        subnetId: 'x',
        state: 'available',
        connectivityType: 'public',
        addresses: [{ publicIp: '1.2.3.4', isPrimary: true }],
      },
    );
    ec2.routeTables.push(
      {
        id: 'rtb-a',
        vpcId: VPC,
        associations: [{ id: 'a1', subnetId: 'subnet-a-private' }],
        routes: [{ destinationCidrBlock: '0.0.0.0/0', natGatewayId: 'nat-a', state: 'active' }],
      },
      {
        id: 'rtb-b',
        vpcId: VPC,
        associations: [{ id: 'a2', subnetId: 'subnet-b-private' }],
        routes: [{ destinationCidrBlock: '0.0.0.0/0', natGatewayId: 'nat-b', state: 'active' }],
      },
      {
        id: 'rtb-public',
        vpcId: VPC,
        associations: [{ id: 'a3', subnetId: 'subnet-a-public' }],
        routes: [{ destinationCidrBlock: '0.0.0.0/0', gatewayId: 'igw-1', state: 'active' }],
      },
      {
        id: 'rtb-odd',
        vpcId: VPC,
        associations: [{ id: 'a4', subnetId: 'subnet-c-odd' }],
        routes: [{ destinationCidrBlock: '0.0.0.0/0', transitGatewayId: 'tgw-1', state: 'active' }],
      },
    );
    const answer = await command(h, '/ips', 'egress', DEVELOPER);
    expect(answer.text).toContain('34.240.1.10/32');
    expect(answer.text).toContain('34.240.2.20/32');
    expect(answer.text).not.toContain('1.2.3.4');
    expect(answer.text).toContain('subnet-a-public');
    expect(answer.text).toContain('subnet-c-odd');
    expect(answer.text).toContain(VPC);
    const calls = h.aws.calls.filter((call) => call.service === 'ec2').length;
    // Cached like /ips: the second answer is in the acknowledgement itself, and makes no EC2 call.
    const second = await h.slash('/ips', 'egress', { user: DEVELOPER, channel: CHANNEL });
    const acknowledged = JSON.parse(second.body) as Record<string, unknown>;
    expect(acknowledged['response_type']).toBe('ephemeral');
    expect(messageText(acknowledged)).toContain('34.240.1.10/32');
    expect(h.aws.calls.filter((call) => call.service === 'ec2').length).toBe(calls);
    await clicksDone(h, '/ips', 0).catch(() => undefined);
  });
});
