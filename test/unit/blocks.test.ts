import { describe, expect, it } from '@jest/globals';
import { codeBlocks, escapeMrkdwn, fields } from '../../src/slack/render/blocks.js';

describe('Block Kit helpers', () => {
  it('splits a long copy block over sections on line boundaries, losing nothing', () => {
    const lines = Array.from({ length: 400 }, (_, index) => `  host-${index}.example.com`);
    const blocks = codeBlocks(lines.join('\n')) as Array<{ text: { text: string } }>;
    expect(blocks.length).toBeGreaterThan(1);
    for (const block of blocks) expect(block.text.text.length).toBeLessThanOrEqual(3000);
    const joined = blocks.map((block) => block.text.text.replace(/^```|```$/g, '')).join('\n');
    expect(joined.split('\n')).toEqual(lines);
  });

  it('puts at most ten fields in a section', () => {
    expect(fields(Array.from({ length: 23 }, (_, index) => String(index)))).toHaveLength(3);
  });

  it('escapes Slack markup characters', () => {
    expect(escapeMrkdwn('<!channel> & <@U1>')).toBe('&lt;!channel&gt; &amp; &lt;@U1&gt;');
  });
});
