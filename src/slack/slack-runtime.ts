import type { RequestListener } from 'node:http';
import { App, HTTPReceiver, SocketModeReceiver } from '@slack/bolt';
import type { SlackConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { toBoltLogger } from './bolt-logger.js';

/**
 * The Bolt app and the way Slack reaches it. HTTP mode hands its request listener to the bot's own HTTP
 * server (which also serves /healthz, /readyz and /metrics); Socket Mode opens a WebSocket to Slack and
 * needs no public URL. Listeners are registered on `app` and do not know which one is in use.
 */
export interface SlackRuntime {
  readonly app: App;
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
  const clientOptions = slackApiUrl === undefined ? {} : { slackApiUrl };

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
    const app = new App({ token: config.botToken, receiver, logger: boltLogger, clientOptions });
    return {
      app,
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
  const app = new App({ token: config.botToken, receiver, logger: boltLogger, clientOptions });
  return {
    app,
    mode: 'http',
    requestListener: receiver.requestListener,
    start: async () => undefined,
    stop: async () => undefined,
    isConnected: () => true,
  };
}
