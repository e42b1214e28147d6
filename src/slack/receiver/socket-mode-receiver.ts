import { setTimeout as sleep } from 'node:timers/promises';
import type { App, Logger as BoltLogger, Receiver } from '@slack/bolt';
import { SocketModeClient } from '@slack/socket-mode';
import type { WebClientOptions } from '@slack/web-api';
import { ConfigError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { SLACK_CALL_TIMEOUT_MS, SOCKET_CONNECT_TIMEOUT_MS, SOCKET_RECONNECT_FIRST_MS } from '../../tuning.js';
import { slackErrorCode } from '../slack-error-code.js';
import { type DeliveryLog, dispatchRequest, type Listeners } from './dispatch-request.js';
import { readSocketModeRequest } from './slack-request.js';

export interface SocketModeReceiverOptions {
  readonly appToken: string;
  /** The Web API base URL (SLACK_API_URL), named in the log when Slack cannot be reached. */
  readonly apiUrl: string | undefined;
  readonly logger: Logger;
  readonly boltLogger: BoltLogger;
  readonly deliveries: DeliveryLog;
  readonly listeners: Listeners;
  /** The longest wait between two connection attempts (SOCKET_MODE_RECONNECT_MAX_SECONDS). */
  readonly reconnectMaxMs: number;
}

/** Slack's answers that mean the app-level token itself is wrong: retrying cannot help. */
const REFUSED_TOKEN = new Set([
  'invalid_auth',
  'not_authed',
  'not_allowed_token_type',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'missing_scope',
]);

/**
 * Socket Mode that no outage ends. The Socket Mode client's own reconnect loop treats a network failure of
 * apps.connections.open as final and leaves its rejection unhandled, so it is switched off and this receiver
 * supervises instead: it reconnects forever, at once after a dropped connection, then with doubling delays
 * (capped, with jitter), logging each attempt. Only a token Slack refuses stops it: at start, start() rejects
 * with a ConfigError naming SLACK_APP_TOKEN; later, `fatal` settles with one.
 */
export class SupervisedSocketModeReceiver implements Receiver {
  private app: App | undefined;
  private readonly client: SocketModeClient;
  private connected = false;
  private stopping = false;
  private failures = 0;
  private readonly stopped = new AbortController();
  private supervision: Promise<void> | undefined;
  private resolveFatal: (error: ConfigError) => void = () => undefined;
  /** Settles when Slack refuses the app-level token after the bot has started. */
  readonly fatal = new Promise<ConfigError>((resolve) => {
    this.resolveFatal = resolve;
  });

  constructor(private readonly options: SocketModeReceiverOptions) {
    const clientOptions: WebClientOptions = {
      ...(options.apiUrl === undefined ? {} : { slackApiUrl: options.apiUrl }),
      logger: options.boltLogger,
      timeout: SLACK_CALL_TIMEOUT_MS,
      // One call per attempt: the delays between attempts are this receiver's.
      retryConfig: { retries: 0 },
    };
    this.client = new SocketModeClient({
      appToken: options.appToken,
      logger: options.boltLogger,
      autoReconnectEnabled: false,
      clientOptions,
    });
    this.guardIncomingMessages();
    this.client.on('connected', () => {
      this.connected = true;
      this.failures = 0;
      options.logger.info('Socket Mode connection open');
    });
    this.client.on('disconnected', () => {
      if (this.connected && !this.stopping) options.logger.warn('Socket Mode connection lost; reconnecting');
      this.connected = false;
    });
    this.client.on('slack_event', (event: SocketEvent) => {
      void this.receive(event);
    });
  }

  init(app: App): void {
    this.app = app;
  }

  isConnected(): boolean {
    return this.connected;
  }

  /**
   * The first attempt decides only one thing: whether Slack accepts the token. Connected or not (Slack
   * unreachable), the bot starts and the supervision keeps trying in the background.
   */
  async start(): Promise<void> {
    const first = await this.attempt();
    this.supervision = this.supervise(first);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.stopped.abort();
    // Closes the socket with 1000 (normal closure); bounded, as the peer may not answer.
    await Promise.race([this.client.disconnect(), sleep(2000, undefined, { ref: false })]);
    await this.supervision;
  }

  private async supervise(state: 'connected' | 'failed'): Promise<void> {
    let current = state;
    while (!this.stopping) {
      if (current === 'connected') await this.untilDisconnected();
      if (this.stopping) return;
      const delayMs = this.delayMs();
      if (this.failures > 0) this.options.logger.info({ attempt: this.failures + 1, delayMs }, 'Socket Mode: next connection attempt');
      await sleep(delayMs, undefined, { signal: this.stopped.signal, ref: false }).catch(() => undefined);
      if (this.stopping) return;
      try {
        current = await this.attempt();
      } catch (error) {
        this.options.logger.fatal(
          { reason: (error as Error).message },
          'Slack refused the app-level token; the bot cannot receive anything',
        );
        this.resolveFatal(error as ConfigError);
        return;
      }
    }
  }

  /** One connection attempt: 'connected', 'failed' (retry later), or a ConfigError when the token is refused. */
  private async attempt(): Promise<'connected' | 'failed'> {
    const { logger, apiUrl } = this.options;
    const timeoutMs = SOCKET_CONNECT_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        timedOut = true;
        reject(new Error(`Slack did not say hello within ${timeoutMs} ms`));
      }, timeoutMs);
    });
    try {
      await Promise.race([this.client.start(), deadline]);
      return 'connected';
    } catch (error) {
      const code = slackErrorCode(error);
      if (code !== undefined && REFUSED_TOKEN.has(code)) {
        throw new ConfigError([
          `SLACK_APP_TOKEN was refused by Slack (${code}): give the app-level token (xapp-...) with the connections:write scope`,
        ]);
      }
      this.failures += 1;
      const where = apiUrl ?? 'https://slack.com/api/';
      const reason = code ?? (error instanceof Error ? error.message : String(error));
      logger.warn(
        { attempt: this.failures, reason, slackApiUrl: where },
        `Socket Mode: could not connect to Slack at ${where} (${reason}); retrying`,
      );
      // A socket that opened but never said hello is closed before the next attempt (bounded: it may be dead).
      if (timedOut) await Promise.race([this.client.disconnect(), sleep(2000, undefined, { ref: false })]);
      return 'failed';
    } finally {
      clearTimeout(timer);
    }
  }

  /** At once after a dropped connection; then doubling from the first delay up to the cap, with jitter. */
  private delayMs(): number {
    if (this.failures === 0) return 0;
    const maxMs = this.options.reconnectMaxMs;
    const base = Math.min(maxMs, SOCKET_RECONNECT_FIRST_MS * 2 ** Math.min(this.failures - 1, 30));
    return Math.round(base * (0.5 + Math.random() / 2));
  }

  private untilDisconnected(): Promise<void> {
    if (!this.connected) return Promise.resolve();
    return new Promise((resolve) => this.client.once('disconnected', () => resolve()));
  }

  private async receive(event: SocketEvent): Promise<void> {
    const { logger } = this.options;
    const ack = async (response?: unknown) => {
      await event.ack(response as Record<string, unknown> | undefined).catch((error: unknown) => {
        logger.warn({ reason: (error as Error).message }, 'Socket Mode: could not acknowledge an envelope');
      });
    };
    try {
      const read = readSocketModeRequest(event.type, event.body);
      if (!read.ok) {
        logger.warn({ reason: read.reason }, 'refused a malformed Slack request (acknowledged); nothing was done');
        await ack();
        return;
      }
      const request = read.request;
      const app = this.app;
      if (request.kind === 'ssl_check' || request.kind === 'url_verification' || app === undefined) {
        await ack();
        return;
      }
      const retry = {
        num: typeof event.retry_num === 'number' ? event.retry_num : undefined,
        reason: typeof event.retry_reason === 'string' ? event.retry_reason : undefined,
      };
      await dispatchRequest({ app, logger, deliveries: this.options.deliveries, listeners: this.options.listeners }, request, ack, retry);
    } catch (error) {
      logger.error({ err: error }, 'a Socket Mode envelope could not be handled');
    }
  }

  /**
   * The client parses every WebSocket message in an async listener that reads `payload.event.type` of an
   * events_api envelope unchecked; a malformed envelope would reject with nobody to catch it. The same
   * parser runs here with its rejection owned.
   */
  private guardIncomingMessages(): void {
    const client = this.client as unknown as { onWebSocketMessage?: (data: unknown, isBinary: boolean) => Promise<void> };
    const parse = client.onWebSocketMessage?.bind(this.client);
    if (parse === undefined) return;
    this.client.removeAllListeners('ws_message');
    this.client.on('ws_message', (data: unknown, isBinary: boolean) => {
      parse(data, isBinary).catch((error: unknown) => {
        this.options.logger.warn(
          { reason: (error as Error).message },
          'refused a malformed Slack request (acknowledged); nothing was done',
        );
        // Acknowledged, so Slack does not deliver it again.
        const envelopeId = envelopeIdOf(data);
        const send = (this.client as unknown as { send(id: string): Promise<void> }).send.bind(this.client);
        if (envelopeId !== undefined) send(envelopeId).catch(() => undefined);
      });
    });
  }
}

function envelopeIdOf(data: unknown): string | undefined {
  try {
    const text = typeof data === 'string' ? data : new TextDecoder().decode(data as ArrayBuffer);
    const id = (JSON.parse(text) as { envelope_id?: unknown } | null)?.envelope_id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

interface SocketEvent {
  readonly ack: (response?: Record<string, unknown>) => Promise<void>;
  readonly type: unknown;
  readonly body: unknown;
  readonly retry_num?: unknown;
  readonly retry_reason?: unknown;
}
