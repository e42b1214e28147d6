import { describe, expect, it } from '@jest/globals';
import { dnsVerdict, recordFor } from '../../src/domain/dns-verdict.js';

const nlb = { dnsName: 'shared-0123.elb.eu-west-1.amazonaws.com', addresses: ['52.0.0.1', '52.0.0.2'] };

describe('the DNS verdict', () => {
  it('passes a CNAME to the NLB, whatever the case or trailing dot', () => {
    const verdict = dnsVerdict(
      'api.example.com',
      { kind: 'answer', cname: 'SHARED-0123.elb.eu-west-1.amazonaws.com.', addresses: ['52.0.0.1'] },
      nlb,
      { apex: false },
    );
    expect(verdict).toMatchObject({ status: 'pass', record: undefined });
  });

  it('passes A records equal to the NLB’s addresses', () => {
    expect(
      dnsVerdict('api.example.com', { kind: 'answer', cname: undefined, addresses: ['52.0.0.2', '52.0.0.1'] }, nlb, { apex: false }).status,
    ).toBe('pass');
  });

  it('says which CNAME to create when the host does not resolve', () => {
    const verdict = dnsVerdict('api.example.com', { kind: 'nxdomain' }, nlb, { apex: false });
    expect(verdict.status).toBe('warn');
    expect(verdict.record).toEqual({ type: 'CNAME', name: 'api.example.com', target: nlb.dnsName });
    expect(verdict.summary).toBe(
      'api.example.com does not resolve yet. Create a CNAME record `api.example.com` → `shared-0123.elb.eu-west-1.amazonaws.com`.',
    );
  });

  it('asks for an alias A record at a zone apex', () => {
    const verdict = dnsVerdict('example.com', { kind: 'nxdomain' }, nlb, { apex: true });
    expect(verdict.record?.type).toBe('ALIAS A');
    expect(verdict.summary).toContain('alias A record');
    expect(verdict.summary).toContain('a zone apex cannot hold a CNAME');
    expect(recordFor('www.example.com', nlb.dnsName, false).type).toBe('CNAME');
  });

  it('warns when the host points elsewhere, naming where', () => {
    const verdict = dnsVerdict('api.example.com', { kind: 'answer', cname: 'old-lb.example.net', addresses: ['198.51.100.7'] }, nlb, {
      apex: false,
    });
    expect(verdict.status).toBe('warn');
    expect(verdict.summary).toContain('points elsewhere (CNAME old-lb.example.net, 198.51.100.7)');
    expect(verdict.summary).toContain('Replace it with a CNAME record');
  });

  it('shows a CNAME target from DNS only when it is a valid host name', () => {
    for (const cname of ['<!channel>.evil.example', 'a b.example.com', '*.example.com', `${'x'.repeat(64)}.example.com`]) {
      const verdict = dnsVerdict('api.example.com', { kind: 'answer', cname, addresses: [] }, nlb, { apex: false });
      expect(verdict.summary).toBe(
        'api.example.com points elsewhere (CNAME an invalid name), not to the NLB. Replace it with a CNAME record `api.example.com` → `shared-0123.elb.eu-west-1.amazonaws.com`.',
      );
    }
    expect(
      dnsVerdict('api.example.com', { kind: 'answer', cname: 'Old-LB.Example.net.', addresses: [] }, nlb, { apex: false }).summary,
    ).toContain('(CNAME old-lb.example.net)');
  });

  it('warns when only some of the NLB’s addresses are in DNS', () => {
    const verdict = dnsVerdict('api.example.com', { kind: 'answer', cname: undefined, addresses: ['52.0.0.1'] }, nlb, { apex: false });
    expect(verdict.status).toBe('warn');
    expect(verdict.summary).toContain('missing 52.0.0.2');
  });

  it('warns, without blocking, when DNS could not be asked', () => {
    const verdict = dnsVerdict('api.example.com', { kind: 'error', code: 'ETIMEOUT' }, nlb, { apex: false });
    expect(verdict.status).toBe('warn');
    expect(verdict.summary).toContain('Could not check DNS for api.example.com (ETIMEOUT)');
  });

  it('warns about a name that exists without records', () => {
    expect(dnsVerdict('api.example.com', { kind: 'answer', cname: undefined, addresses: [] }, nlb, { apex: false }).summary).toContain(
      'has no A or CNAME record yet',
    );
  });

  it('never calls a name with a CNAME an apex, whatever the zone lookup said', () => {
    const verdict = dnsVerdict('example.com', { kind: 'answer', cname: 'old-lb.example.net', addresses: [] }, nlb, { apex: true });
    expect(verdict.record?.type).toBe('CNAME');
  });
});
