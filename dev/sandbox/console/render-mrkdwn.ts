import type { Directory } from './directory.js';
import { escapeHtml } from './html.js';

/**
 * Slack mrkdwn to HTML, as a Slack client shows it: ```code blocks```, `code`, *bold*, _italic_,
 * ~strike~, > quotes, <url|links>, <@U..> and <#C..> mentions, :emoji:. Slack text arrives with &, <
 * and > escaped as entities; a raw < opens a link or mention. Every piece of text is HTML-escaped: the
 * only tags in the output are the ones made here.
 */
export function mrkdwnToHtml(text: string, directory: Directory): string {
  const held: string[] = [];
  // Finished HTML is parked behind private-use placeholders so later steps neither escape nor format it.
  const hold = (html: string) => `${OPEN}${held.push(html) - 1}${CLOSE}`;
  let work = text.replace(/[\uE000\uE001]/g, '');
  work = work.replace(/```([\s\S]*?)```/g, (_match, code: string) =>
    hold(`<pre class="bk-pre">${escapeHtml(decodeEntities(code.replace(/^\n/, '')))}</pre>`),
  );
  work = work.replace(/`([^`\n]+)`/g, (_match, code: string) => hold(`<code class="bk-code">${escapeHtml(decodeEntities(code))}</code>`));
  work = work.replace(/<([^<>\n]+)>/g, (_match, inner: string) => hold(renderAngleToken(inner, directory)));
  let html = escapeHtml(decodeEntities(work));
  html = replaceEmoji(html);
  html = html.replace(
    /(^|[^\p{L}\p{N}*])\*(?=[^\s*])([^*\n]*?[^\s*])?\*(?![\p{L}\p{N}*])/gu,
    (_m, before: string, inner: string | undefined) => `${before}<b>${inner ?? ''}</b>`,
  );
  html = html.replace(
    /(^|[^\p{L}\p{N}_])_(?=[^\s_])([^_\n]*?[^\s_])?_(?![\p{L}\p{N}_])/gu,
    (_m, before: string, inner: string | undefined) => `${before}<i>${inner ?? ''}</i>`,
  );
  html = html.replace(
    /(^|[^\p{L}\p{N}~])~(?=[^\s~])([^~\n]*?[^\s~])?~(?![\p{L}\p{N}~])/gu,
    (_m, before: string, inner: string | undefined) => `${before}<s>${inner ?? ''}</s>`,
  );
  html = lines(html);
  // Held pieces can hold placeholders themselves (a link label with `code`): resolve until none is left.
  for (let depth = 0; depth < 4 && html.includes(OPEN); depth += 1) {
    html = html.replace(PLACEHOLDER, (_match, index: string) => held[Number(index)] ?? '');
  }
  return html;
}

/** plain_text objects: escaped, with :emoji: when `emoji` is not false. */
export function plainTextToHtml(text: string, emoji = true): string {
  const html = escapeHtml(text);
  return (emoji ? replaceEmoji(html) : html).replace(/\n/g, '<br>');
}

const OPEN = '\uE000';
const CLOSE = '\uE001';
const PLACEHOLDER = /\uE000(\d+)\uE001/g;

function decodeEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function renderAngleToken(inner: string, directory: Directory): string {
  const bar = inner.indexOf('|');
  const target = bar === -1 ? inner : inner.slice(0, bar);
  const label = bar === -1 ? undefined : inner.slice(bar + 1);
  if (target.startsWith('@')) {
    const id = target.slice(1);
    return `<span class="bk-mention">@${escapeHtml(directory.userName(id) ?? decodeEntities(label ?? id))}</span>`;
  }
  if (target.startsWith('#')) {
    const id = target.slice(1);
    return `<span class="bk-mention">#${escapeHtml(directory.channelName(id) ?? decodeEntities(label ?? id))}</span>`;
  }
  if (target.startsWith('!')) {
    const special = target.slice(1);
    if (special === 'here' || special === 'channel' || special === 'everyone') return `<span class="bk-mention">@${special}</span>`;
    return escapeHtml(decodeEntities(label ?? special));
  }
  const url = decodeEntities(target);
  if (/^(https?:|mailto:)/i.test(url)) {
    return `<a class="bk-link" href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">${escapeHtml(decodeEntities(label ?? url))}</a>`;
  }
  // Not a link Slack would make (e.g. javascript:): shown as the text it is.
  return escapeHtml(`<${decodeEntities(inner)}>`);
}

/** Lines become <br>-separated; lines starting with "> " become a quote. */
function lines(html: string): string {
  let out = '';
  let previousWasQuote = false;
  html.split('\n').forEach((line, index) => {
    const quote = /^&gt; ?(.*)$/.exec(line);
    if (quote !== null) {
      out += `<span class="bk-quote">${quote[1] ?? ''}</span>`;
      previousWasQuote = true;
      return;
    }
    if (index > 0 && !previousWasQuote) out += '<br>';
    out += line;
    previousWasQuote = false;
  });
  return out;
}

function replaceEmoji(html: string): string {
  return html.replace(/:([a-z0-9_+-]+):/g, (match, name: string) => EMOJI[name] ?? match);
}

const EMOJI: Readonly<Record<string, string>> = {
  '+1': '👍',
  arrows_counterclockwise: '🔄',
  bell: '🔔',
  bulb: '💡',
  calendar: '📅',
  closed_lock_with_key: '🔐',
  construction: '🚧',
  eyes: '👀',
  fire: '🔥',
  globe_with_meridians: '🌐',
  grey_question: '❔',
  green_circle: '🟢',
  heavy_check_mark: '✔️',
  hourglass: '⌛',
  hourglass_flowing_sand: '⏳',
  house: '🏠',
  information_source: 'ℹ️',
  key: '🔑',
  large_blue_circle: '🔵',
  large_green_circle: '🟢',
  large_orange_circle: '🟠',
  link: '🔗',
  lock: '🔒',
  mag: '🔍',
  memo: '📝',
  no_entry: '⛔',
  no_entry_sign: '🚫',
  red_circle: '🔴',
  rotating_light: '🚨',
  shield: '🛡️',
  tada: '🎉',
  unlock: '🔓',
  warning: '⚠️',
  wastebasket: '🗑️',
  white_check_mark: '✅',
  white_circle: '⚪',
  x: '❌',
  yellow_circle: '🟡',
};
