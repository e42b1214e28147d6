import type { PublishedHomeView } from '../../stand-ins/slack-api-server.js';
import type { Directory } from './directory.js';
import { escapeHtml } from './html.js';
import { renderBlocks } from './render-blocks.js';

/**
 * The Home tab as a Slack client shows it: the blocks of the view the bot last published for this person
 * (rendered like a message's), or Slack's own placeholder while the bot has published none.
 */
export function renderHome(published: PublishedHomeView | undefined, directory: Directory, botName: string): string {
  if (published === undefined) {
    return (
      '<div class="home-empty">' +
      `<b>${escapeHtml(botName)} has not published a Home tab for you yet.</b>` +
      '<span>Slack shows this until the app answers app_home_opened with views.publish.</span></div>'
    );
  }
  const blocks = Array.isArray(published.view.blocks) ? published.view.blocks : [];
  const at = published.publishedAt.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const hash = typeof published.view['hash'] === 'string' ? published.view['hash'] : '';
  return (
    `<section class="home-view" data-hash="${escapeHtml(hash)}" data-published-at="${escapeHtml(published.publishedAt.toISOString())}">` +
    `<div class="home-meta">Published by the bot at <time>${escapeHtml(at)}</time></div>` +
    `<div class="msg-content">${renderBlocks(blocks, directory)}</div></section>`
  );
}
