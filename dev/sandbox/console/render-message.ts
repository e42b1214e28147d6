import type { SlackMessageRecord } from '../../stand-ins/slack-api-server.js';
import type { Directory } from './directory.js';
import { escapeHtml } from './html.js';
import { renderBlocks } from './render-blocks.js';
import { mrkdwnToHtml } from './render-mrkdwn.js';

export interface MessageContext {
  readonly viewer: string;
  readonly directory: Directory;
  readonly botName: string;
}

/** A slash command as the person typed it; the console shows it to them above the answer. */
export interface CommandEcho {
  /** How many Slack messages existed when it was sent: it is shown before the next one. */
  readonly position: number;
  readonly channel: string;
  readonly user: string;
  readonly text: string;
  readonly at: Date;
}

/**
 * One message as a Slack client shows it: author, time, "(edited)" after chat.update or
 * replace_original, "Only visible to you" for ephemeral messages, the blocks (or the text when there
 * are none), and its thread replies underneath.
 */
export function renderMessage(message: SlackMessageRecord, replies: readonly SlackMessageRecord[], context: MessageContext): string {
  const fromSlack = message.via === 'slackbot';
  const author = fromSlack ? 'Slackbot' : context.botName;
  const blocks = message.blocks !== undefined && message.blocks.length > 0 ? message.blocks : undefined;
  const content =
    blocks !== undefined
      ? renderBlocks(blocks, context.directory)
      : `<div class="bk-text">${mrkdwnToHtml(message.text ?? '', context.directory)}</div>`;
  const thread =
    replies.length === 0
      ? ''
      : `<div class="thread"><div class="thread-count">${replies.length} ${replies.length === 1 ? 'reply' : 'replies'}</div>${replies
          .map((reply) => renderMessage(reply, [], context))
          .join('')}</div>`;
  return article({
    classes: message.ephemeralTo === undefined ? 'msg' : 'msg ephemeral',
    channel: message.channel,
    ts: message.ts,
    avatar: fromSlack ? 'S' : 'N',
    avatarClass: fromSlack ? 'slackbot' : 'bot',
    author,
    badge: fromSlack ? '' : '<span class="badge">APP</span>',
    time: timeOf(message.ts),
    edited: message.updated > 0,
    ephemeral: message.ephemeralTo !== undefined,
    body: `${content}${thread}`,
  });
}

export function renderEcho(echo: CommandEcho, context: MessageContext): string {
  const name = context.directory.userName(echo.user) ?? echo.user;
  return article({
    classes: 'msg ephemeral echo',
    channel: echo.channel,
    ts: undefined,
    avatar: name.slice(0, 1).toUpperCase(),
    avatarClass: 'person',
    author: name,
    badge: '',
    time: echo.at.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' }),
    edited: false,
    ephemeral: true,
    body: `<div class="bk-text"><code class="bk-code">${escapeHtml(echo.text)}</code></div>`,
  });
}

interface ArticleParts {
  readonly classes: string;
  readonly channel: string;
  readonly ts: string | undefined;
  readonly avatar: string;
  readonly avatarClass: string;
  readonly author: string;
  readonly badge: string;
  readonly time: string;
  readonly edited: boolean;
  readonly ephemeral: boolean;
  readonly body: string;
}

function article(parts: ArticleParts): string {
  const ts = parts.ts === undefined ? '' : ` data-ts="${escapeHtml(parts.ts)}"`;
  return (
    `<article class="${parts.classes}" data-channel="${escapeHtml(parts.channel)}"${ts}>` +
    `<div class="avatar ${parts.avatarClass}">${escapeHtml(parts.avatar)}</div><div class="msg-body">` +
    `<div class="msg-meta"><span class="author">${escapeHtml(parts.author)}</span>${parts.badge}<time>${escapeHtml(parts.time)}</time>` +
    `${parts.edited ? '<span class="edited">(edited)</span>' : ''}</div>` +
    `${parts.ephemeral ? '<div class="ephemeral-note">Only visible to you</div>' : ''}` +
    `<div class="msg-content">${parts.body}</div></div></article>`
  );
}

function timeOf(ts: string): string {
  const seconds = Number.parseFloat(ts);
  return Number.isFinite(seconds) ? new Date(seconds * 1000).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' }) : '';
}
