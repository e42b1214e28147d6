import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { TLSSocket } from 'node:tls';
import type { HttpAnswer } from '../../domain/probe-result.js';
import { timeoutFailure, toProbeFailure } from './probe-failure.js';

export interface HttpRequestOptions {
  /** The Host header. */
  readonly host: string;
  readonly path: string;
  /** From sending the request to the end of the body (or of what is read of it), at most. */
  readonly timeoutMs: number;
  /** Bytes of the body read and digested, at most; the rest is not read. */
  readonly maxBodyBytes: number;
}

/**
 * One HTTP/1.1 GET over an open TLS connection (node:http's client and parser on the given socket),
 * `Connection: close`. Reads at most maxBodyBytes of the body and digests them with sha256. Always
 * destroys the socket; never rejects.
 */
export function requestOverSocket(socket: TLSSocket, options: HttpRequestOptions): Promise<HttpAnswer> {
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  return new Promise<HttpAnswer>((resolve) => {
    let settled = false;
    const finish = (answer: HttpAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => finish(timeoutFailure('the HTTP answer', options.timeoutMs, elapsed())), options.timeoutMs);
    let outgoing: ReturnType<typeof request>;
    try {
      outgoing = request({
        createConnection: () => socket,
        method: 'GET',
        path: options.path,
        headers: { host: options.host, connection: 'close', 'user-agent': 'nlb-ingress-bot-probe', accept: '*/*' },
      });
    } catch (error) {
      // A path or host that node:http refuses to send (the caller validates them; this is the last guard).
      finish(toProbeFailure(error, elapsed()));
      return;
    }
    outgoing.on('error', (error) => finish(toProbeFailure(error, elapsed())));
    outgoing.on('response', (response) => {
      const hash = createHash('sha256');
      let bytes = 0;
      let truncated = false;
      const done = () =>
        finish({
          ok: true,
          status: response.statusCode ?? 0,
          bodySha256: hash.digest('hex'),
          bodyBytes: bytes,
          truncated,
          durationMs: Math.round(elapsed()),
        });
      response.on('data', (chunk: Buffer) => {
        if (settled) return;
        const room = options.maxBodyBytes - bytes;
        const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
        hash.update(part);
        bytes += part.length;
        if (chunk.length > room) {
          truncated = true;
          done();
        }
      });
      response.on('end', done);
      // A server that closes mid-body: node:http reports it as an error (ECONNRESET, "aborted").
      response.on('error', (error) => finish(toProbeFailure(error, elapsed())));
    });
    outgoing.end();
  });
}
