import { createHmac } from 'node:crypto';

/**
 * Builds requests the way Slack sends them: form-encoded bodies signed with the app's signing secret
 * (v0=HMAC-SHA256 of "v0:{timestamp}:{body}"). The tests and the sandbox console use these, so the
 * bot's signature verification runs on every request.
 */
export function signSlackRequest(signingSecret: string, body: string, timestampSeconds = Math.floor(Date.now() / 1000)): Record<string, string> {
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
    trigger_id: fields.triggerId ?? `${Date.now()}.stand-in`,
  }).toString();
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
  options: { timestampSeconds?: number; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { ...signSlackRequest(signingSecret, body, options.timestampSeconds), ...options.headers },
    body,
  });
  return { status: response.status, body: await response.text() };
}
