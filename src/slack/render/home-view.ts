import type { HomeView, KnownBlock } from '@slack/types';
import { context, header, section } from './blocks.js';
import { slackTime } from './health-text.js';
import { attentionRank, type EdgeHome, edgeBlocks, isFailure, summaryLine } from './home-edge.js';

export type { EdgeHome, Failure } from './home-edge.js';
export { failureOf } from './home-edge.js';

// A Home tab holds at most 100 blocks, and a section's text 3000 characters; views.publish refuses a view
// over 250 kB (view_too_large), so the blocks stay under 240 kB of JSON.
const MAX_BLOCKS = 100;
const MAX_VIEW_BYTES = 240_000;
const TEXT_BUDGET = 3000;

/**
 * The App Home (views.publish): every edge at a glance, the ones that need attention first. Edges are shown in
 * full while they fit; the others get one line each, and the view says so. Within 100 blocks for any number of
 * edges, hosts and target groups.
 */
export function renderHome(edges: readonly EdgeHome[], now: Date): HomeView {
  const ordered = edges
    .map((edge, index) => ({ edge, index }))
    .sort((a, b) => attentionRank(a.edge) - attentionRank(b.edge) || a.index - b.index)
    .map(({ edge }) => edge);
  const top = [header('Shared NLBs'), context(overview(edges, now))];
  const footer = [context('`/ips &lt;edge&gt;` · `/health &lt;edge&gt;` · `/expose list &lt;edge&gt;`: the whole of each, for one edge.')];
  const detailed: KnownBlock[] = [];
  let detailedBytes = 0;
  let shown = 0;
  const fixedBytes = bytes(top) + bytes(footer);
  for (const edge of ordered) {
    const blocks = edgeBlocks(edge, now);
    const rest = summaryBlocks(ordered.slice(shown + 1), now);
    const count = top.length + detailed.length + blocks.length + rest.length + footer.length;
    if (count > MAX_BLOCKS || fixedBytes + detailedBytes + bytes(blocks) + bytes(rest) > MAX_VIEW_BYTES) break;
    detailed.push(...blocks);
    detailedBytes += bytes(blocks);
    shown += 1;
  }
  const body = edges.length === 0 ? [section('No edge is configured: the edges file lists none.')] : detailed;
  const blocks = [...top, ...body, ...summaryBlocks(ordered.slice(shown), now), ...footer];
  return {
    type: 'home',
    blocks: blocks.length <= MAX_BLOCKS ? blocks : [...blocks.slice(0, MAX_BLOCKS - 1), context('More edges than fit.')],
  };
}

function bytes(blocks: readonly KnownBlock[]): number {
  return Buffer.byteLength(JSON.stringify(blocks)) + 1;
}

function overview(edges: readonly EdgeHome[], now: Date): string {
  const counts = { unreadable: 0, down: 0, degraded: 0, healthy: 0 };
  for (const edge of edges) {
    if (isFailure(edge.health) || isFailure(edge.ips) || isFailure(edge.hosts)) counts.unreadable += 1;
    else counts[edge.health.verdict] += 1;
  }
  const parts = Object.entries(counts)
    .filter(([, count]) => count > 0)
    .map(([state, count]) => `${count} ${state}`);
  const states = parts.length === 0 ? '' : `: ${parts.join(', ')}`;
  return `${edges.length} edge(s)${states} · those that need attention first · ${slackTime(now)}`;
}

/** The edges that do not fit in full: a note, then their lines packed into as few sections as they fill. */
function summaryBlocks(rest: readonly EdgeHome[], now: Date): KnownBlock[] {
  if (rest.length === 0) return [];
  const sections: string[] = [];
  let current = '';
  for (const line of rest.map((edge) => summaryLine(edge, now))) {
    if (current !== '' && current.length + 1 + line.length > TEXT_BUDGET) {
      sections.push(current);
      current = line;
    } else {
      current = current === '' ? line : `${current}\n${line}`;
    }
  }
  sections.push(current);
  const note = `${rest.length} more edge(s) do not fit in full (a Home tab holds ${MAX_BLOCKS} blocks); one line each:`;
  return [context(note), ...sections.map((text) => section(text))];
}
