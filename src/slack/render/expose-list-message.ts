import type { KnownBlock } from '@slack/types';
import type { ExposeListResult } from '../../commands/expose-list.js';
import { pluralOf } from '../../domain/route-claim.js';
import type { RouteStatus } from '../../domain/route-status.js';
import { context, escapeMrkdwn, header, type SlackMessage, section } from './blocks.js';
import { type EdgeLabel, onEdge } from './edge-label.js';
import { mention } from './expose-parts.js';

// Slack allows 50 blocks per message and 3000 characters per section.
const MAX_LINE_BLOCKS = 40;
const SECTION_BUDGET = 2900;

/** /expose list: the bot's hosts with who asked and approved, then the other hosts of the class. */
export function renderExposeList(result: ExposeListResult, edge?: EdgeLabel): SlackMessage {
  const managed = result.managed.map((entry) => {
    const path = entry.path === '/' ? '' : escapeMrkdwn(entry.path);
    const target = `${escapeMrkdwn(entry.namespace)}/${escapeMrkdwn(entry.service ?? '?')}:${escapeMrkdwn(String(entry.port ?? '?'))}`;
    const when = entry.approvedAt === undefined ? '' : ` on ${escapeMrkdwn(entry.approvedAt)}`;
    return (
      `• \`${escapeMrkdwn(entry.host)}${path}\` → \`${target}\`: requested by ` +
      `${mention(entry.requestedBy)}, approved by ${mention(entry.approvedBy)}${when}${statusNote(entry.status)}`
    );
  });
  const others = result.others.map(
    (entry) =>
      `• \`${escapeMrkdwn(entry.host)}\`: ${otherKind(entry.kind)}\`${escapeMrkdwn(entry.namespace)}/${escapeMrkdwn(entry.name)}\``,
  );
  const linesBlocks = [
    ...titled(
      `*Managed by the bot* (${managed.length})`,
      managed,
      'None yet: `/expose &lt;host&gt; &lt;namespace&gt;/&lt;service&gt;:&lt;port&gt;` adds one.',
    ),
    ...titled(`*Other hosts of the ${result.edge.kind} \`${escapeMrkdwn(result.edge.name)}\`* (${others.length})`, others, 'None.'),
  ];
  const kept = linesBlocks.slice(0, MAX_LINE_BLOCKS);
  const blocks: KnownBlock[] = [
    header(`Hosts on the shared NLB${onEdge(edge)}`),
    ...kept,
    ...(kept.length < linesBlocks.length
      ? [context(`The list is too long for one Slack message; ${linesBlocks.length - kept.length} more sections are not shown.`)]
      : []),
    context(
      `\`/unexpose &lt;host&gt;\` removes a host the bot manages. Only the bot’s own ${kindPlural(result)} can be removed from Slack.`,
    ),
  ];
  const managedText = result.managed.map((entry) => `${entry.host} -> ${entry.namespace}/${entry.service ?? '?'}:${entry.port ?? '?'}`);
  const othersText = result.others.map((entry) => `${entry.host} (${entry.namespace}/${entry.name})`);
  const text = [
    `Managed by the bot (${managed.length}): ${managedText.join(', ') || 'none'}.`,
    `Other hosts of ${result.edge.name} (${others.length}): ${othersText.join(', ') || 'none'}.`,
  ].join(' ');
  // Values from the cluster: escaped in the text fallback as in the blocks.
  return { blocks, text: escapeMrkdwn(text.slice(0, 3000)) };
}

/** A title and its lines, packed into as few sections as fit. */
function titled(title: string, lines: readonly string[], empty: string): KnownBlock[] {
  const chunks: string[] = [];
  let current = title;
  for (const line of lines.length === 0 ? [empty] : lines) {
    if (current.length + 1 + line.length > SECTION_BUDGET) {
      chunks.push(current);
      current = line.slice(0, SECTION_BUDGET);
    } else {
      current = `${current}\n${line}`;
    }
  }
  chunks.push(current);
  return chunks.map((chunk) => section(chunk));
}

/** Ingress mode shows no kind (every other host is an Ingress); Gateway mode names HTTPRoute or GRPCRoute. */
function otherKind(kind: string): string {
  return kind === 'Ingress' ? '' : `${escapeMrkdwn(kind)} `;
}

function kindPlural(result: ExposeListResult): string {
  return pluralOf(result.edge.kind === 'Gateway' ? 'HTTPRoute' : 'Ingress');
}

/** Gateway mode: the controller's word on each of the bot's routes. */
function statusNote(status: RouteStatus | undefined): string {
  if (status === undefined) return '';
  if (status.kind === 'live') return ' · :large_green_circle: live';
  if (status.kind === 'pending') return ' · :hourglass_flowing_sand: no answer from the Gateway’s controller yet';
  return ` · :x: refused (${status.condition}: \`${escapeMrkdwn(status.reason)}\`) ${escapeMrkdwn(status.message.slice(0, 300))}`;
}
