import type { SlackMessageRecord } from '../../stand-ins/slack-api-server.js';
import { type ButtonAction, clickPayload } from '../../stand-ins/slack-buttons.js';
import { interactionBody, postSigned } from '../../stand-ins/slack-signing.js';
import { ACK_TIMEOUT_MS, deliveryFailure, type SlackSide } from './slack-side.js';

export interface ClickRequest {
  readonly user: string;
  readonly userName: string;
  readonly channelName: string;
  readonly message: SlackMessageRecord;
  readonly button: ButtonAction;
}

/**
 * Does what Slack does when someone clicks a button: a block_actions payload (the user, the channel,
 * the container with the message ts and is_ephemeral, the message itself unless it is ephemeral, the
 * action, a trigger_id) with a response_url bound to that message, so replace_original and
 * delete_original change it in place; signed and POSTed to the app.
 */
export async function sendClick(side: SlackSide, click: ClickRequest): Promise<{ status: number | 'timeout' }> {
  const { message, button } = click;
  const responseUrl = side.slack.responseUrl({
    channel: message.channel,
    user: click.user,
    messageTs: message.ts,
    ...(message.threadTs === undefined ? {} : { threadTs: message.threadTs }),
  });
  const payload = clickPayload({
    message,
    button,
    user: click.user,
    userName: click.userName,
    channelName: click.channelName,
    botUserId: side.slack.botUserId,
    responseUrl,
  });
  const target = { channel: message.channel, user: click.user };
  try {
    const answer = await postSigned(side.slackEventsUrl, side.signingSecret, interactionBody(payload), {
      signal: AbortSignal.timeout(ACK_TIMEOUT_MS),
    });
    if (answer.status !== 200) deliveryFailure(side, target, 'The button', answer.status);
    return { status: answer.status };
  } catch {
    deliveryFailure(side, target, 'The button', 'timeout');
    return { status: 'timeout' };
  }
}
