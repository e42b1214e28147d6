import type { App } from '@slack/bolt';
import { applyExpose, findExposed } from '../../commands/expose.js';
import type { ApprovalDecision } from '../../domain/approval-decision.js';
import { ErrorCode, UserFacingError } from '../../errors.js';
import { ExposeAction } from '../expose-actions.js';
import { requireExposeAdmin } from '../expose-authorization.js';
import { approvalRequestId, type ExposeTicket } from '../expose-tickets.js';
import { renderAlreadyDecided, renderApprovalDecided } from '../render/expose-approval-message.js';
import { renderExposeAudit, renderExposeOutcome, renderExposeRejected, renderRequesterNotice } from '../render/expose-outcome-message.js';
import { type ButtonAnswer, type ButtonClick, registerButton } from '../runner/register-button.js';
import type { RunnerDependencies } from '../runner/run-and-answer.js';
import { type ExposeSlackDependencies, edgeLabelOf, exposeDependencies, readTicket } from './expose-context.js';
import { sendAfterAnswer, sendNotice, updateNotice } from './expose-notices.js';
import { logRouteWrite, routeField } from './expose-write-log.js';
import { followWithLiveCheck } from './live-follow-up.js';

/**
 * Approve and Reject on the request in ALERT_CHANNEL. Only admins' clicks count; anyone else gets an
 * ephemeral refusal and the message stays as it is. The admin who decided is answered at once; then the
 * message is updated to show the decision (without buttons), the requester gets a direct message and, for
 * an approval, the audit line is posted.
 */
export function registerExposeApprovalButtons(app: App, runner: RunnerDependencies, deps: ExposeSlackDependencies): void {
  registerButton(app, runner, ExposeAction.Approve, async (click, client) => {
    const now = deps.now();
    const { ticket, edge } = readTicket(deps, click, now);
    const label = edgeLabelOf(deps, edge);
    requireExposeAdmin(click.userId, edge.admins, 'approve a request');
    requireUndecided(click, ticket.request.host);
    const recorded = await recordDecision(deps, click, ticket, 'approved', now);
    // Rejected first by someone else: this click changes nothing. Approved first: the write below is
    // idempotent (a second approver is told it is already exposed).
    if (recorded?.kind === 'rejected') return alreadyDecided(click, ticket.request.host, recorded);
    const approval = { requestedBy: ticket.requestedBy, channel: ticket.channel, approvedBy: click.userId, approvedAt: now };
    const outcome = await applyExpose(exposeDependencies(edge, deps.dns), ticket.request, approval, now, (write) =>
      logRouteWrite(runner.logger, click, write),
    );
    const { route } = outcome;
    Object.assign(click.log, {
      result: outcome.kind,
      ...routeField(route),
      ...(outcome.kind === 'applied' && outcome.status !== undefined ? { routeStatus: outcome.status.kind } : {}),
      ...(outcome.kind === 'applied' && !outcome.recheckedHost ? { recheck: 'skipped: the list after the create failed' } : {}),
    });
    const answer = renderExposeOutcome(outcome, { ...approval, alertChannel: edge.alertChannel }, label);
    // A second approver, or a stale client: the message already records who approved; tell only this clicker.
    if (outcome.kind === 'unchanged') return { message: answer, replaceOriginal: false };
    const { channelId, messageTs } = click;
    const { alertChannel } = edge;
    // The live check goes in the approval request's thread, where the admins decided.
    followWithLiveCheck(deps, edge, ticket.request, (message) =>
      channelId !== undefined && messageTs !== undefined
        ? client.chat.postMessage({ channel: channelId, thread_ts: messageTs, blocks: message.blocks, text: message.text })
        : click.followUp(message),
    );
    sendAfterAnswer(runner, async () => {
      if (channelId !== undefined && messageTs !== undefined) {
        await updateNotice(
          client,
          runner.logger,
          channelId,
          messageTs,
          renderApprovalDecided(ticket, click.userId, { kind: 'approved', route }, now, label),
          'approval request',
        );
      }
      await sendNotice(
        client,
        runner.logger,
        ticket.requestedBy,
        renderRequesterNotice(ticket.request, click.userId, 'approved', route, label),
        'requester notice',
      );
      if (alertChannel !== undefined) {
        await sendNotice(
          client,
          runner.logger,
          alertChannel,
          renderExposeAudit(ticket.request, route, approval, click.userId, label),
          'audit line',
        );
      }
    });
    return { message: answer, replaceOriginal: false };
  });

  registerButton(app, runner, ExposeAction.Reject, async (click, client) => {
    const now = deps.now();
    const { ticket, edge } = readTicket(deps, click, now);
    const label = edgeLabelOf(deps, edge);
    requireExposeAdmin(click.userId, edge.admins, 'reject a request');
    requireUndecided(click, ticket.request.host);
    // A stale client may still show the buttons after an approval: do not call a live host rejected.
    const exposed = await findExposed(exposeDependencies(edge, deps.dns), ticket.request);
    if (exposed !== undefined) {
      throw new UserFacingError(
        ErrorCode.Conflict,
        `${ticket.request.host} is already exposed by the ${exposed.kind} ${exposed.namespace}/${exposed.name}: ` +
          'this request was approved before.',
        `/unexpose ${ticket.request.host} removes it.`,
      );
    }
    const recorded = await recordDecision(deps, click, ticket, 'rejected', now);
    if (recorded !== undefined) return alreadyDecided(click, ticket.request.host, recorded);
    click.log['result'] = 'rejected';
    const { channelId, messageTs } = click;
    sendAfterAnswer(runner, async () => {
      if (channelId !== undefined && messageTs !== undefined) {
        await updateNotice(
          client,
          runner.logger,
          channelId,
          messageTs,
          renderApprovalDecided(ticket, click.userId, { kind: 'rejected' }, now, label),
          'approval request',
        );
      }
      await sendNotice(
        client,
        runner.logger,
        ticket.requestedBy,
        renderRequesterNotice(ticket.request, click.userId, 'rejected', undefined, label),
        'requester notice',
      );
    });
    return { message: renderExposeRejected(ticket.request, ticket.requestedBy), replaceOriginal: false };
  });
}

/**
 * Records this click's decision in the cluster before it takes effect; undefined when it is the recorded
 * one, the earlier decision when another admin decided first (Approve and Reject at the same moment: exactly
 * one is recorded).
 */
async function recordDecision(
  deps: ExposeSlackDependencies,
  click: ButtonClick,
  ticket: ExposeTicket,
  kind: ApprovalDecision['kind'],
  now: Date,
): Promise<ApprovalDecision | undefined> {
  const requestId = approvalRequestId(String(click.value));
  click.log['request'] = requestId;
  const result = await deps.decisions.decide(requestId, { kind, by: click.userId, at: now, host: ticket.request.host });
  return result.kind === 'recorded' ? undefined : result.decision;
}

function alreadyDecided(click: ButtonClick, host: string, decision: ApprovalDecision): ButtonAnswer {
  click.log['result'] = `already ${decision.kind} by ${decision.by}`;
  return { message: renderAlreadyDecided(host, decision), replaceOriginal: false };
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
