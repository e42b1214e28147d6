import type { SlackMessageRecord } from '../../dev/stand-ins/slack-api-server.js';

/** A button element as the bot rendered it. */
export interface ButtonElement {
  readonly type: 'button';
  readonly action_id: string;
  readonly text: { readonly type: string; readonly text: string };
  readonly value?: string;
  readonly style?: string;
  readonly confirm?: Record<string, unknown>;
}

/** Every button in a message's blocks. */
export function buttonsOf(blocks: unknown): ButtonElement[] {
  if (!Array.isArray(blocks)) return [];
  return blocks.flatMap((block: { type?: string; elements?: unknown[] }) =>
    block.type === 'actions' ? ((block.elements ?? []) as ButtonElement[]).filter((element) => element.type === 'button') : [],
  );
}

export function findButton(blocks: unknown, label: string): ButtonElement | undefined {
  return buttonsOf(blocks).find((button) => button.text.text === label);
}

export function buttonLabels(blocks: unknown): string[] {
  return buttonsOf(blocks).map((button) => button.text.text);
}

/** A block_actions payload as Slack sends it for a click on `button` in `message`. */
export function blockActionsPayload(input: {
  readonly message: SlackMessageRecord;
  readonly button: ButtonElement;
  readonly user: string;
  readonly ephemeral: boolean;
  readonly responseUrl: string;
}): Record<string, unknown> {
  const { message, button, user } = input;
  const actionTs = `${Date.now() / 1000}`;
  return {
    type: 'block_actions',
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: 'TSTANDIN' },
    api_app_id: 'ASTANDIN',
    token: 'deprecated-verification-token',
    container: { type: 'message', message_ts: message.ts, channel_id: message.channel, is_ephemeral: input.ephemeral },
    trigger_id: `${Date.now()}.stand-in`,
    team: { id: 'TSTANDIN', domain: 'stand-in' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: message.channel, name: 'stand-in' },
    ...(input.ephemeral ? {} : { message: { type: 'message', ts: message.ts, text: message.text ?? '', blocks: message.blocks ?? [] } }),
    state: { values: {} },
    response_url: input.responseUrl,
    actions: [
      {
        type: 'button',
        action_id: button.action_id,
        block_id: 'stand-in-block',
        text: button.text,
        ...(button.value === undefined ? {} : { value: button.value }),
        ...(button.style === undefined ? {} : { style: button.style }),
        action_ts: actionTs,
      },
    ],
  };
}
