import { describe, expect, it } from '@jest/globals';
import { ErrorCode, UserFacingError } from '../../src/errors.js';
import { scrubSecrets } from '../../src/logger.js';
import { renderUserError } from '../../src/slack/render/error-message.js';

describe('scrubbing free text before it is logged', () => {
  it.each([
    ['a bot token', 'calling with xoxb-1234-5678-abcdef', 'calling with [redacted]'],
    ['an app token', 'token xapp-1-A0-123-abc', 'token [redacted]'],
    ['a response_url', 'posting to https://hooks.slack.com/commands/T0/123/abc then', 'posting to [redacted] then'],
    ['a response_url in JSON', '{"response_url":"https://example.test/r/1","text":"hi"}', '{"response_url":"[redacted]","text":"hi"}'],
    ['a trigger_id in JSON', '{"trigger_id": "123.456.abc"}', '{"trigger_id": "[redacted]"}'],
    [
      'a Socket Mode ticket',
      'url: wss://wss.slack.com/link/?ticket=abc-123&app_id=A1',
      'url: wss://wss.slack.com/link/?ticket=[redacted]&app_id=A1',
    ],
  ])('removes %s', (_kind, text, scrubbed) => {
    expect(scrubSecrets(text)).toBe(scrubbed);
  });

  it('leaves other text alone', () => {
    expect(scrubSecrets('/ips ok in 12 ms for U0123')).toBe('/ips ok in 12 ms for U0123');
  });
});

describe('error answers', () => {
  it('escape what they quote in the plain-text fallback too', () => {
    const message = renderUserError(
      new UserFacingError(ErrorCode.BadInput, 'No such Service <!channel>.', 'Try <https://evil.example|here>.'),
    );
    expect(message.text).not.toContain('<!channel>');
    expect(message.text).toContain('&lt;!channel&gt;');
    expect(message.text).not.toContain('<https://');
  });
});
