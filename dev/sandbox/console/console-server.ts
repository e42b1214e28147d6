import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { z } from 'zod';
import type { Logger } from '../../../src/logger.js';
import { listenLocal, readBody, sendJson, sendText } from '../../stand-ins/http-util.js';
import { findButton, parseElementPosition } from '../../stand-ins/slack-buttons.js';
import type { SandboxChannel, SandboxUser } from '../sandbox-directory.js';
import { BOT_DISPLAY_NAME, sandboxDirectory } from '../sandbox-directory.js';
import type { WorldSimulation } from '../world-simulation.js';
import { applyControl } from './apply-control.js';
import { buildTimeline } from './build-timeline.js';
import { findConversation } from './find-conversation.js';
import { renderHome } from './render-home.js';
import type { CommandEcho, MessageContext } from './render-message.js';
import { renderWorld } from './render-world.js';
import { sendClick } from './send-click.js';
import { sendHomeOpened } from './send-home-opened.js';
import { sendSlashCommand } from './send-slash-command.js';
import type { SlackSide } from './slack-side.js';

export interface ConsoleServerOptions extends SlackSide {
  readonly world: WorldSimulation;
  readonly users: readonly SandboxUser[];
  readonly channels: readonly SandboxChannel[];
  /** 0 picks a free port. */
  readonly port: number;
  readonly logger: Logger;
}

export interface ConsoleServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const commandSchema = z.object({ user: z.string(), channel: z.string(), text: z.string().min(1).max(4000) });
const clickSchema = z.object({
  user: z.string(),
  channel: z.string(),
  ts: z.string(),
  block: z.number().int().min(0),
  element: z.union([z.number().int().min(0), z.literal('accessory')]),
});
const homeSchema = z.object({ user: z.string() });

/**
 * The sandbox's web console on 127.0.0.1: a Slack-like page (channels, messages, a composer, the
 * sandbox controls, the app's Home tab) and the JSON endpoints behind it. Commands, clicks and opening the
 * Home tab become signed requests to the bot; what the bot posts or publishes to the Slack stand-in reaches
 * the page through server-sent events.
 * Only pages served from this origin may call the endpoints (Host and Origin are checked, and JSON
 * bodies need a CORS preflight that is never granted): another website open in the same browser
 * cannot drive the bot.
 */
export async function startConsoleServer(options: ConsoleServerOptions): Promise<ConsoleServer> {
  const assets = readAssets();
  const echoes: CommandEcho[] = [];
  const streams = new Set<ServerResponse>();
  const directory = sandboxDirectory(options.slack.botUserId);
  let allowedHosts = new Set<string>();

  const notify = (kind: 'messages' | 'world' | 'home') => {
    for (const stream of streams) stream.write(`data: ${JSON.stringify({ kind })}\n\n`);
  };
  const onMessages = () => notify('messages');
  const onWorld = () => notify('world');
  const onHome = () => notify('home');
  options.slack.events.on('posted', onMessages);
  options.slack.events.on('updated', onMessages);
  options.slack.events.on('home', onHome);
  options.world.events.on('changed', onWorld);
  const heartbeat = setInterval(() => {
    for (const stream of streams) stream.write(': keep-alive\n\n');
  }, 15_000);
  heartbeat.unref();

  const userOf = (id: unknown) => options.users.find((user) => user.id === id);
  const conversation = (channel: string, user: SandboxUser) => findConversation(channel, user, options.channels, options.slack.messages);

  const local = await listenLocal((request, response) => {
    void route(request, response).catch((error: unknown) => {
      options.logger.error({ err: error }, 'sandbox console request failed');
      if (!response.headersSent) sendJson(response, 500, { error: 'The console could not handle this request; see the log.' });
    });
  }, options.port);
  allowedHosts = new Set([`127.0.0.1:${local.port}`, `localhost:${local.port}`]);

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const method = request.method ?? 'GET';
    // DNS rebinding: a foreign name that resolves to 127.0.0.1 carries its own Host header.
    if (!allowedHosts.has(request.headers.host ?? '')) {
      sendText(response, 403, 'forbidden host\n');
      return;
    }
    if (method === 'GET') {
      serveGet(url, response);
      return;
    }
    if (method !== 'POST') {
      response.writeHead(405, { allow: 'GET, POST' }).end();
      return;
    }
    const origin = request.headers.origin;
    if (
      (origin !== undefined && !allowedHosts.has(origin.replace(/^http:\/\//, ''))) ||
      !String(request.headers['content-type'] ?? '').startsWith('application/json')
    ) {
      sendJson(response, 403, { error: 'Only the console page may send this.' });
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(await readBody(request, 64 * 1024));
    } catch {
      sendJson(response, 400, { error: 'The body must be JSON.' });
      return;
    }
    if (url.pathname === '/api/command') await postCommand(body, response);
    else if (url.pathname === '/api/click') await postClick(body, response);
    else if (url.pathname === '/api/home') await postHome(body, response);
    else if (url.pathname.startsWith('/api/controls/')) postControl(url.pathname.slice('/api/controls/'.length), body, response);
    else sendJson(response, 404, { error: 'No such endpoint.' });
  }

  function serveGet(url: URL, response: ServerResponse): void {
    switch (url.pathname) {
      case '/':
        asset(response, assets.page, 'text/html; charset=utf-8');
        return;
      case '/console.css':
        asset(response, assets.style, 'text/css; charset=utf-8');
        return;
      case '/console.js':
        asset(response, assets.script, 'text/javascript; charset=utf-8');
        return;
      case '/api/directory':
        sendJson(response, 200, {
          users: options.users,
          channels: options.channels,
          botName: BOT_DISPLAY_NAME,
        });
        return;
      case '/api/channels': {
        const user = userOf(url.searchParams.get('user'));
        if (user === undefined) {
          sendJson(response, 400, { error: 'Unknown user.' });
          return;
        }
        const ids = [
          ...options.channels.map((channel) => channel.id),
          ...new Set(options.slack.messages.map((message) => message.channel)),
        ];
        const visible = [...new Set([...ids, `D${user.id}`])].flatMap((id) => {
          const found = conversation(id, user);
          if (found === undefined) return [];
          const entries = buildTimeline(options.slack.messages, echoes, found.ids, messageContext(user)).length;
          return [{ id, name: found.name, direct: found.direct, entries }];
        });
        sendJson(response, 200, { channels: visible });
        return;
      }
      case '/api/timeline': {
        const user = userOf(url.searchParams.get('user'));
        const found = user === undefined ? undefined : conversation(url.searchParams.get('channel') ?? '', user);
        if (user === undefined || found === undefined) {
          sendJson(response, 404, { error: 'Unknown user or channel.' });
          return;
        }
        sendJson(response, 200, { entries: buildTimeline(options.slack.messages, echoes, found.ids, messageContext(user)) });
        return;
      }
      case '/api/home': {
        const user = userOf(url.searchParams.get('user'));
        if (user === undefined) {
          sendJson(response, 404, { error: 'Unknown user.' });
          return;
        }
        const published = options.slack.homeViews.get(user.id);
        sendJson(response, 200, {
          html: renderHome(published, directory, BOT_DISPLAY_NAME),
          publishedAt: published?.publishedAt.toISOString() ?? null,
          hash: typeof published?.view['hash'] === 'string' ? published.view['hash'] : null,
        });
        return;
      }
      case '/api/world':
        sendJson(response, 200, worldAnswer());
        return;
      case '/api/events':
        response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
        response.write(': connected\n\n');
        streams.add(response);
        response.on('close', () => streams.delete(response));
        return;
      default:
        sendText(response, 404, 'not found\n');
    }
  }

  async function postCommand(body: unknown, response: ServerResponse): Promise<void> {
    const parsed = commandSchema.safeParse(body);
    const user = parsed.success ? userOf(parsed.data.user) : undefined;
    const found = parsed.success && user !== undefined ? conversation(parsed.data.channel, user) : undefined;
    if (!parsed.success || user === undefined || found === undefined) {
      sendJson(response, 400, { error: 'A command needs a known user, a channel they can see and some text.' });
      return;
    }
    const text = parsed.data.text.trim();
    if (!/^\/[a-z0-9_-]+(\s|$)/i.test(text)) {
      sendJson(response, 400, { error: 'The sandbox sends slash commands only: start with /, for example /ips.' });
      return;
    }
    echoes.push({ position: options.slack.messages.length, channel: parsed.data.channel, user: user.id, text, at: new Date() });
    notify('messages');
    const sent = await sendSlashCommand(options, {
      user: user.id,
      userName: user.name.toLowerCase(),
      channel: parsed.data.channel,
      channelName: found.name,
      text,
    });
    sendJson(response, 200, sent);
  }

  async function postClick(body: unknown, response: ServerResponse): Promise<void> {
    const parsed = clickSchema.safeParse(body);
    const user = parsed.success ? userOf(parsed.data.user) : undefined;
    const found = parsed.success && user !== undefined ? conversation(parsed.data.channel, user) : undefined;
    if (!parsed.success || user === undefined || found === undefined) {
      sendJson(response, 400, { error: 'A click needs a known user, a channel they can see, a message and a button.' });
      return;
    }
    const { ts, block } = parsed.data;
    const message = options.slack.messages.find(
      (candidate) =>
        found.ids.has(candidate.channel) &&
        candidate.ts === ts &&
        !candidate.deleted &&
        (candidate.ephemeralTo === undefined || candidate.ephemeralTo === user.id),
    );
    const position = parseElementPosition(parsed.data.element);
    const button = message === undefined || position === undefined ? undefined : findButton(message.blocks, block, position);
    if (message === undefined || button === undefined) {
      sendJson(response, 404, { error: 'That button is not in a message this user can see.' });
      return;
    }
    sendJson(
      response,
      200,
      await sendClick(options, { user: user.id, userName: user.name.toLowerCase(), channelName: found.name, message, button }),
    );
  }

  /** The acting user opened the Home tab: Slack tells the app (app_home_opened), which publishes the view. */
  async function postHome(body: unknown, response: ServerResponse): Promise<void> {
    const parsed = homeSchema.safeParse(body);
    const user = parsed.success ? userOf(parsed.data.user) : undefined;
    if (user === undefined) {
      sendJson(response, 400, { error: 'Opening the Home tab needs a known user.' });
      return;
    }
    sendJson(response, 200, await sendHomeOpened(options, user.id));
  }

  function postControl(name: string, body: unknown, response: ServerResponse): void {
    const outcome = applyControl(options.world, name, body);
    if (outcome.ok) sendJson(response, 200, worldAnswer());
    else sendJson(response, outcome.status, { error: outcome.error });
  }

  function worldAnswer(): { state: ReturnType<WorldSimulation['state']>; html: string } {
    const state = options.world.state();
    return { state, html: renderWorld(state) };
  }

  function messageContext(user: SandboxUser): MessageContext {
    return { viewer: user.id, directory, botName: BOT_DISPLAY_NAME };
  }

  return {
    url: `${local.url}/`,
    port: local.port,
    close: async () => {
      clearInterval(heartbeat);
      options.slack.events.off('posted', onMessages);
      options.slack.events.off('updated', onMessages);
      options.slack.events.off('home', onHome);
      options.world.events.off('changed', onWorld);
      for (const stream of streams) stream.end();
      streams.clear();
      await local.close();
    },
  };
}

/**
 * The page, its style and its script are plain files in assets/ (next to this module; `npm run build:dev`
 * copies them next to the compiled one), read once when the console starts.
 */
function readAssets(): { page: string; style: string; script: string } {
  const read = (name: string) => readFileSync(join(import.meta.dirname, 'assets', name), 'utf8');
  return { page: read('console.html'), style: read('console.css'), script: read('console.js') };
}

function asset(response: ServerResponse, body: string, contentType: string): void {
  response.writeHead(200, {
    'content-type': contentType,
    'cache-control': 'no-store',
    // The page runs only its own script and style; even a rendering mistake could not run injected code.
    'content-security-policy':
      "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  });
  response.end(body);
}
