import type { App } from '@slack/bolt';
import { applyExpose, findExposed } from '../../commands/expose.js';
import { ErrorCode, UserFacingError } from '../../errors.js';
import { registerButton, type ButtonClick, type RunnerDependencies } from '../command-runner.js';
import { ExposeAction } from '../expose-actions.js';
import { requireExposeAdmin } from '../expose-authorization.js';
import { renderApprovalDecided } from '../render/expose-approval-message.js';
import { renderExposeAudit, renderExposeOutcome, renderRequesterNotice } from '../render/expose-outcome-message.js';
import { readTicket } from './expose-buttons-listener.js';
import type { ExposeSlackDependencies } from './expose-listener.js';
import { sendNotice, updateNotice } from './expose-notices.js';

/**
 * Approve and Reject on the request in ALERT_CHANNEL. Only admins' clicks count; anyone else gets an
 * ephemeral refusal and the message stays as it is. The message is then updated to show the decision
 * (without buttons) and the requester gets a direct message.
 */
export function registerExposeApprovalButtons(app: App, runner: RunnerDependencies, deps: ExposeSlackDependencies): void {
  registerButton(app, runner, ExposeAction.Approve, async (click, client) => {
    const now = deps.now();
    const ticket = readTicket(deps, click, now);
    requireExposeAdmin(click.userId, deps.admins, 'approve a request');
    requireUndecided(click, ticket.request.host);
    const approval = { requestedBy: ticket.requestedBy, channel: ticket.channel, approvedBy: click.userId, approvedAt: now };
    const outcome = await applyExpose(deps.expose, ticket.request, approval, now);
    const ingress = `${outcome.ingress.namespace}/${outcome.ingress.name}`;
    Object.assign(click.log, { result: outcome.kind, ingress });
    if (outcome.kind === 'unchanged') {
      // A second approver, or a stale client: the message already records who approved; tell only this clicker.
      return { message: renderExposeOutcome(outcome, { ...approval, alertChannel: deps.alertChannel }), replaceOriginal: false };
    }
    if (click.channelId !== undefined && click.messageTs !== undefined) {
      const decided = renderApprovalDecided(ticket, click.userId, { kind: 'approved', ingress }, now);
      await updateNotice(client, runner.logger, click.channelId, click.messageTs, decided, 'approval request');
    }
    await sendNotice(client, runner.logger, ticket.requestedBy, renderRequesterNotice(ticket.request, click.userId, 'approved', ingress), 'requester notice');
    if (deps.alertChannel !== undefined) {
      await sendNotice(client, runner.logger, deps.alertChannel, renderExposeAudit(ticket.request, ingress, approval, click.userId), 'audit line');
    }
    return undefined;
  });

  registerButton(app, runner, ExposeAction.Reject, async (click, client) => {
    const now = deps.now();
    const ticket = readTicket(deps, click, now);
    requireExposeAdmin(click.userId, deps.admins, 'reject a request');
    requireUndecided(click, ticket.request.host);
    // A stale client may still show the buttons after an approval: do not call a live host rejected.
    const exposed = await findExposed(deps.expose, ticket.request);
    if (exposed !== undefined) {
      throw new UserFacingError(
        ErrorCode.Conflict,
        `${ticket.request.host} is already exposed by the Ingress ${exposed.namespace}/${exposed.name}: this request was approved before.`,
        `/unexpose ${ticket.request.host} removes it.`,
      );
    }
    click.log['result'] = 'rejected';
    if (click.channelId !== undefined && click.messageTs !== undefined) {
      await updateNotice(client, runner.logger, click.channelId, click.messageTs, renderApprovalDecided(ticket, click.userId, { kind: 'rejected' }, now), 'approval request');
    }
    await sendNotice(client, runner.logger, ticket.requestedBy, renderRequesterNotice(ticket.request, click.userId, 'rejected', undefined), 'requester notice');
    return undefined;
  });
}

/**
 * A decided request's message has lost its buttons; a click that still arrives comes from a client showing
 * the old message. Refused, so a rejected request cannot be approved later (nor an approved one rejected).
 */
function requireUndecided(click: ButtonClick, host: string): void {
  if (click.stillOffered === false) {
    throw new UserFacingError(
      ErrorCode.Conflict,
      `The request for ${host} was already decided; the message in the channel shows how. Nothing changed.`,
      'To ask again, run /expose once more.',
    );
  }
}
