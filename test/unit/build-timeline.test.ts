import { describe, expect, it } from '@jest/globals';
import { buildTimeline } from '../../dev/sandbox/console/build-timeline.js';
import type { CommandEcho, MessageContext } from '../../dev/sandbox/console/render-message.js';
import type { SlackMessageRecord } from '../../dev/stand-ins/slack-api-server.js';

const ADA = 'U0ADMIN0001';
const DEV = 'U0DEVELOPER';
const CHANNEL = 'C0PLATFORM1';
const context = (viewer: string): MessageContext => ({
  viewer,
  directory: { userName: (id) => ({ [ADA]: 'Ada', [DEV]: 'Dev' })[id], channelName: () => undefined },
  botName: 'nlb-ingress-bot',
});
let counter = 0;
const message = (fields: Partial<SlackMessageRecord>): SlackMessageRecord => {
  counter += 1;
  return {
    channel: CHANNEL,
    ts: `1700000000.${String(counter).padStart(6, '0')}`,
    threadTs: undefined,
    text: 'hello',
    blocks: undefined,
    ephemeralTo: undefined,
    via: 'chat.postMessage',
    updated: 0,
    deleted: false,
    ...fields,
  };
};
const keys = (entries: Array<{ key: string }>) => entries.map((entry) => entry.key);

describe('buildTimeline', () => {
  it('shows an ephemeral answer only to the person it was for', () => {
    const forAda = message({ ephemeralTo: ADA, text: 'for Ada' });
    const everyone = message({ text: 'for everyone' });
    const ada = buildTimeline([forAda, everyone], [], new Set([CHANNEL]), context(ADA));
    const dev = buildTimeline([forAda, everyone], [], new Set([CHANNEL]), context(DEV));
    expect(ada).toHaveLength(2);
    expect(ada[0]!.html).toContain('Only visible to you');
    expect(ada[1]!.html).not.toContain('Only visible to you');
    expect(keys(dev)).toEqual([`msg:${CHANNEL}:${everyone.ts}`]);
  });

  it('puts thread replies under their parent', () => {
    const parent = message({ text: 'alert' });
    const reply = message({ text: 'resolved', threadTs: parent.ts });
    const entries = buildTimeline([parent, reply], [], new Set([CHANNEL]), context(ADA));
    expect(keys(entries)).toEqual([`msg:${CHANNEL}:${parent.ts}`]);
    expect(entries[0]!.html).toMatch(
      /<div class="thread"><div class="thread-count">1 reply<\/div><article[^>]*data-ts="[^"]+"[\s\S]*resolved/,
    );
  });

  it('marks updated messages as edited and leaves deleted ones out', () => {
    const edited = message({ text: 'now', updated: 1 });
    const gone = message({ deleted: true });
    const entries = buildTimeline([edited, gone], [], new Set([CHANNEL]), context(ADA));
    expect(keys(entries)).toEqual([`msg:${CHANNEL}:${edited.ts}`]);
    expect(entries[0]!.html).toContain('(edited)');
  });

  it('shows the command a person typed, to them only, before the answer it got', () => {
    const earlier = message({ text: 'earlier' });
    const answer = message({ text: 'answer', ephemeralTo: ADA });
    const echo: CommandEcho = { position: 1, channel: CHANNEL, user: ADA, text: '/ips <b>', at: new Date() };
    const ada = buildTimeline([earlier, answer], [echo], new Set([CHANNEL]), context(ADA));
    expect(keys(ada)).toEqual([`msg:${CHANNEL}:${earlier.ts}`, 'echo:0', `msg:${CHANNEL}:${answer.ts}`]);
    expect(ada[1]!.html).toContain('<code class="bk-code">/ips &lt;b&gt;</code>');
    expect(keys(buildTimeline([earlier, answer], [echo], new Set([CHANNEL]), context(DEV)))).toEqual([`msg:${CHANNEL}:${earlier.ts}`]);
  });

  it('keeps other channels out', () => {
    expect(buildTimeline([message({ channel: 'C0ALERTS001' })], [], new Set([CHANNEL]), context(ADA))).toEqual([]);
  });

  it('names Slack itself as the author of its notices', () => {
    const notice = message({ via: 'slackbot', ephemeralTo: ADA, text: '/nope failed with the error "dispatch_failed"' });
    const [entry] = buildTimeline([notice], [], new Set([CHANNEL]), context(ADA));
    expect(entry!.html).toContain('<span class="author">Slackbot</span>');
    expect(entry!.html).not.toContain('APP');
  });
});
