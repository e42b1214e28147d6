import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import { checkServerIdentity, connect, type PeerCertificate, type SecureContext, type TLSSocket } from 'node:tls';
import type { PresentedCertificate, TlsProbeResult } from '../../domain/probe-result.js';
import { timeoutFailure, toProbeFailure } from './probe-failure.js';

export interface TlsTarget {
  /** An NLB address (IPv4 or IPv6). */
  readonly address: string;
  readonly port: number;
  /** Sent as SNI; the certificate is checked against it. */
  readonly host: string;
}

export interface TlsProbeOptions {
  /** Made once from the trust store (Node's roots plus the extra CA file): parsing ~150 roots per connection is waste. */
  readonly secureContext: SecureContext;
  /** TCP connect plus handshake, at most. */
  readonly timeoutMs: number;
  readonly now: () => Date;
}

/** A handshake that succeeded, with its socket still open for the HTTP request; or the result alone. */
export type TlsConnection = { readonly result: TlsProbeResult; readonly socket: TLSSocket | undefined };

const DAY_MS = 86_400_000;

/**
 * Connects to address:port with SNI = host and reports what a partner's client would decide: whether the
 * chain verifies against the trust store and whether the certificate names the host, kept apart (Node's own
 * check would merge them into one error). The handshake completes even for an untrusted certificate, so the
 * certificate can be shown and the route still asked. Never rejects: a failure is a result.
 */
export function openTlsConnection(target: TlsTarget, options: TlsProbeOptions): Promise<TlsConnection> {
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  return new Promise<TlsConnection>((resolve) => {
    let settled = false;
    const finish = (connection: TlsConnection) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(connection);
    };
    const socket = connect({
      host: target.address,
      port: target.port,
      ...(isIP(target.host) === 0 ? { servername: target.host } : {}),
      secureContext: options.secureContext,
      rejectUnauthorized: false,
      // Identity is checked below, on its own, so `authorized` says only whether the chain is trusted.
      checkServerIdentity: () => undefined,
      ALPNProtocols: ['http/1.1'],
    });
    const timer = setTimeout(() => {
      socket.destroy();
      finish({ result: { ...target, ...timeoutFailure('the TLS handshake', options.timeoutMs, elapsed()) }, socket: undefined });
    }, options.timeoutMs);
    // Stays attached after the handshake: an error while the socket waits for its request must not go unhandled.
    socket.on('error', (error) => {
      socket.destroy();
      finish({ result: { ...target, ...toProbeFailure(error, elapsed()) }, socket: undefined });
    });
    socket.once('secureConnect', () => {
      const durationMs = Math.round(elapsed());
      const peer = socket.getPeerCertificate();
      if (peer === null || Object.keys(peer).length === 0) {
        socket.destroy();
        finish({ result: { ...target, ok: false, reason: 'tls', detail: 'no certificate presented', durationMs }, socket: undefined });
        return;
      }
      const identity = checkServerIdentity(target.host, peer);
      const authorizationError = socket.authorized ? undefined : errorCode(socket.authorizationError);
      const result: TlsProbeResult = {
        ...target,
        ok: true,
        trusted: socket.authorized,
        authorizationError,
        validForHost: identity === undefined,
        identityError: identity === undefined ? undefined : identity.message,
        certificate: presented(peer, options.now()),
        protocol: socket.getProtocol() ?? undefined,
        durationMs,
      };
      finish({ result, socket });
    });
  });
}

function presented(peer: PeerCertificate, now: Date): PresentedCertificate {
  const notAfter = new Date(peer.valid_to);
  const subjectAltNames = (peer.subjectaltname ?? '')
    .split(/,\s*/)
    .filter((entry) => entry.startsWith('DNS:'))
    .map((entry) => entry.slice('DNS:'.length));
  return {
    subject: nameOf(peer.subject),
    subjectAltNames,
    issuer: nameOf(peer.issuer),
    notAfter,
    daysLeft: Math.floor((notAfter.getTime() - now.getTime()) / DAY_MS),
    fingerprint256: peer.fingerprint256,
  };
}

/** The common name, or the other fields of a distinguished name when it has none. */
function nameOf(name: PeerCertificate['subject'] | undefined): string {
  if (name === undefined) return '';
  const commonName = name.CN;
  if (commonName !== undefined) return Array.isArray(commonName) ? commonName.join(', ') : commonName;
  return Object.entries(name)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : String(value)}`)
    .join(', ');
}

/** Node gives authorizationError as OpenSSL's code string, although its type says Error. */
function errorCode(error: unknown): string {
  if (typeof error === 'string') return error;
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : String((error as { message?: unknown } | undefined)?.message ?? 'unknown');
}
