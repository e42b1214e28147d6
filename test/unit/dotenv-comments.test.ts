import { describe, expect, it } from '@jest/globals';
import { commentedValues } from '../../dev/dotenv-comments.js';

describe('values a .env file reads as comments', () => {
  it('names every unquoted value that starts with #, with the hint to quote it or use the channel ID', () => {
    const problems = commentedValues(
      ['# a comment', 'ALERT_CHANNEL=#alerts', 'export OTHER = #x', 'FINE="#quoted"', "ALSO='#fine'", 'PORT=3000 # trailing'].join('\n'),
    );
    expect(problems).toEqual([
      expect.stringContaining('ALERT_CHANNEL in .env starts with #, which .env reads as a comment (so ALERT_CHANNEL is empty)'),
      expect.stringContaining('OTHER in .env starts with #'),
    ]);
    expect(problems[0]).toContain('quote the value (ALERT_CHANNEL="#...") or, for a channel, give its ID (such as C0123ABCD)');
  });

  it('finds nothing in the shipped .env.example', async () => {
    const { readFileSync } = await import('node:fs');
    expect(commentedValues(readFileSync(new URL('../../.env.example', import.meta.url), 'utf8'))).toEqual([]);
  });
});
