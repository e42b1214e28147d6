import type { App } from '@slack/bolt';
import { applyExpose, previewExpose } from '../../commands/expose.js';
import { failedChecks } from '../../domain/expose-check.js';
import { ErrorCode, UserFacingError } from '../../errors.js';
import { ExposeAction } from '../expose-actions.js';
import { requireExposeAdmin, requireRequester } from '../expose-authorization.js';
import { encodeExposeTicket } from '../expose-tickets.js';
import { renderApprovalRequest } from '../render/expose-approval-message.js';
import {
  renderApprovalRequested,
  renderExposeAudit,
  renderExposeCancelled,
  renderExposeOutcome,
} from '../render/expose-outcome-message.js';
import { registerButton } from '../runner/register-button.js';
import type { RunnerDependencies } from '../runner/run-and-answer.js';
import { type ExposeSlackDependencies, edgeLabelOf, exposeDependencies, readTicket } from './expose-context.js';
import { postOrExplain, sendAfterAnswer, sendNotice } from './expose-notices.js';
import { logRouteWrite, routeField } from './expose-write-log.js';
import { followWithLiveCheck } from './live-follow-up.js';

/** The preview's buttons. Every click verifies the signed request and re-checks who clicked. */
export function registerExposeButtons(app: App, runner: RunnerDependencies, deps: ExposeSlackDependencies): void {
  registerButton(app, runner, ExposeAction.Apply, async (click, client) => {
    const now = deps.now();
    const { ticket, edge } = readTicket(deps, click, now);
    const label = edgeLabelOf(deps, edge);
    requireExposeAdmin(click.userId, edge.admins, 'apply an exposure');
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
    const { alertChannel } = edge;
    if (outcome.kind === 'applied' && alertChannel !== undefined) {
      sendAfterAnswer(runner, () =>
        sendNotice(
          client,
          runner.logger,
          alertChannel,
          renderExposeAudit(ticket.request, route, approval, click.userId, label),
          'audit line',
        ),
      );
    }
    if (outcome.kind === 'applied') followWithLiveCheck(deps, edge, ticket.request, (message) => click.followUp(message));
    return { message: renderExposeOutcome(outcome, { ...approval, alertChannel }, label), replaceOriginal: true };
  });

  registerButton(app, runner, ExposeAction.Cancel, async (click) => {
    const { ticket } = readTicket(deps, click, deps.now());
    requireRequester(click.userId, ticket.requestedBy, 'cancel this request');
    click.log['result'] = 'cancelled';
    return { message: renderExposeCancelled(ticket.request), replaceOriginal: true };
  });

  registerButton(app, runner, ExposeAction.RequestApproval, async (click, client) => {
    const now = deps.now();
    const { ticket, edge } = readTicket(deps, click, now);
    const label = edgeLabelOf(deps, edge);
    requireRequester(click.userId, ticket.requestedBy, 'ask for approval of this request');
    if (edge.alertChannel === undefined) {
      throw new UserFacingError(
        ErrorCode.NotConfigured,
        'Approvals are not configured: the bot has no ALERT_CHANNEL to send requests to.',
        'Ask an /expose admin to run the command for you, or an operator to set ALERT_CHANNEL.',
      );
    }
    // The request goes to the admins only if it could be applied now.
    const preview = await previewExpose(exposeDependencies(edge, deps.dns), ticket.request, ticket, now);
    const [failure, ...others] = failedChecks(preview.checks);
    if (failure !== undefined) {
      throw new UserFacingError(
        ErrorCode.CheckFailed,
        `Not sent for approval: ${failure.detail}`,
        others.map((check) => check.detail).join(' ') || undefined,
      );
    }
    const value = encodeExposeTicket(deps.signer, ticket, now);
    // Posting the request is what this click does, so it is awaited (and a refusal explained) before the answer.
    await postOrExplain(client, edge.alertChannel, renderApprovalRequest(preview, ticket, value, label), 'approval request');
    click.log['result'] = 'approval requested';
    return { message: renderApprovalRequested(ticket.request, edge.alertChannel, label), replaceOriginal: true };
  });
}
