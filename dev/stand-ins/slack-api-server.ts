import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type WebSocket, WebSocketServer } from 'ws';
import { listenLocal, readBody, sendJson, sendText } from './http-util.js';

/**
 * A local Slack: the Web API methods the bot calls (POST /api/<method>, form or JSON bodies, bearer
 * token, `{ ok, error }` answers, 429 with Retry-After when rate limiting is switched on) and the
 * `response_url` endpoints the bot answers slash commands and clicks through (POST /response/<id>).
 * Everything posted is kept in order, and emitted as a 'posted' event for the sandbox console.
 * Socket Mode too: apps.connections.open (with the app token) hands out a ws:// URL on this server,
 * which says "hello" and delivers envelopes that the client must acknowledge.
 * views.publish checks what Slack checks of a Home tab (a home view of at most 100 blocks, under 250 kB)
 * and keeps the last view published for each user, emitted as a 'home' event.
 */

export interface SlackMessageRecord {
  readonly channel: string;
  ts: string;
  readonly threadTs: string | undefined;
  text: string | undefined;
  blocks: unknown[] | undefined;
  /** chat.postEphemeral and ephemeral responses: the only user who sees it. */
  readonly ephemeralTo: string | undefined;
  /** How the message arrived: a Web API method or "response_url". */
  readonly via: string;
  /** Set by chat.update and by responses with replace_original. */
  updated: number;
  deleted: boolean;
}

export interface SlackApiCall {
  readonly method: string;
  readonly args: Readonly<Record<string, unknown>>;
  /** 200, or 429 when the call was rate limited. */
  readonly status: number;
  readonly at: number;
}

export interface ResponseUrlPost {
  readonly id: string;
  readonly body: Readonly<Record<string, unknown>>;
}

/** A Home tab as views.publish stored it for one user: the view as Slack answers it (with id and hash). */
export interface PublishedHomeView {
  readonly user: string;
  readonly view: Readonly<Record<string, unknown>> & { readonly type: 'home'; readonly blocks: unknown[] };
  readonly publishedAt: Date;
}

/** Slack's limits on a Home tab: 100 blocks, 250 kB of view JSON. */
export const HOME_VIEW_MAX_BLOCKS = 100;
export const VIEW_MAX_BYTES = 250_000;

export interface SlackApiServer {
  readonly url: string;
  /** The base URL for SLACK_API_URL (".../api/"). */
  readonly apiUrl: string;
  readonly botToken: string;
  readonly botUserId: string;
  readonly calls: SlackApiCall[];
  /** chat.postMessage / chat.postEphemeral / response_url messages, in order. */
  readonly messages: SlackMessageRecord[];
  readonly responses: ResponseUrlPost[];
  /** The last Home tab view published (views.publish) for each user ID. */
  readonly homeViews: Map<string, PublishedHomeView>;
  /** 'posted' and 'updated' (a SlackMessageRecord), 'home' (a PublishedHomeView). */
  readonly events: EventEmitter;
  /** A fresh response_url; `context` is what the sandbox console needs to show the answer. */
  responseUrl(context?: { channel: string; user: string; threadTs?: string; messageTs?: string }): string;
  /** The next `times` calls of `method` answer 429 with Retry-After: `retryAfterSeconds`. */
  rateLimit(method: string, retryAfterSeconds: number, times?: number): void;
  /** The next `times` calls of `method` answer `{ ok: false, error }`. */
  failMethod(method: string, error: string, times?: number): void;
  /**
   * Shows a message the way Slack itself does, without a Web API call: the immediate answer in a slash
   * command's HTTP response (via "ack"), or a notice from Slack such as a failed command (via "slackbot").
   */
  deliver(message: {
    channel: string;
    text?: string;
    blocks?: unknown[];
    ephemeralTo?: string;
    threadTs?: string;
    via: 'ack' | 'slackbot';
  }): SlackMessageRecord;
  /** Messages (not ephemeral, not replies) in a channel. */
  channelMessages(channel: string): SlackMessageRecord[];
  threadReplies(channel: string, threadTs: string): SlackMessageRecord[];
  /** The app-level token Socket Mode clients must open connections with. */
  readonly appToken: string;
  /** Open Socket Mode connections. */
  socketConnections(): number;
  /** The close codes of the Socket Mode connections that ended, in order (1000: a normal closure by the client). */
  readonly socketCloseCodes: number[];
  /**
   * Makes Slack unreachable at the network level for these Web API methods (their connections are reset
   * before an answer), until `reachable` is called; e.g. apps.connections.open during an outage.
   */
  unreachable(...methods: string[]): void;
  reachable(): void;
  /** From now on apps.connections.open refuses the app-level token (invalid_auth), as after a revocation. */
  revokeAppToken(): void;
  /** Sends a raw WebSocket message to every Socket Mode connection (a malformed envelope, say). */
  sendRaw(text: string): void;
  /** Ends every Socket Mode connection without a word, as a network failure does. */
  cutSockets(): void;
  /** Sends a Socket Mode envelope (e.g. type "slash_commands") and resolves with the client's acknowledgement. */
  sendEnvelope(type: string, payload: unknown, timeoutMs?: number, retryAttempt?: number): Promise<Record<string, unknown>>;
  /**
   * Delivers an Events API event over Socket Mode, as Slack does: an `events_api` envelope whose payload is the
   * event_callback body (slack-signing.ts appHomeOpenedEvent builds one); resolves with the acknowledgement.
   */
  sendEvent(body: Readonly<Record<string, unknown>>, timeoutMs?: number, retryAttempt?: number): Promise<Record<string, unknown>>;
  /** Closes every Socket Mode connection (as Slack does when it refreshes them). */
  dropSockets(): void;
  close(): Promise<void>;
}

export async function startSlackApiServer(
  options: { port?: number; botToken?: string; botUserId?: string; appToken?: string } = {},
): Promise<SlackApiServer> {
  const botToken = options.botToken ?? 'xoxb-stand-in-token';
  const appToken = options.appToken ?? 'xapp-1-stand-in-app-token';
  const sockets = new Set<WebSocket>();
  const socketCloseCodes: number[] = [];
  const unreachableMethods = new Set<string>();
  let appTokenRevoked = false;
  const acks = new Map<string, (ack: Record<string, unknown>) => void>();
  const socketServer = new WebSocketServer({ noServer: true });
  const botUserId = options.botUserId ?? 'UBOTSTANDIN';
  const calls: SlackApiCall[] = [];
  const messages: SlackMessageRecord[] = [];
  const responses: ResponseUrlPost[] = [];
  const homeViews = new Map<string, PublishedHomeView>();
  let viewCounter = 0;
  const events = new EventEmitter();
  const rateLimits = new Map<string, { seconds: number; remaining: number }>();
  const failures = new Map<string, { error: string; remaining: number }>();
  const responseContexts = new Map<string, { channel: string; user: string; threadTs?: string; messageTs?: string }>();
  let tsCounter = 0;
  let responseCounter = 0;
  const nextTs = () => {
    tsCounter += 1;
    return `${Math.floor(Date.now() / 1000)}.${String(tsCounter).padStart(6, '0')}`;
  };

  const local = await listenLocal((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendText(response, 500, String(error));
    });
  }, options.port);

  local.server.on('upgrade', (request, socket, head) => {
    if (!(request.url ?? '').startsWith('/socket-mode')) {
      socket.destroy();
      return;
    }
    socketServer.handleUpgrade(request, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', (code) => {
        sockets.delete(ws);
        socketCloseCodes.push(code);
      });
      ws.on('message', (data) => {
        try {
          const message = JSON.parse(String(data)) as Record<string, unknown>;
          const envelopeId = message['envelope_id'];
          if (typeof envelopeId === 'string') acks.get(envelopeId)?.(message);
        } catch {
          // not JSON: ignored, as Slack would
        }
      });
      ws.send(
        JSON.stringify({
          type: 'hello',
          num_connections: sockets.size,
          debug_info: { host: 'stand-in' },
          connection_info: { app_id: 'ASTANDIN' },
        }),
      );
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const raw = await readBody(request);
    if (url.pathname.startsWith('/response/')) {
      // As Slack: JSON only. A web page can send a "simple" cross-origin POST (form or text/plain) to a
      // loopback port, but not one with a JSON content type.
      if (request.method !== 'POST' || !(request.headers['content-type'] ?? '').includes('application/json')) {
        sendText(response, 400, 'invalid_payload');
        return;
      }
      handleResponseUrl(url.pathname.slice('/response/'.length), raw, response);
      return;
    }
    const match = /^\/api\/([a-zA-Z.]+)$/.exec(url.pathname);
    if (match === null || request.method !== 'POST') {
      sendJson(response, 404, { ok: false, error: 'unknown_method' });
      return;
    }
    const method = match[1] ?? '';
    if (unreachableMethods.has(method)) {
      request.socket.destroy();
      return;
    }
    const args = parseArgs(raw, request.headers['content-type']);
    const token = String(request.headers.authorization ?? '').replace(/^Bearer /, '') || String(args['token'] ?? '');
    const limit = rateLimits.get(method);
    if (limit !== undefined && limit.remaining > 0) {
      limit.remaining -= 1;
      calls.push({ method, args, status: 429, at: Date.now() });
      response.writeHead(429, { 'retry-after': String(limit.seconds), 'content-type': 'application/json' });
      response.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
      return;
    }
    calls.push({ method, args, status: 200, at: Date.now() });
    const expected = method === 'apps.connections.open' ? appToken : botToken;
    if (token !== expected && (token === appToken || token === botToken)) {
      // The other token of the app: Slack says it is the wrong kind (an app-level token cannot post, a bot token cannot connect).
      sendJson(response, 200, { ok: false, error: 'not_allowed_token_type' });
      return;
    }
    if (token !== expected || (method === 'apps.connections.open' && appTokenRevoked)) {
      sendJson(response, 200, { ok: false, error: 'invalid_auth' });
      return;
    }
    const failure = failures.get(method);
    if (failure !== undefined && failure.remaining > 0) {
      failure.remaining -= 1;
      sendJson(response, 200, { ok: false, error: failure.error });
      return;
    }
    if (method === 'apps.connections.open') {
      sendJson(response, 200, { ok: true, url: `${local.url.replace(/^http/, 'ws')}/socket-mode?ticket=${randomUUID()}` });
      return;
    }
    sendJson(response, 200, callMethod(method, args));
  }

  function callMethod(method: string, args: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://stand-in.slack.local/',
          team: 'Stand-in',
          user: 'nlb-bot',
          team_id: 'TSTANDIN',
          user_id: botUserId,
          bot_id: 'BSTANDIN',
        };
      case 'chat.postMessage': {
        const channel = String(args['channel'] ?? '');
        if (channel === '') return { ok: false, error: 'channel_not_found' };
        if (args['text'] === undefined && args['blocks'] === undefined) return { ok: false, error: 'no_text' };
        const record = store({
          channel,
          threadTs: optionalString(args['thread_ts']),
          text: optionalString(args['text']),
          blocks: blocksOf(args),
          ephemeralTo: undefined,
          via: 'chat.postMessage',
        });
        return { ok: true, channel, ts: record.ts, message: { text: record.text, ts: record.ts, blocks: record.blocks } };
      }
      case 'chat.postEphemeral': {
        const channel = String(args['channel'] ?? '');
        const user = String(args['user'] ?? '');
        if (channel === '' || user === '') return { ok: false, error: 'invalid_arguments' };
        const record = store({
          channel,
          threadTs: optionalString(args['thread_ts']),
          text: optionalString(args['text']),
          blocks: blocksOf(args),
          ephemeralTo: user,
          via: 'chat.postEphemeral',
        });
        return { ok: true, message_ts: record.ts };
      }
      case 'chat.update': {
        const record = messages.find(
          (message) => message.channel === args['channel'] && message.ts === args['ts'] && message.ephemeralTo === undefined,
        );
        if (record === undefined) return { ok: false, error: 'message_not_found' };
        if (args['text'] !== undefined) record.text = String(args['text']);
        if (args['blocks'] !== undefined) record.blocks = blocksOf(args);
        record.updated += 1;
        events.emit('updated', record);
        return { ok: true, channel: record.channel, ts: record.ts, text: record.text };
      }
      case 'views.publish':
        return publishHomeView(args);
      case 'conversations.open': {
        const users = String(args['users'] ?? '');
        return users === ''
          ? { ok: false, error: 'users_list_not_supplied' }
          : { ok: true, channel: { id: `D${users.replace(/[^A-Z0-9]/g, '')}` } };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  /**
   * views.publish as Slack answers it: user_id and view are required (the view as a JSON string, or an object in
   * a JSON body); only a `home` view is published; at most 100 blocks and 250 kB, else invalid_arguments with
   * Slack's messages, or view_too_large; a `hash` that is not the current view's is a hash_conflict.
   */
  function publishHomeView(args: Record<string, unknown>): Record<string, unknown> {
    const invalid = (message: string) => ({ ok: false, error: 'invalid_arguments', response_metadata: { messages: [message] } });
    const user = args['user_id'];
    if (typeof user !== 'string' || user === '') return invalid('[ERROR] missing required field: user_id');
    if (!/^[UW][A-Z0-9]{2,}$/.test(user)) return invalid('invalid `user_id`');
    const raw = args['view'];
    if (raw === undefined || raw === null || raw === '') return invalid('[ERROR] missing required field: view');
    const text = typeof raw === 'string' ? raw : JSON.stringify(raw);
    if (Buffer.byteLength(text) > VIEW_MAX_BYTES) return { ok: false, error: 'view_too_large' };
    let view: unknown;
    try {
      view = typeof raw === 'string' ? JSON.parse(raw) : raw;
    } catch {
      return invalid('[ERROR] invalid json [json-pointer:/view]');
    }
    if (view === null || typeof view !== 'object' || Array.isArray(view)) return invalid('[ERROR] must be an object [json-pointer:/view]');
    const fields = view as Record<string, unknown>;
    if (fields['type'] !== 'home')
      return invalid('[ERROR] must be a home view: views.publish publishes the Home tab [json-pointer:/view/type]');
    const blocks = fields['blocks'];
    if (!Array.isArray(blocks)) return invalid('[ERROR] missing required field: blocks [json-pointer:/view]');
    if (blocks.length > HOME_VIEW_MAX_BLOCKS) {
      return invalid(`[ERROR] no more than ${HOME_VIEW_MAX_BLOCKS} items allowed [json-pointer:/view/blocks]`);
    }
    const current = homeViews.get(user);
    if (args['hash'] !== undefined && args['hash'] !== '' && args['hash'] !== current?.view['hash']) {
      return { ok: false, error: 'hash_conflict' };
    }
    // A user's Home tab keeps its view id across publishes, as in Slack; the hash changes with every one.
    let id = current?.view['id'];
    if (typeof id !== 'string') {
      viewCounter += 1;
      id = `VSTANDIN${String(viewCounter).padStart(4, '0')}`;
    }
    const published: PublishedHomeView = {
      user,
      view: {
        ...fields,
        type: 'home',
        blocks,
        id,
        team_id: 'TSTANDIN',
        app_id: 'ASTANDIN',
        bot_id: 'BSTANDIN',
        hash: `${Math.floor(Date.now() / 1000)}.${randomUUID().slice(0, 8)}`,
        root_view_id: id,
        previous_view_id: null,
        state: { values: {} },
      },
      publishedAt: new Date(),
    };
    homeViews.set(user, published);
    events.emit('home', published);
    return { ok: true, view: published.view };
  }

  function sendEnvelope(type: string, payload: unknown, timeoutMs = 5000, retryAttempt = 0): Promise<Record<string, unknown>> {
    const socket = [...sockets][0];
    if (socket === undefined) return Promise.reject(new Error('no Socket Mode connection is open'));
    const envelopeId = randomUUID();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        acks.delete(envelopeId);
        reject(new Error(`envelope ${type} was not acknowledged within ${timeoutMs} ms`));
      }, timeoutMs);
      acks.set(envelopeId, (ack) => {
        clearTimeout(timer);
        acks.delete(envelopeId);
        resolve(ack);
      });
      socket.send(
        JSON.stringify({
          envelope_id: envelopeId,
          type,
          payload,
          accepts_response_payload: type !== 'events_api',
          retry_attempt: retryAttempt,
          retry_reason: '',
        }),
      );
    });
  }

  function handleResponseUrl(id: string, raw: string, response: ServerResponse): void {
    const context = responseContexts.get(id);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      sendText(response, 400, 'invalid_payload');
      return;
    }
    if (context === undefined) {
      sendText(response, 404, 'expired_url');
      return;
    }
    responses.push({ id, body });
    if (body['delete_original'] === true && context.messageTs !== undefined) {
      const original = messages.find((message) => message.ts === context.messageTs);
      if (original !== undefined) {
        original.deleted = true;
        events.emit('updated', original);
      }
    } else if (body['replace_original'] === true && context.messageTs !== undefined) {
      const original = messages.find((message) => message.ts === context.messageTs);
      if (original !== undefined) {
        original.text = optionalString(body['text']);
        original.blocks = blocksOf(body);
        original.updated += 1;
        events.emit('updated', original);
      }
    } else {
      const inChannel = body['response_type'] === 'in_channel';
      store({
        channel: context.channel,
        threadTs: optionalString(body['thread_ts']) ?? context.threadTs,
        text: optionalString(body['text']),
        blocks: blocksOf(body),
        ephemeralTo: inChannel ? undefined : context.user,
        via: 'response_url',
      });
    }
    sendText(response, 200, 'ok');
  }

  function store(message: Omit<SlackMessageRecord, 'ts' | 'updated' | 'deleted'>): SlackMessageRecord {
    const record: SlackMessageRecord = { ...message, ts: nextTs(), updated: 0, deleted: false };
    messages.push(record);
    events.emit('posted', record);
    return record;
  }

  return {
    url: local.url,
    apiUrl: `${local.url}/api/`,
    botToken,
    botUserId,
    calls,
    messages,
    responses,
    homeViews,
    events,
    responseUrl(context = { channel: 'CSTANDIN', user: 'USTANDIN' }) {
      responseCounter += 1;
      // Unguessable, like Slack's: knowing the port is not enough to post into the console.
      const id = `r${responseCounter}-${randomUUID().slice(0, 8)}`;
      responseContexts.set(id, context);
      return `${local.url}/response/${id}`;
    },
    rateLimit(method, retryAfterSeconds, times = 1) {
      rateLimits.set(method, { seconds: retryAfterSeconds, remaining: times });
    },
    failMethod(method, error, times = 1) {
      failures.set(method, { error, remaining: times });
    },
    deliver: (message) =>
      store({
        channel: message.channel,
        threadTs: message.threadTs,
        text: message.text,
        blocks: message.blocks,
        ephemeralTo: message.ephemeralTo,
        via: message.via,
      }),
    channelMessages: (channel) =>
      messages.filter((message) => message.channel === channel && message.ephemeralTo === undefined && message.threadTs === undefined),
    threadReplies: (channel, threadTs) => messages.filter((message) => message.channel === channel && message.threadTs === threadTs),
    appToken,
    socketConnections: () => sockets.size,
    socketCloseCodes,
    unreachable(...methods) {
      for (const method of methods) unreachableMethods.add(method);
    },
    reachable() {
      unreachableMethods.clear();
    },
    revokeAppToken() {
      appTokenRevoked = true;
    },
    sendRaw(text) {
      for (const socket of sockets) socket.send(text);
    },
    cutSockets() {
      for (const socket of sockets) socket.terminate();
    },
    sendEnvelope,
    sendEvent: (body, timeoutMs, retryAttempt) => sendEnvelope('events_api', body, timeoutMs, retryAttempt),
    dropSockets() {
      for (const socket of sockets) {
        socket.send(JSON.stringify({ type: 'disconnect', reason: 'refresh_requested', debug_info: { host: 'stand-in' } }));
        socket.close(1001, 'refresh_requested');
      }
    },
    close: async () => {
      for (const socket of sockets) socket.terminate();
      socketServer.close();
      await local.close();
    },
  };
}

function parseArgs(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (raw === '') return {};
  if (contentType?.includes('application/json') === true) {
    try {
      return JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return {};
    }
  }
  return Object.fromEntries(new URLSearchParams(raw).entries());
}

function blocksOf(args: Record<string, unknown>): unknown[] | undefined {
  const blocks = args['blocks'];
  if (blocks === undefined) return undefined;
  if (typeof blocks === 'string') {
    try {
      return JSON.parse(blocks) as unknown[];
    } catch {
      return undefined;
    }
  }
  return Array.isArray(blocks) ? blocks : undefined;
}

function optionalString(value: unknown): string | undefined {
  return value === undefined || value === null || value === '' ? undefined : String(value);
}
