import { createServer, type RequestListener, type Server } from 'node:http';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import { HTTP_HEADERS_TIMEOUT_MS, HTTP_REQUEST_TIMEOUT_MS } from '../tuning.js';

export interface HttpServerOptions {
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly isReady: () => boolean;
  /** POST /slack/events, in HTTP mode. */
  readonly slack: { readonly path: string; readonly listener: RequestListener } | undefined;
}

/**
 * The bot's one HTTP server: /healthz (the process is alive), /readyz (Slack requests are being
 * received), /metrics (Prometheus), and in HTTP mode the Slack endpoint.
 */
export function createHttpServer(options: HttpServerOptions): Server {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const method = request.method ?? 'GET';
    if (options.slack !== undefined && path === options.slack.path && method === 'POST') {
      try {
        options.slack.listener(request, response);
      } catch (error) {
        options.logger.error({ err: error }, 'Slack request could not be handled');
        if (!response.headersSent) response.writeHead(500).end();
      }
      return;
    }
    if (method !== 'GET' && method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    switch (path) {
      case '/healthz':
        plain(response, 200, 'ok\n');
        return;
      case '/readyz': {
        const ready = options.isReady();
        plain(response, ready ? 200 : 503, ready ? 'ready\n' : 'not ready\n');
        return;
      }
      case '/metrics':
        options.metrics.registry.metrics().then(
          (body) => {
            response.writeHead(200, { 'content-type': options.metrics.registry.contentType });
            response.end(body);
          },
          (error: unknown) => {
            options.logger.error({ err: error }, 'metrics could not be collected');
            plain(response, 500, 'metrics unavailable\n');
          },
        );
        return;
      default:
        plain(response, 404, 'not found\n');
    }
  });
  // Slow or stalled clients must not hold sockets open forever.
  server.requestTimeout = HTTP_REQUEST_TIMEOUT_MS;
  server.headersTimeout = HTTP_HEADERS_TIMEOUT_MS;
  return server;
}

function plain(response: import('node:http').ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  response.end(body);
}
