import { postSigned, slashCommandBody } from '../../stand-ins/slack-signing.js';
import { ACK_TIMEOUT_MS, deliveryFailure, type SlackSide } from './slack-side.js';

export interface SlashCommandRequest {
  readonly user: string;
  readonly userName: string;
  readonly channel: string;
  readonly channelName: string;
  /** What the person typed, e.g. "/ips help". */
  readonly text: string;
}

/**
 * Does what Slack does when someone sends a slash command: a fresh response_url, a signed form POST to
 * the app, and the app's immediate answer (the acknowledgement body, if any) shown ephemerally. Answers
 * the app sends later through response_url or chat.postMessage reach the Slack stand-in by themselves.
 */
export async function sendSlashCommand(side: SlackSide, request: SlashCommandRequest): Promise<{ status: number | 'timeout' }> {
  const typed = request.text.trim();
  const space = typed.search(/\s/);
  const command = space === -1 ? typed : typed.slice(0, space);
  const text = space === -1 ? '' : typed.slice(space + 1).trim();
  const responseUrl = side.slack.responseUrl({ channel: request.channel, user: request.user });
  const body = slashCommandBody({
    command,
    text,
    userId: request.user,
    userName: request.userName,
    channelId: request.channel,
    responseUrl,
  });
  let answer: { status: number; body: string };
  try {
    answer = await postSigned(side.slackEventsUrl, side.signingSecret, body, { signal: AbortSignal.timeout(ACK_TIMEOUT_MS) });
  } catch {
    deliveryFailure(side, request, command, 'timeout');
    return { status: 'timeout' };
  }
  if (answer.status !== 200) {
    deliveryFailure(side, request, command, answer.status);
    return { status: answer.status };
  }
  showAcknowledgement(side, request, answer.body);
  return { status: answer.status };
}

/** An ack with a body is shown like a response: ephemeral unless response_type is in_channel. */
function showAcknowledgement(side: SlackSide, request: SlashCommandRequest, body: string): void {
  if (body.trim() === '') return;
  let parsed: { text?: unknown; blocks?: unknown; response_type?: unknown };
  try {
    const json = JSON.parse(body) as unknown;
    parsed = json !== null && typeof json === 'object' ? (json as typeof parsed) : { text: String(json) };
  } catch {
    parsed = { text: body };
  }
  const blocks = Array.isArray(parsed.blocks) ? (parsed.blocks as unknown[]) : undefined;
  const text = typeof parsed.text === 'string' ? parsed.text : undefined;
  if (blocks === undefined && text === undefined) return;
  side.slack.deliver({
    channel: request.channel,
    ...(parsed.response_type === 'in_channel' ? {} : { ephemeralTo: request.user }),
    ...(text === undefined ? {} : { text }),
    ...(blocks === undefined ? {} : { blocks }),
    via: 'ack',
  });
}
