import type { ActionsBlock, KnownBlock } from '@slack/types';
import type { ExposePreview } from '../../commands/expose.js';
import { failedChecks } from '../../domain/expose-check.js';
import { ExposeAction } from '../expose-actions.js';
import { context, escapeMrkdwn, header, type SlackMessage, section } from './blocks.js';
import { type EdgeLabel, onEdge } from './edge-label.js';
import { addressesLine, checkBlocks, checksText, manifestSection, requestLine, requestText } from './expose-parts.js';

export interface PreviewButtons {
  /** Admins get Apply; everyone else Request approval. */
  readonly admin: boolean;
  /** The signed request; absent when a check failed (there is nothing to click then). */
  readonly value: string | undefined;
  /** ALERT_CHANNEL is set, so Request approval has somewhere to go. */
  readonly approvals: boolean;
}

/** The first, ephemeral answer to /expose: checks, addresses, the Ingress as YAML, and the buttons. */
export function renderExposePreview(preview: ExposePreview, buttons: PreviewButtons, edge?: EdgeLabel): SlackMessage {
  const failures = failedChecks(preview.checks);
  const blocks: KnownBlock[] = [
    header(`Expose ${preview.request.host}${onEdge(edge)}`),
    section(requestLine(preview.request)),
    ...checkBlocks(preview.checks),
    section(addressesLine(preview.loadBalancer)),
    ...manifestSection(preview),
  ];
  if (!preview.ready || buttons.value === undefined) {
    blocks.push(
      section(
        `:x: *Nothing can be applied*: ${failures.length} check${failures.length === 1 ? '' : 's'} failed. Nothing was written; fix ` +
          `what is marked :x: and run /expose again.`,
      ),
    );
  } else {
    blocks.push(previewActions(buttons.admin, buttons.value));
    blocks.push(context(previewNote(buttons, preview.routeKind)));
  }
  const verdict = preview.ready ? (buttons.admin ? 'Ready to apply.' : 'Ready for approval.') : 'Nothing can be applied.';
  return { blocks, text: `Expose ${requestText(preview.request)}${escapeMrkdwn(onEdge(edge))}: ${verdict}\n${checksText(preview.checks)}` };
}

function previewNote(buttons: PreviewButtons, kind: string): string {
  if (buttons.admin) return `Apply re-runs every check, then writes the ${kind}. Nothing is written before.`;
  return buttons.approvals
    ? 'Only /expose admins can apply. Request approval posts this request to the admins; nothing is written until one approves.'
    : 'Only /expose admins can apply, and approvals are not configured (no ALERT_CHANNEL): ask an admin to run the command.';
}

function previewActions(admin: boolean, value: string): ActionsBlock {
  return {
    type: 'actions',
    block_id: 'expose_preview',
    elements: [
      admin
        ? { type: 'button', action_id: ExposeAction.Apply, text: { type: 'plain_text', text: 'Apply' }, style: 'primary', value }
        : {
            type: 'button',
            action_id: ExposeAction.RequestApproval,
            text: { type: 'plain_text', text: 'Request approval' },
            style: 'primary',
            value,
          },
      { type: 'button', action_id: ExposeAction.Cancel, text: { type: 'plain_text', text: 'Cancel' }, value },
    ],
  };
}
