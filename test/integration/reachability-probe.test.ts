import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingHttpHeaders } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { type AddressInfo, createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer, rootCertificates } from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { isUserFacingError } from '../../src/errors.js';
import { ReachabilityProbe } from '../../src/ports/probe/reachability-probe.js';
import { loadTrustStore } from '../../src/ports/probe/trust-store.js';
import { createCertificateAuthority, createServerCertificate, days, type TestCertificate } from '../support/test-certificates.js';

const HOST = 'api.example.com';
const DEFAULT_BODY = '<html><body>default backend - 404</body></html>';

let ca: TestCertificate;
let covering: TestCertificate;
let otherName: TestCertificate;
let selfSigned: TestCertificate;
let expired: TestCertificate;
let expiringSoon: TestCertificate;
let caFile: string;
let dir: string;
const servers: Array<HttpsServer | NetServer> = [];
const sockets: Socket[] = [];

beforeAll(async () => {
  ca = await createCertificateAuthority();
  covering = await createServerCertificate({ commonName: HOST, dnsNames: [HOST, 'new.example.com'], issuer: ca });
  otherName = await createServerCertificate({
    commonName: 'shop.example.com',
    dnsNames: ['shop.example.com', '*.shop.example.com'],
    issuer: ca,
  });
  selfSigned = await createServerCertificate({ commonName: HOST, dnsNames: [HOST] });
  expired = await createServerCertificate({
    commonName: HOST,
    dnsNames: [HOST],
    issuer: ca,
    notBefore: new Date(Date.now() - days(60)),
    notAfter: new Date(Date.now() - days(2)),
  });
  expiringSoon = await createServerCertificate({
    commonName: HOST,
    dnsNames: [HOST],
    issuer: ca,
    notAfter: new Date(Date.now() + days(5)),
  });
  dir = mkdtempSync(join(tmpdir(), 'probe-ca-'));
  caFile = join(dir, 'extra-ca.pem');
  writeFileSync(caFile, ca.cert);
});

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(servers.splice(0).map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function listen<T extends HttpsServer | NetServer>(server: T): Promise<number> {
  servers.push(server);
  server.on('connection', (socket: Socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

interface Seen {
  servername: string | undefined;
  headers: IncomingHttpHeaders;
  url: string;
}

/** A shared proxy: it routes the hosts in `routes`; every other host gets its default 404 page. */
async function proxy(
  certificate: TestCertificate,
  routes: Record<string, { status: number; body: string | Buffer }> = { [HOST]: { status: 200, body: 'hello from api' } },
) {
  const seen: Seen[] = [];
  const server = createHttpsServer({ key: certificate.key, cert: certificate.cert }, (request, response) => {
    const tlsSocket = request.socket as { servername?: string | false };
    seen.push({ servername: tlsSocket.servername || undefined, headers: request.headers, url: request.url ?? '' });
    const route = routes[request.headers.host ?? ''];
    response.writeHead(route?.status ?? 404, { 'content-type': 'text/html' });
    response.end(route?.body ?? DEFAULT_BODY);
  });
  return { port: await listen(server), seen, server };
}

async function withCa() {
  return new ReachabilityProbe({ ca: (await loadTrustStore(caFile)).ca, connectTimeoutMs: 1000, responseTimeoutMs: 1000 });
}

describe('the TLS probe', () => {
  it('trusts a chain from the extra CA file, checks the name on its own and reports the certificate', async () => {
    const { port, seen } = await proxy(covering);
    const result = await (await withCa()).probe({ address: '127.0.0.1', port, host: HOST });
    expect(result.tls).toMatchObject({
      ok: true,
      address: '127.0.0.1',
      port,
      host: HOST,
      trusted: true,
      authorizationError: undefined,
      validForHost: true,
      certificate: { subject: HOST, subjectAltNames: [HOST, 'new.example.com'], issuer: 'Probe Test CA' },
    });
    if (!result.tls.ok) throw new Error('expected a handshake');
    expect(result.tls.certificate.daysLeft).toBeGreaterThanOrEqual(88);
    expect(result.tls.certificate.notAfter.getTime()).toBeGreaterThan(Date.now());
    expect(result.tls.durationMs).toBeGreaterThanOrEqual(0);
    expect(seen[0]?.servername).toBe(HOST);
  });

  it('does not trust the same chain with Node’s roots alone, and names the verification error', async () => {
    const { port } = await proxy(covering);
    const probe = new ReachabilityProbe({ ca: (await loadTrustStore(undefined)).ca });
    const { tls } = await probe.probe({ address: '127.0.0.1', port, host: HOST });
    expect(tls).toMatchObject({ ok: true, trusted: false, authorizationError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', validForHost: true });
  });

  it('reports a certificate that does not cover the host, with what it covers', async () => {
    const { port } = await proxy(otherName);
    const { tls } = await (await withCa()).probe({ address: '127.0.0.1', port, host: HOST });
    expect(tls).toMatchObject({
      ok: true,
      trusted: true,
      validForHost: false,
      certificate: { subject: 'shop.example.com', subjectAltNames: ['shop.example.com', '*.shop.example.com'] },
    });
    expect(tls.ok && tls.identityError).toContain(HOST);
  });

  it('reports a self-signed and an expired certificate as untrusted, with days left below zero', async () => {
    const self = await proxy(selfSigned);
    const old = await proxy(expired);
    const probe = await withCa();
    expect((await probe.probe({ address: '127.0.0.1', port: self.port, host: HOST })).tls).toMatchObject({
      trusted: false,
      authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT',
    });
    const { tls } = await probe.probe({ address: '127.0.0.1', port: old.port, host: HOST });
    expect(tls).toMatchObject({ trusted: false, authorizationError: 'CERT_HAS_EXPIRED' });
    expect(tls.ok && tls.certificate.daysLeft).toBeLessThan(0);
  });

  it('counts days left with the clock it is given', async () => {
    const { port } = await proxy(expiringSoon);
    const probe = new ReachabilityProbe({ ca: (await loadTrustStore(caFile)).ca, now: () => new Date(Date.now() + days(3)) });
    const { tls } = await probe.probe({ address: '127.0.0.1', port, host: HOST });
    expect(tls.ok && tls.certificate.daysLeft).toBe(1);
  });

  it('reads the extra CA file once: removing it later changes nothing; a missing or empty file is a clear error', async () => {
    const file = join(dir, 'once.pem');
    writeFileSync(file, `# our private CA\n${ca.cert}`);
    const store = await loadTrustStore(file);
    expect(store.extra).toBe(1);
    expect(store.ca.length).toBe(rootCertificates.length + 1);
    rmSync(file);
    const { port } = await proxy(covering);
    expect((await new ReachabilityProbe({ ca: store.ca }).probe({ address: '127.0.0.1', port, host: HOST })).tls).toMatchObject({
      trusted: true,
    });

    const missing = await loadTrustStore(file).catch((error: unknown) => error);
    expect(isUserFacingError(missing) && missing.code).toBe('not_configured');
    expect(isUserFacingError(missing) && missing.message).toBe(`The extra CA file ${file} cannot be read (ENOENT).`);
    writeFileSync(join(dir, 'empty.pem'), 'not a certificate');
    await expect(loadTrustStore(join(dir, 'empty.pem'))).rejects.toThrow('holds no PEM certificate');
    writeFileSync(join(dir, 'broken.pem'), '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    await expect(loadTrustStore(join(dir, 'broken.pem'))).rejects.toThrow('Certificate 1 of the extra CA file');
  });
});

describe('connection failures are values with a short reason', () => {
  async function closedPort(): Promise<number> {
    const server = createNetServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
  }

  it('refused', async () => {
    const result = await (await withCa()).probe({ address: '127.0.0.1', port: await closedPort(), host: HOST });
    expect(result.tls).toMatchObject({ ok: false, reason: 'refused', detail: 'ECONNREFUSED' });
    expect(result.http.answer).toBeUndefined();
  });

  it('a peer that accepts and never answers: timeout within the deadline', async () => {
    const port = await listen(createNetServer(() => undefined));
    const started = Date.now();
    const probe = new ReachabilityProbe({ ca: [], connectTimeoutMs: 300 });
    expect((await probe.probe({ address: '127.0.0.1', port, host: HOST })).tls).toMatchObject({ ok: false, reason: 'timeout' });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('reset', async () => {
    const port = await listen(createNetServer((socket) => socket.resetAndDestroy()));
    expect((await (await withCa()).probe({ address: '127.0.0.1', port, host: HOST })).tls).toMatchObject({ ok: false, reason: 'reset' });
  });

  it('a TLS alert from the server (no application protocol in common)', async () => {
    const server = createTlsServer({ key: covering.key, cert: covering.cert, ALPNCallback: () => undefined });
    const port = await listen(server);
    const { tls } = await (await withCa()).probe({ address: '127.0.0.1', port, host: HOST });
    expect(tls).toMatchObject({ ok: false, reason: 'tls' });
    expect(tls.ok ? '' : tls.detail).toMatch(/^ERR_SSL_/);
  });

  it('a listener that speaks plain HTTP, not TLS', async () => {
    const port = await listen(createHttpServer((_request, response) => response.end('plain')));
    expect((await (await withCa()).probe({ address: '127.0.0.1', port, host: HOST })).tls).toMatchObject({ ok: false, reason: 'tls' });
  });

  it('a TLS peer that does not speak HTTP', async () => {
    const server = createTlsServer({ key: covering.key, cert: covering.cert }, (socket) => {
      socket.on('error', () => undefined);
      socket.end('SSH-2.0-OpenSSH_9.6\r\n\r\n');
    });
    const port = await listen(server);
    const result = await (await withCa()).probe({ address: '127.0.0.1', port, host: HOST });
    expect(result.tls).toMatchObject({ ok: true, trusted: true });
    expect(result.http.answer).toMatchObject({ ok: false, reason: 'not-http' });
    expect(result.http.fallback).toBeUndefined();
  });

  it('a proxy that never answers the request: HTTP timeout after a good handshake', async () => {
    const server = createHttpsServer({ key: covering.key, cert: covering.cert }, () => undefined);
    const port = await listen(server);
    const probe = new ReachabilityProbe({ ca: (await loadTrustStore(caFile)).ca, responseTimeoutMs: 300 });
    const result = await probe.probe({ address: '127.0.0.1', port, host: HOST });
    expect(result.tls.ok).toBe(true);
    expect(result.http.answer).toMatchObject({ ok: false, reason: 'timeout', detail: 'the HTTP answer took longer than 300 ms' });
  });
});

describe('the HTTP probe and the fallback detector', () => {
  it('sends GET path with Host and Connection: close over the TLS connection, and digests the body', async () => {
    const { port, seen } = await proxy(covering);
    const result = await (await withCa()).probe({ address: '127.0.0.1', port, host: HOST, path: '/healthz' });
    expect(result.http).toMatchObject({
      address: '127.0.0.1',
      port,
      host: HOST,
      path: '/healthz',
      answer: { ok: true, status: 200, bodySha256: sha256('hello from api'), bodyBytes: 14, truncated: false },
      fallback: { ok: true, status: 404, bodySha256: sha256(DEFAULT_BODY) },
    });
    expect(seen[0]).toMatchObject({ url: '/healthz', headers: { host: HOST, connection: 'close' } });
    expect(seen[1]?.headers.host).toBe(result.http.fallbackHost);
    expect(result.http.fallbackHost).toMatch(/^nlb-bot-probe-[0-9a-f]{12}\.invalid$/);
    // The unknown host's connection still sends the host's SNI, as a partner's client would.
    expect(seen[1]?.servername).toBe(HOST);
  });

  it('sees the proxy’s fallback answer a host no route serves: same status, same digest', async () => {
    const { port } = await proxy(covering);
    const { http } = await (await withCa()).probe({ address: '127.0.0.1', port, host: 'new.example.com' });
    expect(http.answer).toMatchObject({ ok: true, status: 404 });
    expect(http.answer?.ok && http.fallback?.ok && http.answer.bodySha256 === http.fallback.bodySha256).toBe(true);
  });

  it('reads at most 64 KiB of the body and digests what it read', async () => {
    const big = Buffer.alloc(200 * 1024, 'x');
    const { port } = await proxy(covering, { [HOST]: { status: 200, body: big } });
    const { http } = await (await withCa()).probe({ address: '127.0.0.1', port, host: HOST });
    expect(http.answer).toMatchObject({
      ok: true,
      status: 200,
      bodyBytes: 64 * 1024,
      truncated: true,
      bodySha256: sha256(big.subarray(0, 65536)),
    });
  });

  it('keeps at most two probes in flight', async () => {
    let open = 0;
    let peak = 0;
    const server = createHttpsServer({ key: covering.key, cert: covering.cert }, (_request, response) => {
      setTimeout(() => response.end('slow'), 50);
    });
    server.on('secureConnection', (socket) => {
      open += 1;
      peak = Math.max(peak, open);
      socket.on('close', () => {
        open -= 1;
      });
    });
    const port = await listen(server);
    const probe = await withCa();
    const results = await Promise.all(Array.from({ length: 6 }, () => probe.probe({ address: '127.0.0.1', port, host: HOST })));
    expect(results.every((result) => result.http.answer?.ok === true)).toBe(true);
    expect(peak).toBeLessThanOrEqual(2);
    expect(peak).toBeGreaterThan(1);
  });
});

function sha256(body: string | Buffer): string {
  return createHash('sha256').update(body).digest('hex');
}
