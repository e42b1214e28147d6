import { describe, expect, it } from '@jest/globals';
import { blockKitProblems } from '../support/block-kit.js';

const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
const home = (...blocks: unknown[]) => ({ type: 'home', blocks });

/** The checker the renderers' tests rely on: it must see every rule broken, or those tests prove nothing. */
describe('the Block Kit checker', () => {
  it('accepts blocks within the limits, with the bot’s own date tokens and mentions', () => {
    expect(
      blockKitProblems(
        home(
          { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(150), emoji: true } },
          { type: 'section', text: mrkdwn(`${'s'.repeat(2900)} <!date^1777636800^{date_short_pretty}|2026-05-01> <@U0ADMIN> <#C0ALERTS>`) },
          { type: 'section', fields: Array.from({ length: 10 }, () => mrkdwn('f'.repeat(2000))) },
          { type: 'context', elements: [mrkdwn('c')] },
          { type: 'divider' },
        ),
      ),
    ).toEqual([]);
  });

  it.each<[string, unknown[], string]>([
    ['101 blocks', Array.from({ length: 101 }, () => ({ type: 'divider' })), '101 blocks; at most 100'],
    ['a header of 151', [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }], '151 characters; 1-150'],
    ['a mrkdwn header', [{ type: 'header', text: mrkdwn('h') }], 'not a plain_text text object'],
    ['a section of 3001', [{ type: 'section', text: mrkdwn('s'.repeat(3001)) }], '3001 characters; 1-3000'],
    ['an empty section', [{ type: 'section', text: mrkdwn('') }], '0 characters; 1-3000'],
    ['11 fields', [{ type: 'section', fields: Array.from({ length: 11 }, () => mrkdwn('f')) }], '11 fields; 1-10'],
    ['a field of 2001', [{ type: 'section', fields: [mrkdwn('f'.repeat(2001))] }], '2001 characters; 1-2000'],
    ['a section with neither', [{ type: 'section' }], 'neither text nor fields'],
    ['unescaped markup', [{ type: 'section', text: mrkdwn('hello <!channel>') }], 'unescaped < or > in mrkdwn'],
    ['an unknown field', [{ type: 'divider', block_id: 'x' }], 'unknown field block_id'],
    ['an unknown type', [{ type: 'table' }], 'a block type the bot does not use'],
    [
      'a view over 250 kB',
      Array.from({ length: 90 }, () => ({ type: 'section', text: mrkdwn('한'.repeat(1000)) })),
      'views.publish refuses',
    ],
  ])('finds %s', (_name, blocks, expected) => {
    expect(blockKitProblems(home(...blocks)).join('\n')).toContain(expected);
  });
});
