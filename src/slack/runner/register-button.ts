import type { AllMiddlewareArgs, App, BlockAction, ButtonAction } from '@slack/bolt';
import type { SlackMessage } from '../render/blocks.js';
import { type RunnerDependencies, runAndAnswer } from './run-and-answer.js';

/** A button click, reduced to plain values. */
export interface ButtonClick {
  readonly actionId: string;
  readonly value: string | undefined;
  readonly userId: string;
  /** The channel of the message that holds the button. */
  readonly channelId: string | undefined;
  /** The ts of that message when it is a normal message (chat.update needs it); undefined for ephemeral ones. */
  readonly messageTs: string | undefined;
  /**
   * Whether the message, as Slack sends it with the click, still offers this button: false when it was
   * updated meanwhile (a decided approval request) and the click comes from a stale client; undefined when
   * Slack sends no message (ephemeral messages).
   */
  readonly stillOffered: boolean | undefined;
  /** Fields for this click's log line: the handler adds what it acted on. */
  readonly log: Record<string, unknown>;
  /**
   * Posts a later message to the clicker in the same conversation (the click's response_url, valid for 30
   * minutes and five messages; or an ephemeral message in the channel), after the answer: a live check.
   */
  followUp(message: SlackMessage): Promise<unknown>;
}

export interface ButtonAnswer {
  readonly message: SlackMessage;
  /** Replace the message that holds the button (e.g. the preview) instead of adding an ephemeral reply. */
  readonly replaceOriginal: boolean;
}

export type SlackClient = AllMiddlewareArgs['client'];

/**
 * Registers a button: acknowledge at once, then run the handler like a command (one log line, metrics,
 * errors answered to the clicker alone and never replacing the message). The handler may return an
 * answer for the clicker, or nothing when it has updated messages itself.
 */
export function registerButton(
  app: App,
  deps: RunnerDependencies,
  actionId: string,
  handle: (click: ButtonClick, client: SlackClient) => Promise<ButtonAnswer | undefined>,
): void {
  deps.actionIds.add(actionId);
  app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, respond, client }) => {
    await ack();
    if (action.type !== 'button') return;
    const container = body.container as { channel_id?: unknown; is_ephemeral?: unknown } | undefined;
    const channelId = body.channel?.id ?? (typeof container?.channel_id === 'string' ? container.channel_id : undefined);
    const log: Record<string, unknown> = { channel: channelId };
    const click: ButtonClick = {
      actionId,
      value: action.value,
      userId: body.user.id,
      channelId,
      messageTs: container?.is_ephemeral === true ? undefined : body.message?.ts,
      stillOffered: offers(body.message?.['blocks'], actionId),
      log,
      followUp: (message) =>
        body.response_url === undefined && channelId !== undefined
          ? client.chat.postEphemeral({ channel: channelId, user: body.user.id, blocks: message.blocks, text: message.text })
          : respond({ response_type: 'ephemeral', replace_original: false, blocks: message.blocks, text: message.text }),
    };
    let replaceOriginal = false;
    await runAndAnswer(
      deps,
      { name: actionId, userId: click.userId, fields: log },
      async () => {
        const answer = await handle(click, client);
        replaceOriginal = answer?.replaceOriginal ?? false;
        return answer?.message;
      },
      (message) =>
        body.response_url === undefined && channelId !== undefined
          ? client.chat.postEphemeral({ channel: channelId, user: click.userId, blocks: message.blocks, text: message.text })
          : respond({ response_type: 'ephemeral', replace_original: replaceOriginal, blocks: message.blocks, text: message.text }),
    );
  });
}

/** Whether Block Kit blocks hold an element with this action_id; undefined when there are no blocks to look at. */
function offers(blocks: unknown, actionId: string): boolean | undefined {
  if (!Array.isArray(blocks)) return undefined;
  return blocks.some(
    (block: { elements?: unknown; accessory?: { action_id?: unknown } }) =>
      block.accessory?.action_id === actionId ||
      (Array.isArray(block.elements) && block.elements.some((element: { action_id?: unknown }) => element.action_id === actionId)),
  );
}
