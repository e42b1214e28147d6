import type { RequestListener } from 'node:http';
import { App, HTTPReceiver, SocketModeReceiver } from '@slack/bolt';
import { WebClient, type WebClientOptions } from '@slack/web-api';
import type { SlackConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { SLACK_CALL_TIMEOUT_MS, SLACK_RETRIES } from '../tuning.js';
import { toBoltLogger } from './bolt-logger.js';
import { slackErrorCode } from './slack-error-code.js';

/**
 * The Bolt app and the way Slack reaches it. HTTP mode hands its request listener to the bot's own HTTP
 * server (which also serves /healthz, /readyz and /metrics); Socket Mode opens a WebSocket to Slack and
 * needs no public URL. Listeners are registered on `app` and do not know which one is in use.
 */
export interface SlackRuntime {
  readonly app: App;
  /** A Web API client with the bot token, for what is posted outside a request (alerts, the token check). */
  readonly client: WebClient;
  readonly mode: SlackConfig['mode'];
  /** HTTP mode only: handles POST /slack/events (signature verification on). */
  readonly requestListener: RequestListener | undefined;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** HTTP mode: always true (readiness then depends on the server listening); Socket Mode: the socket is open. */
  isConnected(): boolean;
}

export const SLACK_EVENTS_PATH = '/slack/events';

/** Bolt's WebClient wants the base URL with a trailing slash ("https://slack.com/api/"). */
export function slackApiBaseUrl(apiUrl: string | undefined): string | undefined {
  if (apiUrl === undefined) return undefined;
  return apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`;
}

export function createSlackRuntime(config: SlackConfig, logger: Logger): SlackRuntime {
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
  // checked once at start by checkBotToken instead, and the bot's own ids are not needed (it reads no
  // message events).
  const authorize = async () => ({ botToken: config.botToken });

  if (config.mode === 'socket' && config.appToken !== undefined) {
    const receiver = new SocketModeReceiver({
      appToken: config.appToken,
      logger: boltLogger,
      installerOptions: { clientOptions },
    });
    let connected = false;
    receiver.client.on('connected', () => {
      connected = true;
      logger.info('Socket Mode connection open');
    });
    // 'close' is the socket closing; the client waits before it emits 'reconnecting', and the bot is not
    // reachable meanwhile.
    for (const state of ['close', 'disconnected', 'reconnecting', 'disconnecting'] as const) {
      receiver.client.on(state, () => {
        if (connected) logger.warn({ state }, 'Socket Mode connection lost');
        connected = false;
      });
    }
    const app = new App({ authorize, receiver, logger: boltLogger, clientOptions });
    return {
      app,
      client,
      mode: 'socket',
      requestListener: undefined,
      start: async () => {
        await app.start();
      },
      stop: async () => {
        await app.stop();
      },
      isConnected: () => connected,
    };
  }

  const receiver = new HTTPReceiver({
    signingSecret: config.signingSecret,
    endpoints: [SLACK_EVENTS_PATH],
    signatureVerification: true,
    logger: boltLogger,
  });
  const app = new App({ authorize, receiver, logger: boltLogger, clientOptions });
  return {
    app,
    client,
    mode: 'http',
    requestListener: receiver.requestListener,
    start: async () => undefined,
    stop: async () => undefined,
    isConnected: () => true,
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
