import { createHmac, randomBytes } from 'node:crypto';

/**
 * Builds requests the way Slack sends them: form-encoded bodies signed with the app's signing secret
 * (v0=HMAC-SHA256 of "v0:{timestamp}:{body}"). The tests and the sandbox console use these, so the
 * bot's signature verification runs on every request.
 */
export function signSlackRequest(
  signingSecret: string,
  body: string,
  timestampSeconds = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const signature = createHmac('sha256', signingSecret).update(`v0:${timestampSeconds}:${body}`).digest('hex');
  return {
    'content-type': 'application/x-www-form-urlencoded',
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

/** POSTs a signed body to the bot's Slack endpoint, as Slack would. */
export async function postSigned(
  url: string,
  signingSecret: string,
  body: string,
  options: { timestampSeconds?: number; headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<{ status: number; body: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { ...signSlackRequest(signingSecret, body, options.timestampSeconds), ...options.headers },
    body,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  return { status: response.status, body: await response.text() };
}

/** Slack's trigger_ids are unique per command or click (the bot acts on each delivery once). */
export function newTriggerId(): string {
  return `${Date.now()}.${randomBytes(6).toString('hex')}`;
}
