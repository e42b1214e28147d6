/**
 * The Block Kit rules Slack enforces on what the bot sends, for the block types the bot uses: a view holds at
 * most 100 blocks; a header's plain text 1-150 characters; a section's text 1-3000, or 1-10 fields of 1-2000;
 * a context 1-10 elements of 1-3000; views.publish takes at most 250 kB. Also: mrkdwn carries no markup but the bot's own date tokens and mentions,
 * so anything external was escaped. Returns one line per broken rule (empty: valid).
 */
export function blockKitProblems(view: { readonly type: string; readonly blocks: readonly unknown[] }, maxBlocks = 100): string[] {
  const problems: string[] = [];
  if (view.blocks.length > maxBlocks) problems.push(`${view.blocks.length} blocks; at most ${maxBlocks}`);
  const size = Buffer.byteLength(JSON.stringify(view));
  if (size > 250_000) problems.push(`${size} bytes of JSON; views.publish refuses a view over 250 kB`);
  view.blocks.forEach((raw, index) => {
    const block = raw as Record<string, unknown>;
    const at = `blocks[${index}] (${String(block['type'])})`;
    const text = (value: unknown, max: number, types: readonly string[], where: string): void => {
      const object = value as { type?: unknown; text?: unknown } | undefined;
      if (object === undefined || !types.includes(String(object.type))) {
        problems.push(`${where}: not a ${types.join('/')} text object`);
        return;
      }
      const content = String(object.text ?? '');
      if (content.length < 1 || content.length > max) problems.push(`${where}: ${content.length} characters; 1-${max}`);
      if (
        object.type === 'mrkdwn' &&
        /[<>]/.test(content.replace(/<!date\^\d+\^[^|<>]*\|[^<>]*>|<@[UW][A-Z0-9]+>|<#[CG][A-Z0-9]+>/g, ''))
      ) {
        problems.push(`${where}: unescaped < or > in mrkdwn`);
      }
    };
    const keys = (allowed: readonly string[]) => {
      for (const key of Object.keys(block)) if (!allowed.includes(key)) problems.push(`${at}: unknown field ${key}`);
    };
    switch (block['type']) {
      case 'header':
        keys(['type', 'text']);
        text(block['text'], 150, ['plain_text'], at);
        break;
      case 'section': {
        keys(['type', 'text', 'fields']);
        const fields = block['fields'] as unknown[] | undefined;
        if (block['text'] === undefined && fields === undefined) problems.push(`${at}: neither text nor fields`);
        if (block['text'] !== undefined) text(block['text'], 3000, ['mrkdwn', 'plain_text'], at);
        if (fields !== undefined) {
          if (fields.length < 1 || fields.length > 10) problems.push(`${at}: ${fields.length} fields; 1-10`);
          for (const [fieldIndex, field] of fields.entries()) text(field, 2000, ['mrkdwn', 'plain_text'], `${at}.fields[${fieldIndex}]`);
        }
        break;
      }
      case 'context': {
        keys(['type', 'elements']);
        const elements = (block['elements'] as unknown[] | undefined) ?? [];
        if (elements.length < 1 || elements.length > 10) problems.push(`${at}: ${elements.length} elements; 1-10`);
        for (const [elementIndex, element] of elements.entries()) {
          text(element, 3000, ['mrkdwn', 'plain_text'], `${at}.elements[${elementIndex}]`);
        }
        break;
      }
      case 'divider':
        keys(['type']);
        break;
      default:
        problems.push(`${at}: a block type the bot does not use`);
    }
  });
  return problems;
}

/** Every text of the blocks, in order, joined by newlines: what a reader sees. */
export function blocksText(blocks: readonly unknown[]): string {
  const texts: string[] = [];
  const collect = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(collect);
    else if (value !== null && typeof value === 'object') {
      const object = value as Record<string, unknown>;
      if (typeof object['text'] === 'string') texts.push(object['text']);
      for (const [key, item] of Object.entries(object)) if (key !== 'text' || typeof item !== 'string') collect(item);
    }
  };
  collect(blocks);
  return texts.join('\n');
}
