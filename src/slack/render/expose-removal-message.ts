import type { Exposure } from '../../commands/unexpose.js';
import { ExposeAction } from '../expose-actions.js';
import { context, escapeMrkdwn, header, type SlackMessage, section } from './blocks.js';
import { type EdgeLabel, onEdge, onEdgeMarkdown } from './edge-label.js';
import { mention } from './expose-parts.js';

/** What /unexpose would remove, with the Remove button and its confirmation dialog. */
export function renderRemovalConfirmation(exposure: Exposure, value: string, edge?: EdgeLabel): SlackMessage {
  const ingress = `${exposure.namespace}/${exposure.name}`;
  return {
    blocks: [
      header(`Remove ${exposure.host}${onEdge(edge)}?`),
      section(`${describe(exposure)}\n${origin(exposure)}`),
      {
        type: 'actions',
        block_id: 'unexpose_confirm',
        elements: [
          {
            type: 'button',
            action_id: ExposeAction.Remove,
            text: { type: 'plain_text', text: 'Remove' },
            style: 'danger',
            value,
            confirm: {
              title: { type: 'plain_text', text: 'Remove this host?' },
              text: {
                type: 'plain_text',
                text: `The ${exposure.kind} ${ingress} will be deleted and ${exposure.host} will no longer be served.`.slice(0, 300),
              },
              confirm: { type: 'plain_text', text: 'Remove' },
              deny: { type: 'plain_text', text: 'Keep it' },
              style: 'danger',
            },
          },
        ],
      },
      context('Nothing is deleted until you click Remove and confirm. The button expires after 24 hours.'),
    ],
    text: escapeMrkdwn(`Remove ${exposure.host}${onEdge(edge)}? The ${exposure.kind} ${ingress} would be deleted.`),
  };
}

export function renderRemoved(exposure: Exposure, edge?: EdgeLabel, dns?: string): SlackMessage {
  const text =
    `:wastebasket: Removed \`${escapeMrkdwn(exposure.host)}\`${onEdgeMarkdown(edge)}: the ${exposure.kind} ` +
    `\`${escapeMrkdwn(`${exposure.namespace}/${exposure.name}`)}\` is deleted.`;
  const blocks = dns === undefined ? [section(text)] : [section(text), section(dns)];
  return { blocks, text: `${text}${dns === undefined ? '' : ` ${dns}`}`.replace(/`/g, '') };
}

/** The audit line in ALERT_CHANNEL for every Ingress removed. */
export function renderRemovalAudit(exposure: Exposure, removedBy: string, edge?: EdgeLabel): SlackMessage {
  const text = `:wastebasket: ${mention(removedBy)} removed${onEdgeMarkdown(edge)} ${describe(exposure)} ${origin(exposure)}`;
  return { blocks: [section(text)], text: text.replace(/`/g, '') };
}

function describe(exposure: Exposure): string {
  const route = exposure.route;
  const path = route?.path ?? '/';
  const target = `${route?.serviceName ?? '?'}:${route?.servicePort ?? '?'}`;
  return (
    `\`${escapeMrkdwn(exposure.host)}\` (path \`${escapeMrkdwn(path)}\`) → ` +
    `\`${escapeMrkdwn(`${exposure.namespace}/${target}`)}\`, ` +
    `${exposure.kind} \`${escapeMrkdwn(`${exposure.namespace}/${exposure.name}`)}\`.`
  );
}

function origin(exposure: Exposure): string {
  const when = exposure.approvedAt === undefined ? '' : ` on ${escapeMrkdwn(exposure.approvedAt)}`;
  return `It was requested by ${mention(exposure.requestedBy)} and approved by ${mention(exposure.approvedBy)}${when}.`;
}
