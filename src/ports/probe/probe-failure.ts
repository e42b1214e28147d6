import type { ProbeFailure, ProbeFailureReason } from '../../domain/probe-result.js';

/**
 * A socket, TLS or HTTP parser error as a probe failure: a short reason and the error's code. The detail is shown
 * in Slack: a TLS library's own words without a code are kept (they say what the handshake met); any other
 * message could be the bot's own (a bug), so it is not.
 */
export function toProbeFailure(error: unknown, durationMs: number): ProbeFailure {
  const code = String((error as { code?: unknown } | undefined)?.code ?? '');
  const message = error instanceof Error ? error.message : String(error);
  const reason = reasonOf(code, message);
  const detail = code !== '' ? code : reason === 'tls' ? shorten(message) : 'unexpected error';
  return { ok: false, reason, detail, durationMs: Math.round(durationMs) };
}

export function timeoutFailure(step: string, timeoutMs: number, durationMs: number): ProbeFailure {
  return { ok: false, reason: 'timeout', detail: `${step} took longer than ${timeoutMs} ms`, durationMs: Math.round(durationMs) };
}

function reasonOf(code: string, message: string): ProbeFailureReason {
  if (code === 'ECONNREFUSED') return 'refused';
  if (code === 'ETIMEDOUT') return 'timeout';
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNABORTED') return 'reset';
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EADDRNOTAVAIL' || code === 'EHOSTDOWN') return 'unreachable';
  if (code.startsWith('HPE_')) return 'not-http';
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || code === 'EPROTO' || /\bSSL\b|TLS/.test(message)) return 'tls';
  return 'error';
}

function shorten(text: string): string {
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}
