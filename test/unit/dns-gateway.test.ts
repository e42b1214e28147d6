import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { type DnsServer, startDnsServer } from '../../dev/stand-ins/dns-server.js';
import { DnsGateway } from '../../src/ports/dns/dns-gateway.js';

const NLB = 'shared-0123.elb.eu-west-1.amazonaws.com';

describe('the DNS resolver against a real DNS server', () => {
  let dns: DnsServer;
  beforeEach(async () => {
    dns = await startDnsServer({
      records: {
        [NLB]: { a: ['52.0.0.1', '52.0.0.2'] },
        'api.example.com': { cname: NLB },
        'static.example.com': { a: ['198.51.100.7'] },
        'empty.example.com': {},
        'example.com': { zone: true },
        'example.co.uk': { zone: true },
        'www.example.co.uk': { a: ['198.51.100.8'] },
      },
    });
  });
  afterEach(async () => {
    await dns.close();
  });

  const resolver = (timeoutMs = 1000) => new DnsGateway({ servers: [dns.address], timeoutMs });

  it('reads a CNAME and the addresses behind it', async () => {
    expect(await resolver().lookup('api.example.com')).toEqual({ kind: 'answer', cname: NLB, addresses: ['52.0.0.1', '52.0.0.2'] });
    expect(dns.questions).toEqual(
      expect.arrayContaining([
        { name: 'api.example.com', type: 'CNAME' },
        { name: 'api.example.com', type: 'A' },
      ]),
    );
  });

  it('reads A records of a name without CNAME', async () => {
    expect(await resolver().lookup('static.example.com')).toEqual({ kind: 'answer', cname: undefined, addresses: ['198.51.100.7'] });
  });

  it('tells an unknown name (NXDOMAIN) from a name without records', async () => {
    expect(await resolver().lookup('missing.example.com')).toEqual({ kind: 'nxdomain' });
    expect(await resolver().lookup('empty.example.com')).toEqual({ kind: 'answer', cname: undefined, addresses: [] });
  });

  it('gives up after its timeout when the server does not answer', async () => {
    dns.silent = true;
    const started = Date.now();
    expect(await resolver(300).lookup('api.example.com')).toEqual({ kind: 'error', code: 'ETIMEOUT' });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('asks the zone whether a name is its apex: an SOA at the name is, NODATA is not (whatever the label count)', async () => {
    expect(await resolver().isZoneApex('example.com')).toBe(true);
    expect(await resolver().isZoneApex('example.co.uk')).toBe(true);
    expect(await resolver().isZoneApex('www.example.co.uk')).toBe(false);
    expect(await resolver().isZoneApex('static.example.com')).toBe(false);
    expect(dns.questions).toEqual(expect.arrayContaining([{ name: 'example.co.uk', type: 'SOA' }]));
  });

  it('falls back to the Public Suffix List when DNS cannot say (the name does not exist yet, or no answer)', async () => {
    expect(await resolver().isZoneApex('new-brand.co.uk')).toBe(true);
    expect(await resolver().isZoneApex('api.new-brand.co.uk')).toBe(false);
    dns.silent = true;
    expect(await resolver(200).isZoneApex('example.org')).toBe(true);
    expect(await resolver(200).isZoneApex('shop.example.org')).toBe(false);
  });
});
