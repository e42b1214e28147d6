import type { KnownBlock } from '@slack/types';

/** A message for Slack: Block Kit blocks plus the plain-text fallback notifications and screen readers use. */
export interface SlackMessage {
  readonly blocks: KnownBlock[];
  readonly text: string;
}

// Block Kit limits: a section's text holds 3000 characters, a field 2000, a section 10 fields.
const SECTION_TEXT_LIMIT = 3000;
const FIELDS_PER_SECTION = 10;

export function header(text: string): KnownBlock {
  return { type: 'header', text: { type: 'plain_text', text: text.slice(0, 150), emoji: true } };
}

export function section(markdown: string): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(markdown, SECTION_TEXT_LIMIT) } };
}

export function fields(items: readonly string[]): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  for (let start = 0; start < items.length; start += FIELDS_PER_SECTION) {
    blocks.push({
      type: 'section',
      fields: items.slice(start, start + FIELDS_PER_SECTION).map((text) => ({ type: 'mrkdwn', text: truncate(text, 2000) })),
    });
  }
  return blocks;
}

export function context(markdown: string): KnownBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(markdown, SECTION_TEXT_LIMIT) }] };
}

export function divider(): KnownBlock {
  return { type: 'divider' };
}

/**
 * Preformatted text that a person copies as is. Long text is split on line boundaries over several
 * sections instead of being cut, so nothing is lost.
 */
export function codeBlocks(text: string): KnownBlock[] {
  const budget = SECTION_TEXT_LIMIT - 8;
  const chunks: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    const candidate = current === '' ? line : `${current}\n${line}`;
    if (candidate.length > budget && current !== '') {
      chunks.push(current);
      current = line.slice(0, budget);
    } else {
      current = candidate.slice(0, budget);
    }
  }
  if (current !== '') chunks.push(current);
  return chunks.map((chunk) => section(`\`\`\`${escapeMrkdwn(chunk)}\`\`\``));
}

/** Slack mrkdwn treats &, < and > as markup; text from users or the cluster is escaped before it is shown. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function truncate(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}
