import type { DnsPublication } from '../../commands/dns-plan.js';
import type { ExposeOutcome } from '../../commands/expose.js';
import type { ExposeRequest } from '../../domain/expose-request.js';
import type { RouteRef } from '../../routing/edge-routing.js';
import { context, escapeMrkdwn, header, type SlackMessage, section } from './blocks.js';
import { type EdgeLabel, onEdge, onEdgeMarkdown } from './edge-label.js';
import {
  addressesLine,
  channelLink,
  checkBlocks,
  ingressCode,
  mention,
  requestLine,
  requestText,
  routeLine,
  routeText,
  writtenStatusLine,
} from './expose-parts.js';

export interface ExposeParties {
  readonly requestedBy: string;
  readonly approvedBy: string;
  readonly alertChannel: string | undefined;
}

/** What the admin who clicked Apply sees in place of the preview. */
export function renderExposeOutcome(outcome: ExposeOutcome, parties: ExposeParties, edge?: EdgeLabel): SlackMessage {
  const { request } = outcome.assessment;
  const { route } = outcome;
  if (outcome.kind === 'unchanged') {
    const approved = outcome.approvedBy === undefined ? '' : `, approved by ${mention(outcome.approvedBy)}`;
    const text =
      `${requestText(request)}${escapeMrkdwn(onEdge(edge))} is already exposed ` +
      `by the ${routeText(route)}${approved}; nothing changed.`;
    return {
      blocks: [
        section(
          `:information_source: ${requestLine(request)}${onEdgeMarkdown(edge)} is already exposed ` +
            `by ${routeLine(route)}${approved}; nothing changed.`,
        ),
      ],
      text,
    };
  }
  const warnings = outcome.assessment.checks.filter((check) => check.status === 'warn');
  const status = writtenStatusLine(outcome.status);
  const dns = dnsLine(outcome.dns);
  return {
    blocks: [
      header(`Exposed ${request.host}${onEdge(edge)}`),
      section(
        `:white_check_mark: ${requestLine(request)}: ${routeLine(route)} is written. ` +
          `Requested by ${mention(parties.requestedBy)}, approved by ${mention(parties.approvedBy)}.`,
      ),
      ...(status === undefined ? [] : [section(status)]),
      ...(dns === undefined ? [] : [section(dns)]),
      section(addressesLine(outcome.assessment.loadBalancer)),
      ...(warnings.length === 0 ? [] : [section('*Still to do:*'), ...checkBlocks(warnings)]),
      context(
        parties.alertChannel === undefined
          ? 'No ALERT_CHANNEL is set, so no audit line was posted (the bot’s log has it).'
          : `Audit line posted in ${channelLink(parties.alertChannel)}.`,
      ),
    ],
    text:
      `Exposed ${requestText(request)}${escapeMrkdwn(onEdge(edge))}: ${routeText(route)} written.` +
      `${status === undefined ? '' : ` ${status.replace(/`/g, '')}`}` +
      warnings.map((check) => ` ${check.name}: ${escapeMrkdwn(check.detail.replace(/`/g, ''))}`).join(''),
  };
}

/** DNS_PROVIDER=route53: the record made on apply, or why not (the route is written either way). */
export function dnsLine(dns: DnsPublication): string | undefined {
  switch (dns.kind) {
    case 'created':
      return (
        `:globe_with_meridians: Created the alias A record to the NLB and its ownership TXT record in the Route 53 zone ` +
        `\`${escapeMrkdwn(dns.zone)}\` (change \`${escapeMrkdwn(dns.changeId)}\`).`
      );
    case 'deleted':
      return `:globe_with_meridians: Deleted the bot’s records in the Route 53 zone \`${escapeMrkdwn(dns.zone)}\`.`;
    case 'failed':
      return `:warning: The DNS record was not changed: ${escapeMrkdwn(dns.message)}`;
    case 'nothing':
      return undefined;
  }
}

/** The one audit line in ALERT_CHANNEL for every route written. */
export function renderExposeAudit(
  request: ExposeRequest,
  route: RouteRef,
  parties: Omit<ExposeParties, 'alertChannel'>,
  actor: string,
  edge?: EdgeLabel,
): SlackMessage {
  const text =
    `:white_check_mark: ${mention(actor)} exposed ${requestLine(request)}${onEdgeMarkdown(edge)} ` +
    `(${route.kind} ${ingressCode(`${route.namespace}/${route.name}`)}). ` +
    `Requested by ${mention(parties.requestedBy)}, approved by ${mention(parties.approvedBy)}.`;
  return { blocks: [section(text)], text: text.replace(/`/g, '') };
}

/** The requester's direct message once an admin decided. */
export function renderRequesterNotice(
  request: ExposeRequest,
  decidedBy: string,
  decision: 'approved' | 'rejected',
  route: RouteRef | undefined,
  edge?: EdgeLabel,
): SlackMessage {
  const line =
    decision === 'rejected'
      ? `:no_entry: Your request to expose ${requestLine(request)}${onEdgeMarkdown(edge)} ` +
        `was rejected by ${mention(decidedBy)}. Nothing was written.`
      : `:white_check_mark: Your request to expose ${requestLine(request)}${onEdgeMarkdown(edge)} was approved ` +
        `by ${mention(decidedBy)}: ${route === undefined ? 'the route' : routeLine(route)} is written.`;
  return { blocks: [section(line)], text: line.replace(/`/g, '') };
}

export function renderApprovalRequested(request: ExposeRequest, alertChannel: string, edge?: EdgeLabel): SlackMessage {
  const text =
    `:hourglass_flowing_sand: Approval requested in ${channelLink(alertChannel)} for ${requestLine(request)}${onEdgeMarkdown(edge)}. ` +
    `You will get a direct message when an admin decides; nothing is written until then.`;
  return { blocks: [section(text)], text: text.replace(/`/g, '') };
}

/** What the admin who clicked Reject sees; the request message and the requester are told after. */
export function renderExposeRejected(request: ExposeRequest, requestedBy: string): SlackMessage {
  const text = `:no_entry: Rejected: ${requestLine(request)}. Nothing was written; ${mention(requestedBy)} gets a direct message.`;
  return { blocks: [section(text)], text: text.replace(/`/g, '') };
}

export function renderExposeCancelled(request: ExposeRequest): SlackMessage {
  const text = `Cancelled: ${requestLine(request)}. Nothing was written.`;
  return { blocks: [section(text)], text: text.replace(/`/g, '') };
}
