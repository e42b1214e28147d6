import { describe, expect, it } from '@jest/globals';
import type { Directory } from '../../dev/sandbox/console/directory.js';
import { renderBlocks } from '../../dev/sandbox/console/render-blocks.js';
import { codeBlocks, context, divider, fields, header, section } from '../../src/slack/render/blocks.js';

const directory: Directory = { userName: () => undefined, channelName: () => undefined };
const render = (blocks: unknown[]) => renderBlocks(blocks, directory);
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
const plain = (text: string) => ({ type: 'plain_text', text });

describe('renderBlocks', () => {
  it('lays out the blocks the bot builds: header, section, fields, context, divider, code', () => {
    const out = render([
      header('Static IPs'),
      section('*NLB*'),
      ...fields(['*eu-west-1a*', '*eu-west-1b*']),
      divider(),
      ...codeBlocks('52.17.10.100/32'),
      context('cached'),
    ]);
    expect(out).toContain('<div class="bk-header">Static IPs</div>');
    expect(out).toContain('<div class="bk-text"><b>NLB</b></div>');
    expect(out).toContain(
      '<div class="bk-fields"><div class="bk-field"><b>eu-west-1a</b></div><div class="bk-field"><b>eu-west-1b</b></div></div>',
    );
    expect(out).toContain('<hr class="bk-divider">');
    expect(out).toContain('<pre class="bk-pre">52.17.10.100/32</pre>');
    expect(out).toContain('<div class="bk-context"><span class="bk-context-element">cached</span></div>');
  });

  it('renders action buttons with their style and their position in the message', () => {
    const out = render([
      section('Expose api.example.com?'),
      {
        type: 'actions',
        block_id: 'expose',
        elements: [
          { type: 'button', action_id: 'apply', text: plain('Apply'), style: 'primary', value: 'x' },
          { type: 'button', action_id: 'cancel', text: plain('Cancel') },
          { type: 'button', action_id: 'remove', text: plain('Remove'), style: 'danger' },
        ],
      },
    ]);
    expect(out).toContain('<button type="button" class="bk-button bk-primary" data-block="1" data-element="0">Apply</button>');
    expect(out).toContain('<button type="button" class="bk-button" data-block="1" data-element="1">Cancel</button>');
    expect(out).toContain('<button type="button" class="bk-button bk-danger" data-block="1" data-element="2">Remove</button>');
  });

  it('renders a section accessory button', () => {
    const out = render([
      { type: 'section', text: mrkdwn('orders.example.com'), accessory: { type: 'button', action_id: 'unexpose', text: plain('Remove') } },
    ]);
    expect(out).toContain(
      '<div class="bk-accessory"><span class="bk-element"><button type="button" class="bk-button" data-block="0" data-element="accessory">Remove</button>',
    );
  });

  it('carries the confirm dialog with the button, hidden until clicked', () => {
    const out = render([
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: 'apply',
            text: plain('Apply'),
            confirm: {
              title: plain('Expose it?'),
              text: mrkdwn('Creates *an Ingress*'),
              confirm: plain('Apply'),
              deny: plain('Not now'),
              style: 'danger',
            },
          },
        ],
      },
    ]);
    expect(out).toContain(
      '<div class="bk-confirm" hidden data-style="danger"><div class="bk-confirm-title">Expose it?</div><div class="bk-confirm-text">Creates <b>an Ingress</b></div><div class="bk-confirm-yes">Apply</div><div class="bk-confirm-no">Not now</div></div>',
    );
  });

  it('shows images as placeholders and names blocks and elements it does not draw', () => {
    const out = render([
      { type: 'image', image_url: 'https://example.com/x.png', alt_text: 'graph' },
      { type: 'rich_text' },
      { type: 'actions', elements: [{ type: 'static_select' }] },
    ]);
    expect(out).not.toContain('https://example.com/x.png');
    expect(out).toContain('🖼 graph');
    expect(out).toContain('This console does not show “rich_text” blocks.');
    expect(out).toContain('static_select (not clickable in this console)');
  });

  it('survives malformed blocks', () => {
    expect(() =>
      render([null, 'text', 42, { type: 'section', text: 'not an object', fields: 'nope' }, { type: 'actions', elements: [null] }]),
    ).not.toThrow();
  });

  it('escapes text from the bot in every position', () => {
    const evil = '<img src=x onerror=alert(1)>';
    const out = render([
      { type: 'header', text: plain(evil) },
      {
        type: 'section',
        text: plain(evil),
        fields: [plain(evil), mrkdwn(evil)],
        accessory: {
          type: 'button',
          text: plain(evil),
          confirm: { title: plain(evil), text: plain(evil), confirm: plain(evil), deny: plain(evil) },
        },
      },
      { type: 'context', elements: [plain(evil), mrkdwn(evil), { type: 'image', alt_text: evil }] },
      { type: 'actions', elements: [{ type: 'button', text: plain(evil) }, { type: evil }] },
      { type: 'image', alt_text: evil },
      { type: evil },
    ]);
    expect(out).not.toMatch(/<img\b/i);
    expect(out).not.toMatch(/<[a-z]+[^>]*\sonerror=/i);
  });
});
