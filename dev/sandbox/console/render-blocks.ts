import type { ElementPosition } from '../../stand-ins/slack-buttons.js';
import type { Directory } from './directory.js';
import { escapeHtml } from './html.js';
import { mrkdwnToHtml, plainTextToHtml } from './render-mrkdwn.js';

/**
 * Block Kit to HTML the way Slack lays it out: header, section (text, fields, accessory), context,
 * divider, actions with buttons (primary / danger, with their confirm dialog), image as a placeholder
 * (the console fetches nothing from outside the machine). Blocks come from the bot and are read
 * defensively: a malformed block renders as a note, never as markup.
 */
export function renderBlocks(blocks: readonly unknown[], directory: Directory): string {
  return blocks.map((block, index) => renderBlock(asRecord(block), index, directory)).join('');
}

function renderBlock(block: Record<string, unknown>, index: number, directory: Directory): string {
  switch (block['type']) {
    case 'header':
      return `<div class="bk-header">${textObject(block['text'], directory)}</div>`;
    case 'section': {
      const text = block['text'] === undefined ? '' : `<div class="bk-text">${textObject(block['text'], directory)}</div>`;
      const fieldList = Array.isArray(block['fields']) ? block['fields'] : [];
      const fields =
        fieldList.length === 0
          ? ''
          : `<div class="bk-fields">${fieldList.map((field) => `<div class="bk-field">${textObject(field, directory)}</div>`).join('')}</div>`;
      const accessory =
        block['accessory'] === undefined
          ? ''
          : `<div class="bk-accessory">${element(asRecord(block['accessory']), index, 'accessory', directory)}</div>`;
      return `<div class="bk-section"><div class="bk-section-main">${text}${fields}</div>${accessory}</div>`;
    }
    case 'context': {
      const elements = Array.isArray(block['elements']) ? block['elements'] : [];
      return `<div class="bk-context">${elements.map((item) => contextElement(asRecord(item), directory)).join('')}</div>`;
    }
    case 'divider':
      return '<hr class="bk-divider">';
    case 'actions': {
      const elements = Array.isArray(block['elements']) ? block['elements'] : [];
      return `<div class="bk-actions">${elements.map((item, position) => element(asRecord(item), index, position, directory)).join('')}</div>`;
    }
    case 'image':
      return `<div class="bk-image">${imagePlaceholder(block)}</div>`;
    default:
      return `<div class="bk-unsupported">This console does not show “${escapeHtml(String(block['type'] ?? 'unknown'))}” blocks.</div>`;
  }
}

function element(item: Record<string, unknown>, blockIndex: number, position: ElementPosition, directory: Directory): string {
  if (item['type'] === 'image') return imagePlaceholder(item);
  if (item['type'] !== 'button') {
    return `<span class="bk-unsupported">${escapeHtml(String(item['type'] ?? 'element'))} (not clickable in this console)</span>`;
  }
  const style = item['style'] === 'primary' || item['style'] === 'danger' ? ` bk-${item['style']}` : '';
  const label = textObject(item['text'], directory);
  const confirm = item['confirm'] === undefined ? '' : confirmDialog(asRecord(item['confirm']), directory);
  return (
    `<span class="bk-element"><button type="button" class="bk-button${style}" data-block="${blockIndex}" data-element="${position}">${label}</button>` +
    `${confirm}</span>`
  );
}

/** The dialog Slack shows before sending the click; the page opens it from this hidden markup. */
function confirmDialog(confirm: Record<string, unknown>, directory: Directory): string {
  const style = confirm['style'] === 'danger' ? 'danger' : 'primary';
  const plain = (value: unknown, fallback: string) => textObject(value ?? { type: 'plain_text', text: fallback }, directory);
  return (
    `<div class="bk-confirm" hidden data-style="${style}">` +
    `<div class="bk-confirm-title">${plain(confirm['title'], 'Are you sure?')}</div>` +
    `<div class="bk-confirm-text">${plain(confirm['text'], '')}</div>` +
    `<div class="bk-confirm-yes">${plain(confirm['confirm'], 'Yes')}</div>` +
    `<div class="bk-confirm-no">${plain(confirm['deny'], 'Cancel')}</div>` +
    '</div>'
  );
}

function contextElement(item: Record<string, unknown>, directory: Directory): string {
  if (item['type'] === 'image') return imagePlaceholder(item);
  return `<span class="bk-context-element">${textObject(item, directory)}</span>`;
}

function imagePlaceholder(item: Record<string, unknown>): string {
  return `<span class="bk-image-placeholder" title="Images are not loaded: the sandbox sends nothing outside this machine">🖼 ${escapeHtml(String(item['alt_text'] ?? 'image'))}</span>`;
}

function textObject(value: unknown, directory: Directory): string {
  const text = asRecord(value);
  const content = typeof text['text'] === 'string' ? text['text'] : '';
  if (text['type'] === 'mrkdwn') return mrkdwnToHtml(content, directory);
  if (text['type'] === 'plain_text') return plainTextToHtml(content, text['emoji'] !== false);
  return '';
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
