import type { RequestListener } from 'node:http';
import { App } from '@slack/bolt';
import { WebClient, type WebClientOptions } from '@slack/web-api';
import type { SlackConfig } from '../config.js';
import type { ConfigError } from '../errors.js';
import type { Logger } from '../logger.js';
import { SLACK_CALL_TIMEOUT_MS, SLACK_RETRIES } from '../tuning.js';
import { toBoltLogger } from './bolt-logger.js';
import { DeliveryLog, type Listeners } from './receiver/dispatch-request.js';
import { SlackHttpReceiver } from './receiver/http-receiver.js';
import { SupervisedSocketModeReceiver } from './receiver/socket-mode-receiver.js';
import { slackErrorCode } from './slack-error-code.js';

/**
 * The Bolt app and the way Slack reaches it. HTTP mode hands its request listener to the bot's own HTTP
 * server (which also serves /healthz, /readyz and /metrics); Socket Mode opens a WebSocket to Slack and
 * needs no public URL. Both check every request at the edge (receiver/slack-request.ts) before Bolt sees it,
 * and act on each delivery once. Listeners are registered on `app` and do not know which mode is in use.
 */
export interface SlackRuntime {
  readonly app: App;
  /** A Web API client with the bot token, for what is posted outside a request (alerts, the token check). */
  readonly client: WebClient;
  readonly mode: SlackConfig['mode'];
  /** HTTP mode only: handles POST /slack/events (signature verification on). */
  readonly requestListener: RequestListener | undefined;
  /**
   * Socket Mode: resolves after the first connection attempt (connected, or Slack unreachable and still
   * being retried); rejects with a ConfigError when Slack refuses the app-level token.
   */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** HTTP mode: always true (readiness then depends on the server listening); Socket Mode: the socket is open. */
  isConnected(): boolean;
  /** Settles when Slack refuses the app-level token after the start (Socket Mode); never in HTTP mode. */
  readonly fatal: Promise<ConfigError>;
}

export const SLACK_EVENTS_PATH = '/slack/events';

/** Bolt's WebClient wants the base URL with a trailing slash ("https://slack.com/api/"). */
export function slackApiBaseUrl(apiUrl: string | undefined): string | undefined {
  if (apiUrl === undefined) return undefined;
  return apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`;
}

export function createSlackRuntime(config: SlackConfig, logger: Logger, listeners: Listeners): SlackRuntime {
  const boltLogger = toBoltLogger(logger);
  const slackApiUrl = slackApiBaseUrl(config.apiUrl);
  const clientOptions: WebClientOptions = {
    ...(slackApiUrl === undefined ? {} : { slackApiUrl }),
    logger: boltLogger,
    // A bounded timeout and retries (a 429 waits for its Retry-After first): the library's default of 10
    // retries over half an hour would hold answers, notices and shutdown hostage.
    timeout: SLACK_CALL_TIMEOUT_MS,
    retryConfig: SLACK_RETRIES,
  };
  const client = new WebClient(config.botToken, clientOptions);
  // The bot token, as is: with `token` Bolt would run auth.test on its own in the constructor, whose
  // failure (a Slack hiccup at start) is an unhandled rejection that ends the process. The token is
  // checked once at start by checkBotToken instead, and the bot's own ids are not needed.
  const authorize = async () => ({ botToken: config.botToken });
  const deliveries = new DeliveryLog();
  const receiver =
    config.mode === 'socket' && config.appToken !== undefined
      ? new SupervisedSocketModeReceiver({
          appToken: config.appToken,
          apiUrl: slackApiUrl,
          logger,
          boltLogger,
          deliveries,
          listeners,
          reconnectMaxMs: config.reconnectMaxSeconds * 1000,
        })
      : new SlackHttpReceiver({ signingSecret: config.signingSecret, logger, boltLogger, deliveries, listeners });
  const app = new App({ authorize, receiver, logger: boltLogger, clientOptions });
  // Whatever a listener or middleware throws is logged here, not thrown back into the receiver.
  app.error(async (error) => {
    logger.error({ err: error }, 'a Slack listener failed');
  });
  if (receiver instanceof SupervisedSocketModeReceiver) {
    return {
      app,
      client,
      mode: 'socket',
      requestListener: undefined,
      start: () => receiver.start(),
      stop: () => receiver.stop(),
      isConnected: () => receiver.isConnected(),
      fatal: receiver.fatal,
    };
  }
  return {
    app,
    client,
    mode: 'http',
    requestListener: receiver.requestListener,
    start: async () => undefined,
    stop: async () => undefined,
    isConnected: () => true,
    fatal: new Promise<ConfigError>(() => undefined),
  };
}

/**
 * Asks Slack once whether it accepts the bot token, and says so in the log: an operator sees a wrong or
 * revoked token at start instead of at the first message the bot fails to post. Never throws.
 */
export async function checkBotToken(client: WebClient, logger: Logger): Promise<boolean> {
  try {
    const identity = await client.auth.test();
    logger.info({ team: identity.team, botUserId: identity.user_id }, 'Slack accepted the bot token');
    return true;
  } catch (error) {
    const code = slackErrorCode(error);
    if (code !== undefined) logger.error({ slackError: code }, `Slack rejected the bot token (${code}): check SLACK_BOT_TOKEN`);
    else logger.warn({ err: error }, 'could not reach Slack to check the bot token; commands are still answered');
    return false;
  }
}
