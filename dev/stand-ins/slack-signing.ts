import { createHmac, randomBytes } from 'node:crypto';

/**
 * Builds requests the way Slack sends them: bodies signed with the app's signing secret (v0=HMAC-SHA256 of
 * "v0:{timestamp}:{body}"), form-encoded for commands and clicks, JSON for Events API deliveries. The tests
 * and the sandbox console use these, so the bot's signature verification runs on every request.
 */
export function signSlackRequest(
  signingSecret: string,
  body: string,
  timestampSeconds = Math.floor(Date.now() / 1000),
  contentType = 'application/x-www-form-urlencoded',
): Record<string, string> {
  const signature = createHmac('sha256', signingSecret).update(`v0:${timestampSeconds}:${body}`).digest('hex');
  return {
    'content-type': contentType,
    'x-slack-request-timestamp': String(timestampSeconds),
    'x-slack-signature': `v0=${signature}`,
  };
}

export interface SlashCommandFields {
  readonly command: string;
  readonly text: string;
  readonly userId: string;
  readonly userName?: string;
  readonly channelId: string;
  readonly responseUrl: string;
  readonly teamId?: string;
  readonly triggerId?: string;
}

export function slashCommandBody(fields: SlashCommandFields): string {
  return new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: fields.teamId ?? 'TSTANDIN',
    team_domain: 'stand-in',
    channel_id: fields.channelId,
    channel_name: 'stand-in',
    user_id: fields.userId,
    user_name: fields.userName ?? fields.userId.toLowerCase(),
    command: fields.command,
    text: fields.text,
    api_app_id: 'ASTANDIN',
    is_enterprise_install: 'false',
    response_url: fields.responseUrl,
    trigger_id: fields.triggerId ?? newTriggerId(),
  }).toString();
}

export interface BlockActionFields {
  readonly userId: string;
  readonly userName?: string;
  readonly channelId: string;
  readonly channelName?: string;
  /** The message the button is in. */
  readonly messageTs: string;
  readonly isEphemeral: boolean;
  /** The message as Slack includes it for non-ephemeral messages (omitted for ephemeral ones, as Slack does). */
  readonly message?: {
    readonly text: string | undefined;
    readonly blocks: unknown[] | undefined;
    readonly threadTs?: string | undefined;
    readonly botUserId?: string | undefined;
  };
  readonly threadTs?: string | undefined;
  readonly responseUrl: string;
  readonly action: {
    readonly actionId: string;
    readonly blockId: string;
    readonly value?: string | undefined;
    readonly text?: unknown;
    readonly style?: string | undefined;
    readonly type: string;
  };
  readonly teamId?: string;
  readonly triggerId?: string;
}

/** The block_actions payload Slack sends when someone clicks a button in a message. */
export function blockActionsPayload(fields: BlockActionFields): Record<string, unknown> {
  const teamId = fields.teamId ?? 'TSTANDIN';
  const userName = fields.userName ?? fields.userId.toLowerCase();
  const now = (Date.now() / 1000).toFixed(6);
  const { action } = fields;
  return {
    type: 'block_actions',
    user: { id: fields.userId, username: userName, name: userName, team_id: teamId },
    api_app_id: 'ASTANDIN',
    token: 'deprecated-verification-token',
    container: {
      type: 'message',
      message_ts: fields.messageTs,
      channel_id: fields.channelId,
      is_ephemeral: fields.isEphemeral,
      ...(fields.threadTs === undefined ? {} : { thread_ts: fields.threadTs }),
    },
    trigger_id: fields.triggerId ?? newTriggerId(),
    team: { id: teamId, domain: 'stand-in' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: fields.channelId, name: fields.channelName ?? 'stand-in' },
    ...(fields.message === undefined
      ? {}
      : {
          message: {
            type: 'message',
            ...(fields.message.botUserId === undefined ? {} : { user: fields.message.botUserId }),
            bot_id: 'BSTANDIN',
            app_id: 'ASTANDIN',
            team: teamId,
            ts: fields.messageTs,
            text: fields.message.text ?? '',
            ...(fields.message.blocks === undefined ? {} : { blocks: fields.message.blocks }),
            ...(fields.message.threadTs === undefined ? {} : { thread_ts: fields.message.threadTs }),
          },
        }),
    state: { values: {} },
    response_url: fields.responseUrl,
    actions: [
      {
        action_id: action.actionId,
        block_id: action.blockId,
        type: action.type,
        action_ts: now,
        ...(action.text === undefined ? {} : { text: action.text }),
        ...(action.value === undefined ? {} : { value: action.value }),
        ...(action.style === undefined ? {} : { style: action.style }),
      },
    ],
  };
}

/** Interactive payloads (button clicks) arrive as a form with one field, `payload`, holding JSON. */
export function interactionBody(payload: unknown): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export interface AppHomeOpenedFields {
  readonly userId: string;
  /** The app's DM with the user, as Slack names it in the event (D + the user ID here, like conversations.open). */
  readonly channelId?: string;
  /** 'home' when the Home tab was opened (default), 'messages' for the Messages tab. */
  readonly tab?: 'home' | 'messages';
  readonly teamId?: string;
  /** Slack's unique id of the delivery (the bot acts on each once); a fresh one by default. */
  readonly eventId?: string;
  /** The view of the Home tab the user last saw, as Slack includes it once one was published. */
  readonly view?: Readonly<Record<string, unknown>>;
  /** The app's bot user, named in the body's authorizations (the stand-in's by default). */
  readonly botUserId?: string;
}

/**
 * The Events API body Slack sends when a user opens the app's Home tab (`event_callback` with an
 * `app_home_opened` event): POSTed as JSON in HTTP mode (postEvent), or the payload of an `events_api`
 * envelope in Socket Mode (the stand-in's sendEvent).
 */
export function appHomeOpenedEvent(fields: AppHomeOpenedFields): Record<string, unknown> {
  const eventTime = Math.floor(Date.now() / 1000);
  return {
    token: 'deprecated-verification-token',
    team_id: fields.teamId ?? 'TSTANDIN',
    api_app_id: 'ASTANDIN',
    event: {
      type: 'app_home_opened',
      user: fields.userId,
      channel: fields.channelId ?? `D${fields.userId}`,
      tab: fields.tab ?? 'home',
      event_ts: (Date.now() / 1000).toFixed(6),
      ...(fields.view === undefined ? {} : { view: fields.view }),
    },
    type: 'event_callback',
    event_id: fields.eventId ?? newEventId(),
    event_time: eventTime,
    authorizations: [
      { enterprise_id: null, team_id: fields.teamId ?? 'TSTANDIN', user_id: fields.botUserId ?? 'UBOTSTANDIN', is_bot: true },
    ],
    is_ext_shared_channel: false,
  };
}

/** Events API bodies are JSON, signed like every other request. */
export function postEvent(
  url: string,
  signingSecret: string,
  body: Readonly<Record<string, unknown>> | string,
  options: { timestampSeconds?: number; headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<{ status: number; body: string }> {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return postSigned(url, signingSecret, text, { ...options, contentType: 'application/json' });
}

/** POSTs a signed body to the bot's Slack endpoint, as Slack would. */
export async function postSigned(
  url: string,
  signingSecret: string,
  body: string,
  options: { timestampSeconds?: number; headers?: Record<string, string>; signal?: AbortSignal; contentType?: string } = {},
): Promise<{ status: number; body: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { ...signSlackRequest(signingSecret, body, options.timestampSeconds, options.contentType), ...options.headers },
    body,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  return { status: response.status, body: await response.text() };
}

/** Slack's event_ids are unique per event ("Ev" and upper-case letters and digits). */
export function newEventId(): string {
  return `Ev${randomBytes(6).toString('hex').toUpperCase()}`;
}

/** Slack's trigger_ids are unique per command or click (the bot acts on each delivery once). */
export function newTriggerId(): string {
  return `${Date.now()}.${randomBytes(6).toString('hex')}`;
}
