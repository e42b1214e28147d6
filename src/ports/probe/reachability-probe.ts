import { randomBytes } from 'node:crypto';
import { createSecureContext, type SecureContext } from 'node:tls';
import pLimit, { type LimitFunction } from 'p-limit';
import type { HttpAnswer, HttpProbeResult, TlsProbeResult } from '../../domain/probe-result.js';
import { requestOverSocket } from './http-probe.js';
import { toProbeFailure } from './probe-failure.js';
import { openTlsConnection, type TlsTarget } from './tls-probe.js';

export interface ProbeTarget extends TlsTarget {
  /** The path to GET; `/` when absent. */
  readonly path?: string;
}

export interface ReachabilityResult {
  readonly tls: TlsProbeResult;
  readonly http: HttpProbeResult;
}

/** What commands call to check a host live; tests hand in a fake. */
export interface ReachabilityProber {
  /** TLS with SNI = host, then GET path over that connection, then the same GET for an unknown host. Never rejects. */
  probe(target: ProbeTarget): Promise<ReachabilityResult>;
}

export interface ReachabilityProbeOptions {
  /** Node's roots plus the extra CA file (loadTrustStore). */
  readonly ca: readonly string[];
  /** TCP connect plus TLS handshake, at most (default 3 s). */
  readonly connectTimeoutMs?: number;
  /** From the request to the end of the body read, at most (default 5 s). */
  readonly responseTimeoutMs?: number;
  /** Body bytes read and digested (default 64 KiB). */
  readonly maxBodyBytes?: number;
  /** Probes in flight at once (each holds at most one connection at a time); default: 2 at a time. */
  readonly limit?: LimitFunction;
  readonly now?: () => Date;
  /** The host name nobody routes; default `nlb-bot-probe-<random>.invalid` (RFC 2606: never a real name). */
  readonly unknownHost?: () => string;
  /**
   * Where a connection to an NLB address really goes; the address itself by default. The sandbox sends its
   * NLB's (made-up public) addresses to a local stand-in of the proxy, so nothing leaves the machine.
   */
  readonly dial?: (address: string, port: number) => { readonly address: string; readonly port: number };
}

export const PROBE_CONNECT_TIMEOUT_MS = 3000;
export const PROBE_RESPONSE_TIMEOUT_MS = 5000;
export const PROBE_MAX_BODY_BYTES = 64 * 1024;
export const PROBE_CONCURRENCY = 2;

/**
 * Live probes of one host through the NLB's addresses. The fallback detector asks the same address and port
 * for a host no route serves: when that answer has the same status and body digest as the host's, the proxy's
 * fallback (its default server) answered the host, so the route is not serving. Bounded: a deadline per step
 * and at most `limit` probes at once, so a /check of many addresses cannot open many sockets.
 */
export class ReachabilityProbe implements ReachabilityProber {
  private readonly limit: LimitFunction;
  private readonly connectTimeoutMs: number;
  private readonly responseTimeoutMs: number;
  private readonly maxBodyBytes: number;
  private readonly now: () => Date;
  private readonly unknownHost: () => string;
  private readonly ca: readonly string[];
  /** Built at the first probe: ~150 parsed roots are memory a bot that never probes need not hold. */
  private context: SecureContext | undefined;
  private readonly dial: (address: string, port: number) => { readonly address: string; readonly port: number };

  constructor(options: ReachabilityProbeOptions) {
    this.ca = options.ca;
    this.limit = options.limit ?? pLimit(PROBE_CONCURRENCY);
    this.connectTimeoutMs = options.connectTimeoutMs ?? PROBE_CONNECT_TIMEOUT_MS;
    this.responseTimeoutMs = options.responseTimeoutMs ?? PROBE_RESPONSE_TIMEOUT_MS;
    this.maxBodyBytes = options.maxBodyBytes ?? PROBE_MAX_BODY_BYTES;
    this.now = options.now ?? (() => new Date());
    this.unknownHost = options.unknownHost ?? (() => `nlb-bot-probe-${randomBytes(6).toString('hex')}.invalid`);
    this.dial = options.dial ?? ((address, port) => ({ address, port }));
  }

  private get secureContext(): SecureContext {
    this.context ??= createSecureContext({ ca: [...this.ca] });
    return this.context;
  }

  probe(target: ProbeTarget): Promise<ReachabilityResult> {
    return this.limit(() => this.probeNow(target)).catch((error: unknown) => {
      // The limiter or a bug: still a value, as the contract says.
      const failure = toProbeFailure(error, 0);
      const { address, port, host } = target;
      return {
        tls: { address, port, host, ...failure },
        http: { address, port, host, path: target.path ?? '/', answer: failure, fallbackHost: '', fallback: undefined },
      };
    });
  }

  private async probeNow(target: ProbeTarget): Promise<ReachabilityResult> {
    const { address, port, host } = target;
    const path = target.path ?? '/';
    const fallbackHost = this.unknownHost();
    const tlsOptions = { secureContext: this.secureContext, timeoutMs: this.connectTimeoutMs, now: this.now };
    const connection = await this.connect({ address, port, host }, tlsOptions);
    const base = { address, port, host, path, fallbackHost };
    if (connection.socket === undefined) return { tls: connection.result, http: { ...base, answer: undefined, fallback: undefined } };
    const answer = await this.ask(connection.socket, host, path);
    // Without an answer for the host there is nothing to compare; the unknown host is not asked.
    const fallback = answer.ok ? await this.askUnknownHost({ address, port, host }, fallbackHost, path) : undefined;
    return { tls: connection.result, http: { ...base, answer, fallback } };
  }

  /** SNI stays the host's, as a partner's client sends it; only the Host header names nobody's route. */
  private async askUnknownHost(target: TlsTarget, fallbackHost: string, path: string): Promise<HttpAnswer> {
    const connection = await this.connect(target, {
      secureContext: this.secureContext,
      timeoutMs: this.connectTimeoutMs,
      now: this.now,
    });
    if (connection.socket === undefined) {
      const { result } = connection;
      return result.ok
        ? { ok: false, reason: 'error', detail: 'no connection', durationMs: result.durationMs }
        : { ok: false, reason: result.reason, detail: result.detail, durationMs: result.durationMs };
    }
    return this.ask(connection.socket, fallbackHost, path);
  }

  /** A connection to where the target is dialled, reported as the target (the NLB's address and port). */
  private async connect(target: TlsTarget, options: Parameters<typeof openTlsConnection>[1]) {
    const dialled = this.dial(target.address, target.port);
    const connection = await openTlsConnection({ ...dialled, host: target.host }, options);
    return { ...connection, result: { ...connection.result, address: target.address, port: target.port } };
  }

  private ask(socket: Parameters<typeof requestOverSocket>[0], host: string, path: string): Promise<HttpAnswer> {
    return requestOverSocket(socket, { host, path, timeoutMs: this.responseTimeoutMs, maxBodyBytes: this.maxBodyBytes });
  }
}
