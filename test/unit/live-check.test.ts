import { describe, expect, it } from '@jest/globals';
import type { DnsLookup } from '../../src/domain/dns-verdict.js';
import { type LiveCheckInput, type LiveCheckStep, liveCheck, shouldRetryDns } from '../../src/domain/live-check.js';
import type { HttpAnswer, HttpProbeResult, TlsProbeResult } from '../../src/domain/probe-result.js';

const HOST = 'api.example.com';
const NOW = new Date('2026-10-01T00:00:00Z');
const DAY = 86_400_000;
const NLB = { dnsName: 'shared-0123.elb.eu-west-1.amazonaws.com', addresses: ['52.0.0.1', '52.0.0.2'] };

type Handshake = Extract<TlsProbeResult, { ok: true }>;

function tls(address: string, overrides: Partial<Handshake> = {}): Handshake {
  return {
    address,
    port: 443,
    host: HOST,
    ok: true,
    trusted: true,
    authorizationError: undefined,
    validForHost: true,
    identityError: undefined,
    certificate: {
      subject: HOST,
      subjectAltNames: [HOST],
      issuer: 'Amazon RSA 2048 M02',
      notAfter: new Date(NOW.getTime() + 80 * DAY),
      daysLeft: 80,
      fingerprint256: 'AA:BB',
    },
    protocol: 'TLSv1.3',
    durationMs: 12,
    ...overrides,
  };
}

const refused = (address: string): Extract<TlsProbeResult, { ok: false }> => ({
  address,
  port: 443,
  host: HOST,
  ok: false,
  reason: 'refused',
  detail: 'ECONNREFUSED',
  durationMs: 1,
});
const answer = (status: number, digest = `body-${status}`): HttpAnswer => ({
  ok: true,
  status,
  bodySha256: digest,
  bodyBytes: 10,
  truncated: false,
  durationMs: 5,
});
const FALLBACK = answer(404, 'default-backend');

function http(address: string, host: HttpAnswer | undefined, fallback: HttpAnswer | undefined = FALLBACK): HttpProbeResult {
  return { address, port: 443, host: HOST, path: '/', answer: host, fallbackHost: 'nlb-bot-probe-0.invalid', fallback };
}

const live: LiveCheckInput = {
  host: HOST,
  nlb: NLB,
  route: { kind: 'Ingress', loadBalancer: [{ hostname: NLB.dnsName }] },
  dns: { lookup: { kind: 'answer', cname: NLB.dnsName, addresses: NLB.addresses }, zoneApex: false },
  tls: [tls('52.0.0.1'), tls('52.0.0.2')],
  http: [http('52.0.0.1', answer(200)), http('52.0.0.2', answer(200))],
  now: NOW,
};

function step(input: Partial<LiveCheckInput>, name: LiveCheckStep['name']): LiveCheckStep {
  const found = liveCheck({ ...live, ...input }).steps.find((candidate) => candidate.name === name);
  if (found === undefined) throw new Error(`no ${name} step`);
  return found;
}

describe('the live check', () => {
  it('passes a host whose route is up, whose DNS points at the NLB and whose route answers on every address', () => {
    const verdict = liveCheck(live);
    expect(verdict.status).toBe('pass');
    expect(verdict.summary).toBe('api.example.com is reachable through the shared NLB.');
    expect(verdict.steps.map((entry) => [entry.name, entry.status])).toEqual([
      ['route', 'pass'],
      ['dns', 'pass'],
      ['tls', 'pass'],
      ['http', 'pass'],
    ]);
    expect(verdict.steps.every((entry) => entry.action === undefined)).toBe(true);
    expect(verdict.shouldRetry).toBe(false);
  });

  it('fails overall when a step fails, naming the failed steps, and lists skipped ones', () => {
    const verdict = liveCheck({ ...live, dns: undefined, tls: [tls('52.0.0.1', { validForHost: false })] });
    expect(verdict.status).toBe('fail');
    expect(verdict.summary).toBe('api.example.com is not reachable yet: tls failed (not checked: dns).');
  });
});

describe('route step', () => {
  it.each<[string, LiveCheckInput['route'], LiveCheckStep['status'], string | undefined]>([
    [
      'an Ingress with the NLB in its status',
      { kind: 'Ingress', loadBalancer: [{ hostname: NLB.dnsName.toUpperCase() }] },
      'pass',
      undefined,
    ],
    ['an Ingress with an NLB address in its status', { kind: 'Ingress', loadBalancer: [{ ip: '52.0.0.2' }] }, 'pass', undefined],
    ['an Ingress without status', { kind: 'Ingress', loadBalancer: [] }, 'fail', 'check that spec.ingressClassName names the class'],
    [
      'an Ingress taken up by another load balancer',
      { kind: 'Ingress', loadBalancer: [{ hostname: 'other-9.elb.eu-west-1.amazonaws.com' }] },
      'fail',
      'another controller, with a load balancer of its own',
    ],
    ['a live HTTPRoute', { kind: 'HTTPRoute', status: 'live' }, 'pass', undefined],
    ['an HTTPRoute without status yet', { kind: 'HTTPRoute', status: 'pending' }, 'fail', 'parentRef names no existing Gateway'],
    [
      'an HTTPRoute refused for its namespace',
      { kind: 'HTTPRoute', status: { refused: true, reason: 'NotAllowedByListeners', message: 'not allowed from team-a' } },
      'fail',
      'allowedRoutes',
    ],
    [
      'an HTTPRoute whose backend is in another namespace',
      { kind: 'HTTPRoute', status: { refused: true, reason: 'RefNotPermitted', message: 'x' } },
      'fail',
      'ReferenceGrant',
    ],
    [
      'an HTTPRoute refused for a reason the bot does not know',
      { kind: 'HTTPRoute', status: { refused: true, reason: 'SomethingNew', message: 'x' } },
      'fail',
      'as the condition’s message says',
    ],
    ['no route read (the cluster did not answer)', undefined, 'skipped', undefined],
    ['no Ingress routes the host', { kind: 'unrouted', routes: 'Ingress' }, 'fail', 'Expose api.example.com with /expose'],
    ['no HTTPRoute routes the host', { kind: 'unrouted', routes: 'HTTPRoute' }, 'fail', 'Expose api.example.com with /expose'],
  ])('%s: %s', (_name, route, status, action) => {
    const result = step({ route }, 'route');
    expect(result.status).toBe(status);
    if (action === undefined) expect(result.action).toBeUndefined();
    else expect(result.action).toContain(action);
  });

  it('says what routes nothing: no Ingress of the class, or no HTTPRoute on the Gateway', () => {
    expect(step({ route: { kind: 'unrouted', routes: 'Ingress' } }, 'route').summary).toBe(
      'No Ingress of the shared ingress class routes api.example.com.',
    );
    expect(step({ route: { kind: 'unrouted', routes: 'HTTPRoute' } }, 'route').summary).toBe(
      'No HTTPRoute attached to the shared Gateway routes api.example.com.',
    );
  });

  it('quotes the refusal’s reason and message', () => {
    const result = step(
      { route: { kind: 'HTTPRoute', status: { refused: true, reason: 'BackendNotFound', message: 'Service "team-a/api"\n not found' } } },
      'route',
    );
    expect(result.summary).toBe('The Gateway refused the HTTPRoute: BackendNotFound (Service "team-a/api" not found).');
    expect(result.action).toBe('The backend Service or its port does not exist: fix the route’s backendRefs.');
  });
});

describe('DNS step', () => {
  const dns = (lookup: DnsLookup, zoneApex = false) => ({ dns: { lookup, zoneApex } });

  it.each<[string, DnsLookup, LiveCheckStep['status'], string, boolean]>([
    ['a CNAME to the NLB', { kind: 'answer', cname: NLB.dnsName, addresses: NLB.addresses }, 'pass', 'is a CNAME to the NLB', false],
    [
      'exactly the NLB’s addresses',
      { kind: 'answer', cname: undefined, addresses: ['52.0.0.2', '52.0.0.1'] },
      'pass',
      "NLB's addresses",
      false,
    ],
    ['a name that does not exist yet', { kind: 'nxdomain' }, 'fail', 'api.example.com does not resolve yet.', true],
    ['a name without records', { kind: 'answer', cname: undefined, addresses: [] }, 'fail', 'has no A or CNAME record yet.', true],
    [
      'a name pointing elsewhere',
      { kind: 'answer', cname: undefined, addresses: ['198.51.100.7'] },
      'fail',
      'points elsewhere (198.51.100.7)',
      false,
    ],
    [
      'some of the addresses',
      { kind: 'answer', cname: undefined, addresses: ['52.0.0.1'] },
      'fail',
      "only some of the NLB's addresses",
      false,
    ],
    [
      'a resolver failure, which passes',
      { kind: 'error', code: 'ESERVFAIL' },
      'fail',
      'Could not check DNS for api.example.com (ESERVFAIL).',
      true,
    ],
    [
      'a resolver timeout, which passes',
      { kind: 'error', code: 'ETIMEOUT' },
      'fail',
      'Could not check DNS for api.example.com (ETIMEOUT).',
      true,
    ],
    [
      'a resolver refusing the question',
      { kind: 'error', code: 'EREFUSED' },
      'fail',
      'Could not check DNS for api.example.com (EREFUSED).',
      false,
    ],
  ])('%s', (_name, lookup, status, summary, retry) => {
    const verdict = liveCheck({ ...live, ...dns(lookup) });
    const result = verdict.steps.find((entry) => entry.name === 'dns');
    expect(result?.status).toBe(status);
    expect(result?.summary).toContain(summary);
    expect(shouldRetryDns(lookup)).toBe(retry);
    expect(verdict.shouldRetry).toBe(retry);
  });

  it('shows what it found apart from what to do, which names the record', () => {
    const result = step(dns({ kind: 'nxdomain' }), 'dns');
    expect(result.summary).toBe('api.example.com does not resolve yet.');
    expect(result.action).toBe(
      'Point api.example.com at the NLB with a CNAME record `api.example.com` → `shared-0123.elb.eu-west-1.amazonaws.com`; ' +
        'a new record may take a few minutes to reach partners’ resolvers.',
    );
    expect(step(dns({ kind: 'nxdomain' }, true), 'dns').action).toContain('alias A record');
  });

  it('does not ask to wait for DNS when anything else fails too: waiting cannot fix that', () => {
    const verdict = liveCheck({ ...live, ...dns({ kind: 'nxdomain' }), tls: [refused('52.0.0.1'), refused('52.0.0.2')] });
    expect(verdict.shouldRetry).toBe(false);
    expect(verdict.waitingFor).toEqual([]);
  });
});

describe('waiting for what time fixes', () => {
  const pendingIngress: LiveCheckInput['route'] = { kind: 'Ingress', loadBalancer: [] };
  const nowhere: Partial<LiveCheckInput> = { dns: { lookup: { kind: 'nxdomain' }, zoneApex: false } };

  it('waits for a host that does not resolve yet', () => {
    expect(liveCheck({ ...live, ...nowhere })).toMatchObject({ shouldRetry: true, waitingFor: ['dns'] });
  });

  it('waits for a controller that has not reported on the route yet (ingress-nginx: about once a minute)', () => {
    expect(liveCheck({ ...live, route: pendingIngress })).toMatchObject({ shouldRetry: true, waitingFor: ['route'] });
    expect(liveCheck({ ...live, route: { kind: 'HTTPRoute', status: 'pending' } })).toMatchObject({ shouldRetry: true });
  });

  it('waits for the proxy’s fallback to give way while the route is not taken up, and for DNS with it', () => {
    const verdict = liveCheck({
      ...live,
      route: pendingIngress,
      ...nowhere,
      http: [http('52.0.0.1', FALLBACK), http('52.0.0.2', FALLBACK)],
    });
    expect(verdict).toMatchObject({ status: 'fail', shouldRetry: true, waitingFor: ['route', 'dns', 'http'] });
  });

  it('does not wait for a fallback answer once the route is taken up, nor for a refused route or a backend error', () => {
    expect(liveCheck({ ...live, http: [http('52.0.0.1', FALLBACK)] }).shouldRetry).toBe(false);
    const refused_ = { kind: 'HTTPRoute', status: { refused: true, reason: 'BackendNotFound', message: 'x' } } as const;
    expect(liveCheck({ ...live, route: refused_ }).shouldRetry).toBe(false);
    expect(liveCheck({ ...live, route: pendingIngress, http: [http('52.0.0.1', answer(503))] }).shouldRetry).toBe(false);
    expect(liveCheck({ ...live, route: { kind: 'unrouted', routes: 'Ingress' } }).shouldRetry).toBe(false);
  });
});

describe('TLS step', () => {
  it('names what the certificate covers when it does not cover the host', () => {
    const wrong = { validForHost: false, certificate: { ...tls('x').certificate, subject: 'shop.example.com' } } as const;
    const covering = ['shop.example.com', '*.shop.example.com'];
    const result = step(
      { tls: [tls('52.0.0.1', { ...wrong, certificate: { ...wrong.certificate, subjectAltNames: covering } }), tls('52.0.0.2', wrong)] },
      'tls',
    );
    expect(result.status).toBe('fail');
    expect(result.summary).toContain('52.0.0.1:443: the certificate covers shop.example.com, *.shop.example.com, not api.example.com');
    expect(result.action).toBe(
      'Attach an ACM certificate that covers api.example.com to the NLB’s TLS listener (an extra SNI certificate will do).',
    );
  });

  it.each<[string, Partial<Extract<TlsProbeResult, { ok: true }>>, string, string]>([
    [
      'an untrusted chain',
      { trusted: false, authorizationError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' },
      'the certificate is not trusted (UNABLE_TO_VERIFY_LEAF_SIGNATURE)',
      'NODE_EXTRA_CA_CERTS',
    ],
    [
      'an expired certificate',
      {
        trusted: false,
        authorizationError: 'CERT_HAS_EXPIRED',
        certificate: { ...tls('x').certificate, notAfter: new Date(NOW.getTime() - DAY), daysLeft: -1 },
      },
      'not trusted (CERT_HAS_EXPIRED)',
      'The certificate has expired',
    ],
    [
      'a certificate expiring within 14 days',
      { certificate: { ...tls('x').certificate, notAfter: new Date(NOW.getTime() + 10 * DAY), daysLeft: 10 } },
      'the certificate expires on 2026-10-11 (in 10 days)',
      'Renew the certificate before 2026-10-11',
    ],
    [
      'a certificate expiring in exactly 14 days',
      { certificate: { ...tls('x').certificate, notAfter: new Date(NOW.getTime() + 14 * DAY), daysLeft: 14 } },
      'expires on 2026-10-15 (in 14 days)',
      'Renew',
    ],
  ])('fails %s, saying what to do', (_name, overrides, summary, action) => {
    const result = step({ tls: [tls('52.0.0.1', overrides), tls('52.0.0.2', overrides)] }, 'tls');
    expect(result.status).toBe('fail');
    expect(result.summary).toContain(summary);
    expect(result.action).toContain(action);
  });

  it('passes a certificate with 15 days left, and says until when it is valid', () => {
    const certificate = { ...tls('x').certificate, notAfter: new Date(NOW.getTime() + 15 * DAY), daysLeft: 15 };
    const result = step({ tls: [tls('52.0.0.1', { certificate })] }, 'tls');
    expect(result).toEqual({
      name: 'tls',
      status: 'pass',
      summary: '52.0.0.1:443: a trusted certificate for api.example.com, valid until 2026-10-16.',
      action: undefined,
    });
  });

  it('names the one address of two that fails, and points at its zone', () => {
    const result = step({ tls: [tls('52.0.0.1'), refused('52.0.0.2')] }, 'tls');
    expect(result.status).toBe('fail');
    expect(result.summary).toBe('52.0.0.2:443: connection refused, ECONNREFUSED; 52.0.0.1:443 works.');
    expect(result.action).toBe('Only 52.0.0.2 fails: check the NLB’s targets in that Availability Zone with /health.');
  });

  it('says what to do when nothing answers, or a listener does not speak TLS', () => {
    expect(step({ tls: [refused('52.0.0.1'), refused('52.0.0.2')] }, 'tls').action).toContain(
      'check that the NLB has a listener on port 443 and healthy targets',
    );
    const alert: TlsProbeResult = { ...refused('52.0.0.1'), reason: 'tls', detail: 'ERR_SSL_WRONG_VERSION_NUMBER' };
    const result = step({ tls: [alert] }, 'tls');
    expect(result.summary).toBe('52.0.0.1:443: TLS handshake failed, ERR_SSL_WRONG_VERSION_NUMBER.');
    expect(result.action).toContain('make it a TLS listener with an ACM certificate');
  });

  it('is skipped without a TLS listener to probe', () => {
    expect(step({ tls: [] }, 'tls').status).toBe('skipped');
  });
});

describe('HTTP step', () => {
  it('fails when the host gets the answer an unknown host gets: the proxy’s fallback', () => {
    const result = step({ http: [http('52.0.0.1', FALLBACK), http('52.0.0.2', FALLBACK)] }, 'http');
    expect(result.status).toBe('fail');
    // The same finding on both addresses is said once, with both places.
    expect(result.summary).toBe(
      '52.0.0.1:443, 52.0.0.2:443: api.example.com got the answer an unknown host gets (HTTP 404): ' +
        'the proxy’s fallback answered, not the route.',
    );
    expect(result.action).toContain('The proxy does not serve the route');
  });

  it('passes with the status and the time per address', () => {
    expect(step({}, 'http')).toMatchObject({
      status: 'pass',
      summary: 'The route answers api.example.com: 52.0.0.1:443 HTTP 200 in 5 ms, 52.0.0.2:443 HTTP 200 in 5 ms.',
    });
  });

  it('passes an application 404 that differs from the fallback’s', () => {
    expect(step({ http: [http('52.0.0.1', answer(404, 'app-404'))] }, 'http').status).toBe('pass');
  });

  it('fails a backend error, naming it', () => {
    const result = step({ http: [http('52.0.0.1', answer(503)), http('52.0.0.2', answer(503))] }, 'http');
    expect(result.summary).toBe('52.0.0.1:443, 52.0.0.2:443: HTTP 503 for api.example.com /.');
    expect(result.action).toContain('check the Service’s endpoints');
  });

  it('names the one address of two without an answer', () => {
    const timeout: HttpAnswer = { ok: false, reason: 'timeout', detail: 'the HTTP answer took longer than 5000 ms', durationMs: 5000 };
    const result = step({ http: [http('52.0.0.1', answer(200)), http('52.0.0.2', timeout, undefined)] }, 'http');
    expect(result.status).toBe('fail');
    expect(result.summary).toBe(
      '52.0.0.2:443: no HTTP answer for api.example.com (no answer in time, the HTTP answer took longer than 5000 ms); 52.0.0.1:443 works.',
    );
    expect(result.action).toContain('Only 52.0.0.2 fails');
  });

  it('says when something that is not HTTP answers', () => {
    const garbage: HttpAnswer = { ok: false, reason: 'not-http', detail: 'HPE_INVALID_CONSTANT', durationMs: 1 };
    expect(step({ http: [http('52.0.0.1', garbage, undefined)] }, 'http').action).toContain('does not speak HTTP');
  });

  it('passes but says so when the unknown host could not be asked', () => {
    const result = step(
      { http: [http('52.0.0.1', answer(200), { ok: false, reason: 'reset', detail: 'ECONNRESET', durationMs: 1 })] },
      'http',
    );
    expect(result.status).toBe('pass');
    expect(result.summary).toContain('not compared with an unknown host on 52.0.0.1:443');
  });

  it('is skipped when TLS failed everywhere, so no request was sent', () => {
    expect(step({ http: [http('52.0.0.1', undefined, undefined)] }, 'http')).toMatchObject({
      status: 'skipped',
      summary: 'No HTTP request was sent: TLS failed.',
    });
  });
});

describe('a check that did not reach the host through the NLB', () => {
  it('is not called reachable when the NLB has no TLS listener, though nothing failed', () => {
    const verdict = liveCheck({ ...live, tls: [], http: [] });
    expect(verdict.status).toBe('unchecked');
    expect(verdict.summary).toBe('Nothing failed, but api.example.com was not checked through the NLB (not checked: tls, http).');
    expect(verdict.steps.find((entry) => entry.name === 'tls')?.summary).toBe('The NLB has no TLS listener: nothing was probed.');
    expect(verdict.shouldRetry).toBe(false);
  });

  it('says the probes were left out on purpose in a retry that waits for DNS only', () => {
    const verdict = liveCheck({ ...live, tls: [], http: [], probed: false });
    expect(verdict.status).toBe('unchecked');
    expect(verdict.steps.find((entry) => entry.name === 'http')?.summary).toBe(
      'Not asked this time: the check waits for DNS or the route first.',
    );
  });

  it('is reachable when the route read was skipped but a request reached the route', () => {
    const verdict = liveCheck({ ...live, route: undefined });
    expect(verdict.status).toBe('pass');
    expect(verdict.summary).toContain('(not checked: route)');
  });
});
