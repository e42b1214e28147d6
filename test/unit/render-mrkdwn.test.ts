import { describe, expect, it } from '@jest/globals';
import type { Directory } from '../../dev/sandbox/console/directory.js';
import { mrkdwnToHtml, plainTextToHtml } from '../../dev/sandbox/console/render-mrkdwn.js';

const directory: Directory = {
  userName: (id) => ({ U0ADMIN0001: 'Ada' })[id],
  channelName: (id) => ({ C0ALERTS001: 'alerts' })[id],
};
const html = (text: string) => mrkdwnToHtml(text, directory);

describe('mrkdwnToHtml', () => {
  it.each([
    ['*bold*', '<b>bold</b>'],
    ['_italic_', '<i>italic</i>'],
    ['~gone~', '<s>gone</s>'],
    ['`kubectl get svc`', '<code class="bk-code">kubectl get svc</code>'],
    ['*`/ips`* shows', '<b><code class="bk-code">/ips</code></b> shows'],
    ['a\nb', 'a<br>b'],
    ['&gt; quoted\nafter', '<span class="bk-quote">quoted</span>after'],
    [':lock: locked', '🔒 locked'],
    [':not_an_emoji: 12:30:45', ':not_an_emoji: 12:30:45'],
    ['team_a_b and 2*3*4', 'team_a_b and 2*3*4'],
  ])('renders %j', (input, expected) => {
    expect(html(input)).toBe(expected);
  });

  it('renders a code block as preformatted text with Slack entities decoded once', () => {
    expect(html('```52.17.10.100/32\n&lt;none&gt; *not bold*```')).toBe(
      '<pre class="bk-pre">52.17.10.100/32\n&lt;none&gt; *not bold*</pre>',
    );
  });

  it('shows user and channel mentions by name, and the ID when the name is unknown', () => {
    expect(html('<@U0ADMIN0001> approved in <#C0ALERTS001>')).toBe(
      '<span class="bk-mention">@Ada</span> approved in <span class="bk-mention">#alerts</span>',
    );
    expect(html('<@U0SOMEONE>')).toBe('<span class="bk-mention">@U0SOMEONE</span>');
    expect(html('<!here>')).toBe('<span class="bk-mention">@here</span>');
  });

  it('makes links only of http(s) and mailto URLs', () => {
    expect(html('<https://example.com/a?b=1&amp;c=2|the docs>')).toBe(
      '<a class="bk-link" href="https://example.com/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer">the docs</a>',
    );
    expect(html('<javascript:alert(1)|click>')).toBe('&lt;javascript:alert(1)|click&gt;');
  });

  it('never lets markup through, wherever it hides', () => {
    const attacks = [
      '<script>alert(1)</script>',
      '&lt;img src=x onerror=alert(1)&gt;',
      '<https://x.test/"><img src=x onerror=alert(1)>|label>',
      '<https://x.test|<b onmouseover=alert(1)>>',
      '`<script>`',
      '```</pre><script>alert(1)</script>```',
      '*<img src=x onerror=alert(1)>*',
      '<@U1|<script>>',
      'quote " and \' apostrophe',
      '\uE0000\uE001 placeholder look-alikes',
    ];
    for (const attack of attacks) {
      const out = html(attack);
      expect(out).not.toMatch(/<(script|img)\b/i);
      expect(out).not.toMatch(/<[a-z]+[^>]*\son[a-z]+=/i);
      expect(out).not.toMatch(/[\uE000\uE001]/);
    }
    expect(html('quote " and \' apostrophe')).toBe('quote &quot; and &#39; apostrophe');
  });
});

describe('plainTextToHtml', () => {
  it('escapes everything and turns :emoji: into characters unless emoji is false', () => {
    expect(plainTextToHtml('<b>Apply</b> :white_check_mark:')).toBe('&lt;b&gt;Apply&lt;/b&gt; ✅');
    expect(plainTextToHtml(':x: *not bold*', false)).toBe(':x: *not bold*');
  });
});

describe('emoji the bot uses', () => {
  it('shows every :shortcode: the bot’s messages contain as an emoji', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const root = join(import.meta.dirname, '..', '..', 'src');
    const used = new Set<string>();
    for (const dir of ['slack', 'slack/render', 'slack/listeners', 'commands', 'domain', 'alerts']) {
      for (const file of readdirSync(join(root, dir)).filter((name) => name.endsWith('.ts'))) {
        for (const match of readFileSync(join(root, dir, file), 'utf8').matchAll(/:([a-z_]+):/g)) used.add(match[1]!);
      }
    }
    expect(used.size).toBeGreaterThan(5);
    for (const name of used) expect(html(`:${name}:`)).not.toContain(`:${name}:`);
  });
});
