import { describe, expect, it } from '@jest/globals';
import {
  addressKind,
  listenerPorts,
  partnerAllowList,
  partnerCidrs,
  type ZoneAddresses,
  zoneAddresses,
} from '../../src/domain/addresses.js';
import type { ControllerService } from '../../src/domain/controller-service.js';
import type { LoadBalancer } from '../../src/domain/load-balancer.js';

const zone = (name: string, publicIp?: string, allocationId?: string, privateIp?: string): ZoneAddresses => ({
  zone: name,
  publicIp,
  allocationId,
  privateIp,
});

describe('address kinds', () => {
  it.each([
    ['elastic', [zone('a', '1.1.1.1', 'eipalloc-1', '10.0.0.1'), zone('b', '2.2.2.2', 'eipalloc-2', '10.0.0.2')]],
    ['aws-assigned', [zone('a', '1.1.1.1', undefined, '10.0.0.1'), zone('b', '2.2.2.2', undefined, '10.0.0.2')]],
    ['mixed', [zone('a', '1.1.1.1', 'eipalloc-1', '10.0.0.1'), zone('b', '2.2.2.2', undefined, '10.0.0.2')]],
    ['private', [zone('a', undefined, undefined, '10.0.0.1'), zone('b', undefined, undefined, '10.0.0.2')]],
    ['mixed', [zone('a', '1.1.1.1', 'eipalloc-1', '10.0.0.1'), zone('b', undefined, undefined, undefined)]],
  ] as const)('calls %s addresses so', (kind, zones) => {
    expect(addressKind(zones)).toBe(kind);
  });
});

describe('partner CIDRs', () => {
  it('gives the public IPs as /32, without duplicates', () => {
    expect(partnerCidrs([zone('a', '1.1.1.1', 'e', '10.0.0.1'), zone('b', '2.2.2.2', 'f', '10.0.0.2'), zone('c', '1.1.1.1', 'e')])).toEqual(
      ['1.1.1.1/32', '2.2.2.2/32'],
    );
  });

  it('gives the private IPs of an internal NLB', () => {
    expect(partnerCidrs([zone('a', undefined, undefined, '10.0.0.1')])).toEqual(['10.0.0.1/32']);
  });

  it('writes IPv6 addresses as /128', () => {
    expect(partnerCidrs([zone('a', '2001:db8::1', 'e')])).toEqual(['2001:db8::1/128']);
  });
});

describe('zone addresses', () => {
  it('keeps a zone without addresses visible and sorts by zone', () => {
    const lb: LoadBalancer = {
      arn: 'arn',
      name: 'n',
      dnsName: 'd',
      type: 'network',
      scheme: 'internet-facing',
      state: 'active',
      vpcId: undefined,
      zones: [
        { name: 'eu-west-1b', subnetId: 's2', addresses: [] },
        {
          name: 'eu-west-1a',
          subnetId: 's1',
          addresses: [{ publicIp: '1.1.1.1', allocationId: 'e', privateIp: '10.0.0.1', ipv6: undefined }],
        },
      ],
    };
    expect(zoneAddresses(lb).map((entry) => [entry.zone, entry.publicIp])).toEqual([
      ['eu-west-1a', '1.1.1.1'],
      ['eu-west-1b', undefined],
    ]);
  });
});

describe('listener ports', () => {
  const service = (annotations: Record<string, string>): ControllerService => ({
    namespace: 'ingress-nginx',
    name: 'c',
    type: 'LoadBalancer',
    externalTrafficPolicy: 'Cluster',
    healthCheckNodePort: undefined,
    selector: {},
    annotations,
    labels: {},
    loadBalancerHostnames: [],
    ports: [
      { name: 'http', port: 80, protocol: 'TCP', targetPort: 'tohttps', nodePort: 30080 },
      { name: 'https', port: 443, protocol: 'TCP', targetPort: 'http', nodePort: 30443 },
    ],
  });

  const cert = { 'service.beta.kubernetes.io/aws-load-balancer-ssl-cert': 'arn:aws:acm:eu-west-1:111122223333:certificate/x' };

  it('reads TLS ports from the ssl-ports annotation and recognises the redirect port', () => {
    expect(listenerPorts(service({ ...cert, 'service.beta.kubernetes.io/aws-load-balancer-ssl-ports': 'https' }))).toEqual([
      { port: 443, protocol: 'TCP', purpose: 'HTTPS' },
      { port: 80, protocol: 'TCP', purpose: 'HTTP, redirects to HTTPS' },
    ]);
  });

  it('accepts port numbers and * in ssl-ports', () => {
    expect(listenerPorts(service({ ...cert, 'service.beta.kubernetes.io/aws-load-balancer-ssl-ports': '443' }))[0]?.purpose).toBe('HTTPS');
    expect(
      listenerPorts(service({ ...cert, 'service.beta.kubernetes.io/aws-load-balancer-ssl-ports': '*' })).every(
        (port) => port.purpose === 'HTTPS',
      ),
    ).toBe(true);
  });

  it('terminates TLS on every port when a certificate is set without ssl-ports, as the AWS provider does', () => {
    expect(listenerPorts(service(cert)).map((port) => port.purpose)).toEqual(['HTTPS', 'HTTPS']);
  });

  it('calls every port plain HTTP without a certificate, whatever ssl-ports says', () => {
    expect(listenerPorts(service({})).map((port) => port.purpose)).toEqual(['HTTP', 'HTTP']);
    expect(
      listenerPorts(service({ 'service.beta.kubernetes.io/aws-load-balancer-ssl-ports': 'https' })).map((port) => port.purpose),
    ).toEqual(['HTTP', 'HTTP']);
  });
});

describe('the partner allow-list', () => {
  it('lists CIDRs, ports and hosts in a block to paste as is', () => {
    expect(
      partnerAllowList({
        cidrs: ['1.1.1.1/32', '2.2.2.2/32'],
        ports: [{ port: 443, protocol: 'TCP', purpose: 'HTTPS' }],
        hosts: ['api.example.com'],
      }),
    ).toBe(
      [
        'Destination IP addresses (allow outbound from your network to):',
        '  1.1.1.1/32',
        '  2.2.2.2/32',
        'Destination ports:',
        '  443/tcp (HTTPS)',
        'Host names served on these addresses:',
        '  api.example.com',
      ].join('\n'),
    );
  });

  it('says when no host is served yet', () => {
    expect(partnerAllowList({ cidrs: [], ports: [], hosts: [] })).toContain('(none yet)');
  });
});
