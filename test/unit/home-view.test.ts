import { describe, expect, it } from '@jest/globals';
import type { ExposedHost } from '../../src/commands/expose-list.js';
import type { IpsResult } from '../../src/commands/ips.js';
import { partnerAllowList } from '../../src/domain/addresses.js';
import type { CertificateHealth } from '../../src/domain/certificate-alert.js';
import type { HealthReport } from '../../src/domain/health-report.js';
import { verdictOf } from '../../src/domain/health-verdict.js';
import type { HealthStatus, TargetGroupHealth } from '../../src/domain/target-group-health.js';
import { ErrorCode, UserFacingError } from '../../src/errors.js';
import { type EdgeHome, failureOf, renderHome } from '../../src/slack/render/home-view.js';
import { blockKitProblems, blocksText } from '../support/block-kit.js';

const NOW = new Date('2026-05-01T12:00:00Z');
const DAY = 86_400_000;

function group(index: number, status: HealthStatus): TargetGroupHealth {
  const healthy = status === 'healthy' ? 3 : status === 'degraded' ? 1 : 0;
  return {
    arn: `arn:tg-${index}`,
    name: `k8s-group-${String(index).padStart(3, '0')}`,
    port: 30000 + index,
    protocol: 'TCP',
    targetType: 'instance',
    healthCheck: { protocol: 'TCP', port: 'traffic-port', path: undefined },
    listeners: [{ protocol: 'TLS', port: 1000 + index }],
    healthy,
    total: 3,
    status,
    targets: [],
  };
}

function certificate(domainName: string, daysLeft: number, imported = false): CertificateHealth {
  return {
    arn: `arn:acm:${domainName}`,
    domainName,
    names: [domainName],
    status: 'ISSUED',
    type: imported ? 'IMPORTED' : 'AMAZON_ISSUED',
    imported,
    notAfter: new Date(NOW.getTime() + daysLeft * DAY + 3600_000),
    daysLeft,
    listenerPorts: [443],
    isDefault: true,
  };
}

function health(groups: readonly TargetGroupHealth[], certificates: readonly CertificateHealth[] = []): HealthReport {
  return {
    checkedAt: NOW,
    loadBalancer: { name: 'k8s-ingress-nlb', dnsName: 'k8s-ingress-nlb-0123.elb.eu-west-1.amazonaws.com', zones: ['eu-west-1a'] },
    controllerService: 'ingress-nginx/ingress-nginx-controller',
    externalTrafficPolicy: 'Cluster',
    verdict: verdictOf(groups.map((entry) => entry.status)),
    groups,
    diagnoses: [],
    certificates,
    proxy: { name: 'ingress-nginx controller', retired: false },
  };
}

function ips(hosts: readonly string[]): IpsResult {
  const cidrs = ['203.0.113.10/32', '203.0.113.11/32'];
  const ports = [{ port: 443, protocol: 'TCP', purpose: 'HTTPS' }];
  return {
    loadBalancer: {
      name: 'k8s-ingress-nlb',
      dnsName: 'k8s-ingress-nlb-0123.elb.eu-west-1.amazonaws.com',
      scheme: 'internet-facing',
      state: 'active',
    },
    controllerService: 'ingress-nginx/ingress-nginx-controller',
    zones: [
      { zone: 'eu-west-1a', publicIp: '203.0.113.10', allocationId: 'eipalloc-a', privateIp: '10.0.1.10' },
      { zone: 'eu-west-1b', publicIp: '203.0.113.11', allocationId: 'eipalloc-b', privateIp: '10.0.2.10' },
    ],
    addressKind: 'elastic',
    cidrs,
    ports,
    hosts,
    allowList: partnerAllowList({ cidrs, ports, hosts }),
  };
}

function exposed(count: number, prefix = 'app'): ExposedHost[] {
  return Array.from({ length: count }, (_, index) => ({
    host: `${prefix}-${String(index).padStart(3, '0')}.example.com`,
    path: '/',
    namespace: 'shop',
    kind: 'Ingress',
    name: `nlb-bot-${index}`,
    service: 'web',
    port: 80,
    requestedBy: 'U0DEV',
    approvedBy: 'U0ADMIN',
    approvedAt: new Date(NOW.getTime() - (count - index) * 3600_000).toISOString(),
  }));
}

function edge(name: string, overrides: Partial<EdgeHome> = {}): EdgeHome {
  const hosts = exposed(3);
  return {
    name,
    region: 'eu-west-1',
    ips: ips(hosts.map((host) => host.host)),
    health: health([group(1, 'healthy'), group(2, 'healthy')]),
    hosts,
    ...overrides,
  };
}

describe('the App Home', () => {
  it('shows one edge in full: header, NLB and IPs with the copy block, health, certificates soon due, newest hosts', () => {
    const view = renderHome(
      [
        edge('prod', {
          health: health(
            [group(1, 'healthy'), group(2, 'down'), group(3, 'degraded')],
            [certificate('*.example.com', 12, true), certificate('api.example.org', 90), certificate('old.example.net', -2)],
          ),
        }),
      ],
      NOW,
    );
    expect(view.type).toBe('home');
    expect(blockKitProblems(view)).toEqual([]);
    expect(view.blocks).toContainEqual({ type: 'header', text: { type: 'plain_text', text: 'prod · eu-west-1', emoji: true } });
    const text = blocksText(view.blocks);
    expect(text).toContain('NLB `k8s-ingress-nlb` (internet-facing) · `k8s-ingress-nlb-0123.elb.eu-west-1.amazonaws.com`');
    expect(text).toContain('`203.0.113.10` eu-west-1a (Elastic IP) · `203.0.113.11` eu-west-1b (Elastic IP)');
    expect(text).toContain(`\`\`\`${(edge('prod').ips as IpsResult).allowList}\`\`\``);
    expect(text).toContain(':red_circle: *down*: 1 of 3 target group(s) healthy');
    expect(text).toContain('• :red_circle: TLS:1002 → `k8s-group-002`: 0/3 healthy');
    expect(text).toContain('• :large_orange_circle: TLS:1003 → `k8s-group-003`: 1/3 healthy');
    expect(text).not.toContain('k8s-group-001');
    expect(text).toContain('`old.example.net` expired 2 day(s) ago');
    expect(text).toContain('`*.example.com` expires in 12 day(s) (imported: ACM never renews it)');
    expect(text).not.toContain('api.example.org');
    const hostsSection = text.slice(text.indexOf('*Hosts the bot manages* (3), newest first:'));
    expect(hostsSection.split('\n').slice(1, 4)).toEqual([
      '• `app-002.example.com` → `shop/web:80` · 2026-05-01',
      '• `app-001.example.com` → `shop/web:80` · 2026-05-01',
      '• `app-000.example.com` → `shop/web:80` · 2026-05-01',
    ]);
  });

  it('counts the hosts that do not fit and points to /expose list <edge>', () => {
    const hosts = exposed(200);
    const text = blocksText(renderHome([edge('prod', { hosts })], NOW).blocks);
    expect(text).toContain('*Hosts the bot manages* (200), newest first:');
    expect(text).toContain('app-199.example.com');
    expect(text).not.toContain('app-100.example.com');
    expect(text).toContain('… and 185 more: `/expose list prod`');
  });

  it('keeps a long copy block whole over two sections at most, and says where the rest is', () => {
    const hosts = Array.from({ length: 400 }, (_, index) => `partner-service-${index}.example.com`);
    const view = renderHome([edge('prod', { ips: ips(hosts) })], NOW);
    expect(blockKitProblems(view)).toEqual([]);
    const copies = view.blocks.filter((block) => JSON.stringify(block).includes('```'));
    expect(copies).toHaveLength(2);
    expect(blocksText(view.blocks)).toContain('The list continues: `/ips prod` shows all of it.');
  });

  it('names the target groups that are not healthy, five at most, and points to /health <edge>', () => {
    const groups = Array.from({ length: 100 }, (_, index) => group(index, index % 10 === 0 ? 'down' : 'healthy'));
    const text = blocksText(renderHome([edge('prod', { health: health(groups) })], NOW).blocks);
    expect(text).toContain(':red_circle: *down*: 90 of 100 target group(s) healthy');
    expect(text).toContain('• and 5 more target group(s) that are not healthy: `/health prod`');
  });

  it('shows a read that failed in one line, message and hint escaped, and the rest of the edge still renders', () => {
    const failed = failureOf(
      new UserFacingError(ErrorCode.AwsAccessDenied, 'AWS refused <DescribeTargetHealth>', 'Check the role & its policy.'),
      'x',
    );
    const view = renderHome([edge('prod', { health: failed })], NOW);
    expect(blockKitProblems(view)).toEqual([]);
    const text = blocksText(view.blocks);
    expect(text).toContain(':warning: *health*: AWS refused &lt;DescribeTargetHealth&gt; Check the role &amp; its policy.');
    expect(text).toContain('Static IPs: `203.0.113.10`');
    expect(text).toContain('*Hosts the bot manages* (3)');
  });

  it('says one failure once when every read of an edge failed the same way, and renders the other edges', () => {
    const down = failureOf(
      new UserFacingError(ErrorCode.KubeUnavailable, 'Kubernetes did not answer.', 'Is the API server reachable?'),
      'x',
    );
    const view = renderHome([edge('prod'), edge('staging', { ips: down, health: down, hosts: down })], NOW);
    expect(blockKitProblems(view)).toEqual([]);
    const text = blocksText(view.blocks);
    expect(text.match(/Kubernetes did not answer\./g)).toHaveLength(1);
    expect(text).toContain(':warning: *IPs, health, hosts*: Kubernetes did not answer. Is the API server reachable?');
    expect(text).toContain('prod · eu-west-1');
  });

  it('shows an unexpected failure only by its reference, never the error itself', () => {
    const failed = failureOf(new Error('socket hang up at 10.0.0.1 with secret=abc'), 'ab12cd34');
    const text = blocksText(renderHome([edge('prod', { ips: failed })], NOW).blocks);
    expect(text).toContain(':warning: *IPs*: could not be read Reference ab12cd34: the bot’s log has the details.');
    expect(text).not.toContain('secret');
  });

  it('puts the edges that need attention first', () => {
    const view = renderHome([edge('a-fine'), edge('b-down', { health: health([group(1, 'down')]) }), edge('c-fine')], NOW);
    const headers = view.blocks.filter((block) => block.type === 'header').map((block) => JSON.stringify(block));
    expect(headers.map((text) => /"text":"([^"]+)"/.exec(text)?.[1])).toEqual([
      'Shared NLBs',
      'b-down · eu-west-1',
      'a-fine · eu-west-1',
      'c-fine · eu-west-1',
    ]);
  });

  it('escapes whatever comes from the cluster or AWS', () => {
    const hosts = [{ ...exposed(1)[0]!, host: '<!channel>.example.com', namespace: '<@U123>', approvedAt: '<!here>' }];
    const text = blocksText(renderHome([edge('prod', { hosts })], NOW).blocks);
    expect(text).toContain('&lt;!channel&gt;.example.com');
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<!here>');
  });

  it('says so when there is no edge', () => {
    const view = renderHome([], NOW);
    expect(blockKitProblems(view)).toEqual([]);
    expect(blocksText(view.blocks)).toContain('No edge is configured');
  });

  it('stays within Block Kit’s limits for 40 edges × 200 hosts × 100 target groups, summarising what does not fit', () => {
    const groups = Array.from({ length: 100 }, (_, index) => group(index, index % 7 === 0 ? 'degraded' : 'healthy'));
    const edges = Array.from({ length: 40 }, (_, index) => {
      const hosts = exposed(200, `e${index}`);
      return edge(`edge-${String(index).padStart(2, '0')}`, {
        ips: ips(hosts.map((host) => host.host)),
        health: health(groups, [certificate('*.example.com', 5)]),
        hosts,
      });
    });
    const view = renderHome(edges, NOW);
    expect(blockKitProblems(view)).toEqual([]);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const text = blocksText(view.blocks);
    const inFull = view.blocks.filter((block) => block.type === 'header').length - 1;
    expect(inFull).toBeGreaterThan(3);
    expect(text).toContain(`${40 - inFull} more edge(s) do not fit in full (a Home tab holds 100 blocks); one line each:`);
    for (const entry of edges) expect(text).toContain(entry.name);
    expect(text).toContain('• *edge-39* (eu-west-1): :large_orange_circle: degraded · 200 host(s) · 1 certificate(s) expiring');
  });

  it('stays under views.publish’s 250 kB when every edge is as large as an edge gets', () => {
    // Text from the cluster and AWS is not always ASCII: three bytes a character in UTF-8.
    const long = (index: number) => `${'한'.repeat(240)}-${index}.example.com`;
    const hosts = Array.from({ length: 200 }, (_, index) => ({ ...exposed(1)[0]!, host: long(index), namespace: '국'.repeat(63) }));
    const failed = failureOf(new UserFacingError(ErrorCode.AwsUnavailable, '경'.repeat(3000), '고'.repeat(3000)), 'x');
    const big = (index: number) => edge(`edge-${index}`, { ips: ips(hosts.map((host) => host.host)), health: failed, hosts });
    const view = renderHome(
      Array.from({ length: 50 }, (_, index) => big(index)),
      NOW,
    );
    expect(blockKitProblems(view)).toEqual([]);
    expect(Buffer.byteLength(JSON.stringify(view))).toBeLessThanOrEqual(250_000);
    expect(blocksText(view.blocks)).toContain('more edge(s) do not fit in full');
  });

  it('stays within 100 blocks for 50 unreadable edges with long messages', () => {
    const failed = failureOf(
      new UserFacingError(ErrorCode.AwsUnavailable, `AWS did not answer ${'<x> '.repeat(400)}`, 'h'.repeat(3000)),
      'x',
    );
    const view = renderHome(
      Array.from({ length: 50 }, (_, index) => edge(`edge-${index}`, { ips: failed, health: failed, hosts: failed })),
      NOW,
    );
    expect(blockKitProblems(view)).toEqual([]);
    expect(blocksText(view.blocks)).toContain('edge-49');
  });
});
