import { describe, expect, it } from '@jest/globals';
import { findButton, parseElementPosition } from '../../dev/stand-ins/slack-buttons.js';

const blocks = [
  {
    type: 'section',
    block_id: 'summary',
    text: { type: 'mrkdwn', text: 'x' },
    accessory: { type: 'button', action_id: 'details', text: { type: 'plain_text', text: 'Details' }, value: 'v1' },
  },
  {
    type: 'actions',
    elements: [
      { type: 'button', text: { type: 'plain_text', text: 'Apply' }, style: 'primary', value: 'signed-value' },
      { type: 'static_select' },
    ],
  },
];

describe('findButton', () => {
  it('reads the button from the stored message: action_id, block_id, value, style', () => {
    expect(findButton(blocks, 0, 'accessory')).toMatchObject({ actionId: 'details', blockId: 'summary', value: 'v1', type: 'button' });
    expect(findButton(blocks, 1, 0)).toMatchObject({
      actionId: 'console-action-1-0',
      blockId: 'console-block-1',
      value: 'signed-value',
      style: 'primary',
    });
  });

  it('finds nothing where there is no button', () => {
    expect(findButton(blocks, 1, 1)).toBeUndefined();
    expect(findButton(blocks, 1, 5)).toBeUndefined();
    expect(findButton(blocks, 7, 0)).toBeUndefined();
    expect(findButton(undefined, 0, 0)).toBeUndefined();
  });
});

describe('parseElementPosition', () => {
  it('accepts an index or "accessory" only', () => {
    expect(parseElementPosition(2)).toBe(2);
    expect(parseElementPosition('accessory')).toBe('accessory');
    expect(parseElementPosition(-1)).toBeUndefined();
    expect(parseElementPosition('0')).toBeUndefined();
    expect(parseElementPosition(1.5)).toBeUndefined();
  });
});
