import type { KnownBlock } from '@slack/types';
import type { ExposePreview } from '../../commands/expose.js';
import type { ApprovalDecision } from '../../domain/approval-decision.js';
import type { RouteRef } from '../../routing/edge-routing.js';
import { ExposeAction } from '../expose-actions.js';
import type { ExposeTicket } from '../expose-tickets.js';
import { context, escapeMrkdwn, header, type SlackMessage, section } from './blocks.js';
import { type EdgeLabel, onEdge, onEdgeMarkdown } from './edge-label.js';
import { channelLink, checkBlocks, checksText, manifestSection, mention, requestLine, requestText, routeLine } from './expose-parts.js';

/** The request an admin approves or rejects, posted to ALERT_CHANNEL. */
export function renderApprovalRequest(preview: ExposePreview, ticket: ExposeTicket, value: string, edge?: EdgeLabel): SlackMessage {
  const blocks: KnownBlock[] = [
    header(`Approval requested: ${preview.request.host}${onEdge(edge)}`),
    section(
      `${mention(ticket.requestedBy)} asks to expose ${requestLine(preview.request)}${onEdgeMarkdown(edge)} ` +
        `(from ${channelLink(ticket.channel)}).`,
    ),
    ...checkBlocks(preview.checks),
    ...manifestSection(preview),
    {
      type: 'actions',
      block_id: 'expose_approval',
      elements: [
        { type: 'button', action_id: ExposeAction.Approve, text: { type: 'plain_text', text: 'Approve' }, style: 'primary', value },
        { type: 'button', action_id: ExposeAction.Reject, text: { type: 'plain_text', text: 'Reject' }, style: 'danger', value },
      ],
    },
    context(
      `Only /expose admins’ clicks count. Approve re-runs every check, then writes the ${preview.routeKind}. ` +
        'The buttons expire after 24 hours.',
    ),
  ];
  return {
    blocks,
    text:
      `Approval requested by ${mention(ticket.requestedBy)}: expose ${requestText(preview.request)}${escapeMrkdwn(onEdge(edge))}\n` +
      checksText(preview.checks),
  };
}

export type DecisionOutcome = { readonly kind: 'approved'; readonly route: RouteRef } | { readonly kind: 'rejected' };

/** The approval message once decided: who decided and what happened, without buttons. */
export function renderApprovalDecided(
  ticket: ExposeTicket,
  decidedBy: string,
  decision: DecisionOutcome,
  at: Date,
  edge?: EdgeLabel,
): SlackMessage {
  const when = at.toISOString().replace(/\.\d+Z$/, 'Z');
  const outcome =
    decision.kind === 'approved'
      ? `:white_check_mark: *Approved* by ${mention(decidedBy)} at ${when}: ${routeLine(decision.route)} is written.`
      : `:no_entry: *Rejected* by ${mention(decidedBy)} at ${when}. Nothing was written.`;
  const title = decision.kind === 'rejected' ? 'Rejected' : 'Approved';
  return {
    blocks: [
      header(`${title}: ${ticket.request.host}${onEdge(edge)}`),
      section(`${mention(ticket.requestedBy)} asked to expose ${requestLine(ticket.request)} (from ${channelLink(ticket.channel)}).`),
      section(outcome),
    ],
    text: `${title} by ${mention(decidedBy)}: expose ${requestText(ticket.request)} (requested by ${mention(ticket.requestedBy)}).`,
  };
}

/**
 * To the admin whose click lost: another admin decided this request first (recorded in the cluster), so this
 * click changed nothing.
 */
export function renderAlreadyDecided(host: string, decision: ApprovalDecision): SlackMessage {
  const when = decision.at.toISOString().replace(/\.\d+Z$/, 'Z');
  const decided = `already ${decision.kind} by ${mention(decision.by)} at ${when}`;
  const text = `The request for ${escapeMrkdwn(host)} was ${decided}; your click changed nothing.`;
  const hint =
    decision.kind === 'approved'
      ? `\`/expose list\` shows what is live; \`/unexpose ${escapeMrkdwn(host)}\` removes it.`
      : 'To ask again, run /expose once more.';
  return { blocks: [section(`:information_source: ${text}`), context(hint)], text };
}
