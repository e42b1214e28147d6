/**
 * Where a button sits in a message: the block's index, and the element's index in an actions block or
 * "accessory" for a section's accessory. The page sends only this position; the console reads the
 * button itself (action_id, block_id, value) from the message Slack stored, as Slack does, so a page
 * cannot click a button that is not there or change its value.
 */
export type ElementPosition = number | 'accessory';

export interface ButtonAction {
  readonly actionId: string;
  readonly blockId: string;
  readonly value: string | undefined;
  readonly text: unknown;
  readonly style: string | undefined;
  readonly type: 'button';
}

export function findButton(blocks: readonly unknown[] | undefined, blockIndex: number, position: ElementPosition): ButtonAction | undefined {
  const block = record(blocks?.[blockIndex]);
  if (block === undefined) return undefined;
  const element = record(position === 'accessory' ? block['accessory'] : Array.isArray(block['elements']) ? block['elements'][position] : undefined);
  if (element === undefined || element['type'] !== 'button') return undefined;
  return {
    // Slack fills in block_id and action_id when the app leaves them out; these stand-ins are stable.
    actionId: stringOr(element['action_id'], `console-action-${blockIndex}-${position}`),
    blockId: stringOr(block['block_id'], `console-block-${blockIndex}`),
    value: typeof element['value'] === 'string' ? element['value'] : undefined,
    text: element['text'],
    style: typeof element['style'] === 'string' ? element['style'] : undefined,
    type: 'button',
  };
}

export function parseElementPosition(value: unknown): ElementPosition | undefined {
  if (value === 'accessory') return 'accessory';
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' && value !== '' ? value : fallback;
}
