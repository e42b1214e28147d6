import { isSlackUserId } from '../../domain/slack-ids.js';

/**
 * What Slack sent, checked at the edge before Bolt or any listener sees it: a request of a kind the bot
 * knows, with the fields its listeners read, of the types they expect. Slack's payloads carry more; only
 * what the bot relies on is checked (the rest passes through untouched). Anything else is refused with a
 * reason for the log, never thrown: a malformed request must not reach a listener, and must not crash.
 */
export type SlackRequest =
  | { readonly kind: 'ssl_check' }
  | { readonly kind: 'url_verification'; readonly challenge: string }
  | { readonly kind: 'command'; readonly name: string; readonly body: Record<string, unknown>; readonly deliveryId: string }
  | {
      readonly kind: 'block_actions';
      readonly actionIds: readonly string[];
      readonly body: Record<string, unknown>;
      readonly deliveryId: string;
    }
  | { readonly kind: 'event'; readonly eventType: string; readonly body: Record<string, unknown>; readonly deliveryId: string }
  /** A valid Slack request of a kind the bot has no listener for (view_submission, shortcuts, ...): acknowledged and logged. */
  | { readonly kind: 'other'; readonly type: string };

export type ReadResult = { readonly ok: true; readonly request: SlackRequest } | { readonly ok: false; readonly reason: string };

const MAX_TEXT = 4000;
const MAX_ID = 200;
const MAX_VALUE = 2000;
const MAX_ACTIONS = 25;

/** A body as Bolt's HTTP parser or the Socket Mode envelope hands it over: any JSON value, or form fields. */
export function readSlackRequest(body: unknown): ReadResult {
  try {
    return { ok: true, request: classify(body) };
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, reason: error.message };
    throw error;
  }
}

/** What a Socket Mode envelope carries, by the envelope's type (`slash_commands`, `interactive`, `events_api`). */
export function readSocketModeRequest(envelopeType: unknown, payload: unknown): ReadResult {
  const expected: Record<string, (request: SlackRequest) => boolean> = {
    slash_commands: (request) => request.kind === 'command',
    interactive: (request) => request.kind === 'block_actions' || request.kind === 'other',
    events_api: (request) => request.kind === 'event' || request.kind === 'other',
  };
  const fits = typeof envelopeType === 'string' ? expected[envelopeType] : undefined;
  if (fits === undefined) return { ok: false, reason: `an envelope of type ${describe(envelopeType)}` };
  const read = readSlackRequest(payload);
  if (read.ok && !fits(read.request)) return { ok: false, reason: `a ${envelopeType} envelope holding a ${read.request.kind} payload` };
  return read;
}

class Refusal extends Error {}

function refuse(reason: string): never {
  throw new Refusal(reason);
}

function classify(body: unknown): SlackRequest {
  const root = record(body, 'the body');
  if (root['ssl_check'] === '1') return { kind: 'ssl_check' };
  if (typeof root['command'] === 'string') return command(root);
  const type = root['type'];
  if (type === 'url_verification') return { kind: 'url_verification', challenge: text(root['challenge'], 'challenge', MAX_ID) };
  if (type === 'block_actions') return blockActions(root);
  if (type === 'event_callback') return event(root);
  if (type === 'view_submission' || type === 'view_closed') {
    record(root['view'], 'view');
    user(root);
    return { kind: 'other', type };
  }
  if (typeof type === 'string' && /^[a-z_]{1,40}$/.test(type)) {
    user(root);
    return { kind: 'other', type };
  }
  return refuse(`a body of no known Slack kind (type ${describe(type)})`);
}

function command(root: Record<string, unknown>): SlackRequest {
  const name = text(root['command'], 'command', 100);
  if (!/^\/[a-z0-9_-]{1,60}$/i.test(name)) refuse('a command name that is not a slash command');
  if (root['text'] !== undefined) text(root['text'], 'text', MAX_TEXT);
  slackUser(root['user_id'], 'user_id');
  text(root['channel_id'], 'channel_id', MAX_ID);
  url(root['response_url'], 'response_url');
  const triggerId = text(root['trigger_id'], 'trigger_id', MAX_ID);
  return { kind: 'command', name, body: root, deliveryId: `command ${triggerId}` };
}

function blockActions(root: Record<string, unknown>): SlackRequest {
  user(root);
  const actions = root['actions'];
  if (!Array.isArray(actions) || actions.length === 0 || actions.length > MAX_ACTIONS)
    refuse('block_actions whose actions are not a list of 1 to 25');
  const actionIds = actions.map((entry, index) => {
    const action = record(entry, `actions[${index}]`);
    text(action['type'], `actions[${index}].type`, MAX_ID);
    if (action['value'] !== undefined) text(action['value'], `actions[${index}].value`, MAX_VALUE);
    if (action['block_id'] !== undefined) text(action['block_id'], `actions[${index}].block_id`, MAX_ID);
    return text(action['action_id'], `actions[${index}].action_id`, MAX_ID);
  });
  if (root['response_url'] !== undefined) url(root['response_url'], 'response_url');
  if (root['channel'] !== undefined && root['channel'] !== null) text(record(root['channel'], 'channel')['id'], 'channel.id', MAX_ID);
  if (root['container'] !== undefined) record(root['container'], 'container');
  if (root['message'] !== undefined) {
    const message = record(root['message'], 'message');
    if (message['blocks'] !== undefined && !Array.isArray(message['blocks'])) refuse('message.blocks that is not a list');
  }
  if (root['response_url'] === undefined && root['channel'] === undefined && root['container'] === undefined) {
    refuse('block_actions without response_url, channel or container: there is nowhere to answer');
  }
  const triggerId = text(root['trigger_id'], 'trigger_id', MAX_ID);
  const actionTs = record(actions[0], 'actions[0]')['action_ts'];
  return { kind: 'block_actions', actionIds, body: root, deliveryId: `click ${triggerId} ${typeof actionTs === 'string' ? actionTs : ''}` };
}

function event(root: Record<string, unknown>): SlackRequest {
  const inner = record(root['event'], 'event');
  const eventType = text(inner['type'], 'event.type', MAX_ID);
  const eventId = text(root['event_id'], 'event_id', MAX_ID);
  if (inner['user'] !== undefined) slackUser(inner['user'], 'event.user');
  return { kind: 'event', eventType, body: root, deliveryId: `event ${eventId}` };
}

function user(root: Record<string, unknown>): void {
  slackUser(record(root['user'], 'user')['id'], 'user.id');
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) refuse(`${what} is ${describe(value)}, not an object`);
  return value as Record<string, unknown>;
}

function text(value: unknown, what: string, max: number): string {
  if (typeof value !== 'string') refuse(`${what} is ${describe(value)}, not a string`);
  if (value.length > max) refuse(`${what} is longer than ${max} characters`);
  return value;
}

function slackUser(value: unknown, what: string): string {
  const id = text(value, what, MAX_ID);
  if (!isSlackUserId(id)) refuse(`${what} is not a Slack user ID`);
  return id;
}

function url(value: unknown, what: string): void {
  const raw = text(value, what, MAX_VALUE);
  const protocol = URL.canParse(raw) ? new URL(raw).protocol : undefined;
  if (protocol === undefined) refuse(`${what} is not a URL`);
  if (protocol !== 'https:' && protocol !== 'http:') refuse(`${what} is not an http(s) URL`);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return value.length > 40 ? 'a long string' : JSON.stringify(value);
  return typeof value === 'object' ? 'an object' : typeof value;
}
