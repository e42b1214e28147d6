import { describe, expect, it } from '@jest/globals';
import { externalDnsCoverage, hostInDomains, parseExternalDnsArgs, type RouteToPublish } from '../../src/domain/external-dns.js';

const INGRESS: RouteToPublish = { kind: 'Ingress', host: 'api.example.com', namespace: 'team-a', ingressClass: 'nginx' };
const ROUTE: RouteToPublish = { kind: 'HTTPRoute', host: 'api.example.com', namespace: 'team-a' };

describe('reading ExternalDNS’s flags', () => {
  it('reads both flag forms, repeated flags, and ignores what it does not need', () => {
    const settings = parseExternalDnsArgs([
      '/bin/external-dns',
      '--source=service',
      '--source',
      'ingress',
      '--once',
      '--domain-filter=Example.com.',
      '--domain-filter',
      'partners.example.org',
      '--txt-owner-id=prod-cluster',
      '--provider',
      'aws',
      '--aws-zone-type=public',
      '--interval=1m',
    ]);
    expect(settings).toMatchObject({
      sources: ['service', 'ingress'],
      domainFilters: ['example.com', 'partners.example.org'],
      txtOwnerId: 'prod-cluster',
      provider: 'aws',
      namespace: undefined,
      ingressClasses: [],
      objectFilters: [],
    });
  });

  it('falls back to EXTERNAL_DNS_* environment variables for flags that are not given', () => {
    const settings = parseExternalDnsArgs(['--provider=aws'], {
      EXTERNAL_DNS_SOURCE: 'ingress\ngateway-httproute',
      EXTERNAL_DNS_PROVIDER: 'google',
      EXTERNAL_DNS_TXT_OWNER_ID: 'from-env',
    });
    expect(settings).toMatchObject({ sources: ['ingress', 'gateway-httproute'], provider: 'aws', txtOwnerId: 'from-env' });
  });

  it('does not take the next flag as a value', () => {
    expect(parseExternalDnsArgs(['--txt-owner-id', '--source=ingress']).txtOwnerId).toBeUndefined();
  });

  it('keeps label, annotation and Gateway filters as caveats', () => {
    expect(parseExternalDnsArgs(['--annotation-filter=team in (a)', '--gateway-name=shared']).objectFilters).toEqual([
      '--annotation-filter=team in (a)',
      '--gateway-name=shared',
    ]);
  });
});

describe('ExternalDNS’s domain filters', () => {
  const settings = (args: string[]) => parseExternalDnsArgs(args);
  it.each<[string, string[], string, boolean]>([
    ['no filter: every name', [], 'api.example.com', true],
    ['a name below the filter', ['--domain-filter=example.com'], 'api.example.com', true],
    ['the filter itself', ['--domain-filter=example.com'], 'example.com', true],
    ['not a name that merely ends the same', ['--domain-filter=example.com'], 'api.myexample.com', false],
    ['a leading dot: below only', ['--domain-filter=.example.com'], 'example.com', false],
    ['a leading dot: below', ['--domain-filter=.example.com'], 'a.example.com', true],
    ['an exclusion wins', ['--domain-filter=example.com', '--exclude-domains=internal.example.com'], 'db.internal.example.com', false],
    [
      'a regex filter replaces the others',
      ['--domain-filter=other.org', '--regex-domain-filter=^[a-z]+\\.example\\.com$'],
      'api.example.com',
      true,
    ],
    ['a regex exclusion', ['--regex-domain-filter=example\\.com$', '--regex-domain-exclusion=^api\\.'], 'api.example.com', false],
    ['a regex JavaScript cannot read', ['--regex-domain-filter=(?P<x>a'], 'api.example.com', false],
  ])('%s', (_name, args, host, expected) => {
    expect(hostInDomains(settings(args), host)).toBe(expected);
  });
});

describe('whether ExternalDNS will publish a route’s host', () => {
  it.each<[string, string[], RouteToPublish, boolean, boolean, string]>([
    [
      'an Ingress it reads',
      ['--source=ingress', '--domain-filter=example.com'],
      INGRESS,
      true,
      true,
      'It reads Ingresses (--source=ingress) and api.example.com is inside its domain filters.',
    ],
    ['an HTTPRoute it reads', ['--source=gateway-httproute'], ROUTE, true, true, 'It reads HTTPRoutes (--source=gateway-httproute)'],
    [
      'an HTTPRoute when it reads only Ingresses',
      ['--source=ingress', '--source=service'],
      ROUTE,
      false,
      true,
      'It does not read HTTPRoutes (--source=gateway-httproute); it reads ingress, service.',
    ],
    [
      'a host outside its filters',
      ['--source=ingress', '--domain-filter=example.org'],
      INGRESS,
      true,
      false,
      'outside its domain filters (--domain-filter=example.org)',
    ],
    ['another namespace', ['--source=ingress', '--namespace=team-b'], INGRESS, false, true, 'only the namespace team-b'],
    ['another Ingress class', ['--source=ingress', '--ingress-class=internal'], INGRESS, false, true, 'only the Ingress classes internal'],
    ['its Ingress class', ['--source=ingress', '--ingress-class=nginx'], INGRESS, true, true, 'inside its domain filters'],
    ['no source at all', [], INGRESS, false, true, 'it reads no source'],
  ])('%s', (_name, args, route, watches, inDomain, reason) => {
    const coverage = externalDnsCoverage(parseExternalDnsArgs(args), route);
    expect([coverage.watches, coverage.inDomain, coverage.publishes]).toEqual([watches, inDomain, watches && inDomain]);
    expect(coverage.reason).toContain(reason);
  });
});
