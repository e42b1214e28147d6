/**
 * What a live probe of one NLB address found: the TLS handshake with SNI = the host, then one HTTP request
 * over that connection. The probes (src/ports/probe/) produce these values; the live-check verdict reads them.
 * A failure is a value, never an exception: the probe talks to the outside, which may answer anything.
 */

/** Why a connection or a request did not give an answer. */
export const ProbeFailureReason = {
  Refused: 'refused',
  Timeout: 'timeout',
  Reset: 'reset',
  /** The TLS handshake failed: an alert from the server, or a peer that does not speak TLS. */
  Tls: 'tls',
  /** The server answered bytes that are not an HTTP response. */
  NotHttp: 'not-http',
  Unreachable: 'unreachable',
  Other: 'error',
} as const;
export type ProbeFailureReason = (typeof ProbeFailureReason)[keyof typeof ProbeFailureReason];

export interface ProbeFailure {
  readonly ok: false;
  readonly reason: ProbeFailureReason;
  /** A short technical detail (an error code such as ECONNREFUSED or ERR_SSL_TLSV1_ALERT_INTERNAL_ERROR). */
  readonly detail: string;
  readonly durationMs: number;
}

/** The certificate the server presented, as partners' clients see it. */
export interface PresentedCertificate {
  /** The subject's common name, or the whole subject when it has none. */
  readonly subject: string;
  /** The DNS names of its subjectAltName extension. */
  readonly subjectAltNames: readonly string[];
  readonly issuer: string;
  readonly notAfter: Date;
  /** Whole days from the probe's clock to notAfter (negative once expired). */
  readonly daysLeft: number;
  readonly fingerprint256: string;
}

export interface TlsHandshake {
  readonly ok: true;
  /** Whether the chain verifies against the trust store (Node's roots plus the extra CA file). */
  readonly trusted: boolean;
  /** OpenSSL's verification code when not trusted, e.g. UNABLE_TO_VERIFY_LEAF_SIGNATURE, CERT_HAS_EXPIRED. */
  readonly authorizationError: string | undefined;
  /** tls.checkServerIdentity: the certificate names the host. */
  readonly validForHost: boolean;
  readonly identityError: string | undefined;
  readonly certificate: PresentedCertificate;
  readonly protocol: string | undefined;
  readonly durationMs: number;
}

/** One TLS probe: an address and port of the NLB, asked for one host. */
export type TlsProbeResult = { readonly address: string; readonly port: number; readonly host: string } & (TlsHandshake | ProbeFailure);

export interface HttpResponseSeen {
  readonly ok: true;
  readonly status: number;
  /** sha256 (hex) of the first bodyBytes bytes of the body. */
  readonly bodySha256: string;
  readonly bodyBytes: number;
  /** The body was longer than the probe reads; the digest covers the first part only. */
  readonly truncated: boolean;
  readonly durationMs: number;
}

export type HttpAnswer = HttpResponseSeen | ProbeFailure;

/**
 * The route's answer next to the proxy's answer for a host nobody routes (a random `.invalid` name) on the
 * same address and port. Equal status and body digest mean the proxy's fallback answered the host too.
 */
export interface HttpProbeResult {
  readonly address: string;
  readonly port: number;
  readonly host: string;
  readonly path: string;
  /** The answer for the host; undefined when the TLS handshake failed, so no request was sent. */
  readonly answer: HttpAnswer | undefined;
  readonly fallbackHost: string;
  /** The answer for the unknown host; undefined when it was not asked (the host got no answer). */
  readonly fallback: HttpAnswer | undefined;
}

/** The same answer twice: the route does not serve the host, the proxy's fallback does. */
export function isFallbackAnswer(answer: HttpAnswer | undefined, fallback: HttpAnswer | undefined): boolean {
  return answer?.ok === true && fallback?.ok === true && answer.status === fallback.status && answer.bodySha256 === fallback.bodySha256;
}
