import type { SlackMessageRecord } from './slack-api-server.js';
import { blockActionsPayload } from './slack-signing.js';

/**
 * The buttons of a stored message, read as Slack reads them when someone clicks: one module for the tests
 * and the sandbox console. A button is found by its label (tests) or by its position (the console's page
 * sends only the block's index and the element's index, or "accessory" for a section's accessory, so a
 * page cannot click a button that is not there or change its value).
 */
export type ElementPosition = number | 'accessory';

export interface ButtonAction {
  readonly type: 'button';
  readonly actionId: string;
  readonly blockId: string;
  readonly value: string | undefined;
  readonly text: unknown;
  /** The visible label (text.text). */
  readonly label: string;
  readonly style: string | undefined;
  /** The confirm dialog Slack shows before sending the click. */
  readonly confirm: Record<string, unknown> | undefined;
}

/** Every button of the blocks (actions blocks and section accessories), in order. */
export function buttonsOf(blocks: readonly unknown[] | undefined): ButtonAction[] {
  return (blocks ?? []).flatMap((raw, blockIndex) => {
    const block = record(raw);
    if (block === undefined) return [];
    const positions: ElementPosition[] = Array.isArray(block['elements']) ? block['elements'].map((_element, index) => index) : [];
    if (block['accessory'] !== undefined) positions.unshift('accessory');
    return positions.flatMap((position) => {
      const button = findButton(blocks, blockIndex, position);
      return button === undefined ? [] : [button];
    });
  });
}

/** The button at a position; undefined when there is none (another element, or nothing). */
export function findButton(
  blocks: readonly unknown[] | undefined,
  blockIndex: number,
  position: ElementPosition,
): ButtonAction | undefined {
  const block = record(blocks?.[blockIndex]);
  if (block === undefined) return undefined;
  const element = record(
    position === 'accessory' ? block['accessory'] : Array.isArray(block['elements']) ? block['elements'][position] : undefined,
  );
  if (element === undefined || element['type'] !== 'button') return undefined;
  const text = element['text'];
  return {
    type: 'button',
    // Slack fills in block_id and action_id when the app leaves them out; these stand-ins are stable.
    actionId: stringOr(element['action_id'], `console-action-${blockIndex}-${position}`),
    blockId: stringOr(block['block_id'], `console-block-${blockIndex}`),
    value: typeof element['value'] === 'string' ? element['value'] : undefined,
    text,
    label: stringOr(record(text)?.['text'], ''),
    style: typeof element['style'] === 'string' ? element['style'] : undefined,
    confirm: record(element['confirm']),
  };
}

/** The button with this label. */
export function findButtonLabelled(blocks: readonly unknown[] | undefined, label: string): ButtonAction | undefined {
  return buttonsOf(blocks).find((button) => button.label === label);
}

export function buttonLabels(blocks: readonly unknown[] | undefined): string[] {
  return buttonsOf(blocks).map((button) => button.label);
}

export function parseElementPosition(value: unknown): ElementPosition | undefined {
  if (value === 'accessory') return 'accessory';
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}

/**
 * The block_actions payload of a click on `button` in `message` by `user`, as Slack sends it: the container
 * with the message ts and is_ephemeral, the message itself unless it is ephemeral, the action.
 */
export function clickPayload(input: {
  readonly message: SlackMessageRecord;
  readonly button: ButtonAction;
  readonly user: string;
  readonly responseUrl: string;
  readonly userName?: string;
  readonly channelName?: string;
  readonly botUserId?: string;
}): Record<string, unknown> {
  const { message } = input;
  const ephemeral = message.ephemeralTo !== undefined;
  return blockActionsPayload({
    userId: input.user,
    ...(input.userName === undefined ? {} : { userName: input.userName }),
    channelId: message.channel,
    ...(input.channelName === undefined ? {} : { channelName: input.channelName }),
    messageTs: message.ts,
    isEphemeral: ephemeral,
    threadTs: message.threadTs,
    ...(ephemeral
      ? {}
      : { message: { text: message.text, blocks: message.blocks, threadTs: message.threadTs, botUserId: input.botUserId } }),
    responseUrl: input.responseUrl,
    action: input.button,
  });
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' && value !== '' ? value : fallback;
}
