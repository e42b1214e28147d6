import type { App } from '@slack/bolt';
import { previewExpose } from '../../commands/expose.js';
import { listExposures } from '../../commands/expose-list.js';
import { failedChecks } from '../../domain/expose-check.js';
import { describeBackend, parseExposeRequest } from '../../domain/expose-request.js';
import { isExposeAdmin } from '../expose-authorization.js';
import { encodeExposeTicket } from '../expose-tickets.js';
import { renderExposeHelp } from '../render/expose-help-message.js';
import { renderExposeList } from '../render/expose-list-message.js';
import { renderExposePreview } from '../render/expose-preview-message.js';
import { registerSlashCommand } from '../runner/register-slash-command.js';
import type { RunnerDependencies } from '../runner/run-and-answer.js';
import { registerExposeApprovalButtons } from './expose-approval-listener.js';
import { registerExposeButtons } from './expose-buttons-listener.js';
import type { ExposeSlackDependencies } from './expose-context.js';

/** /expose (preview, list, help) and its buttons: Apply, Cancel, Request approval, Approve, Reject. */
export function registerExposeListeners(app: App, runner: RunnerDependencies, deps: ExposeSlackDependencies): void {
  registerSlashCommand(app, runner, '/expose', async (input) => {
    const argument = input.text.trim();
    if (argument === '' || argument.toLowerCase() === 'help') return renderExposeHelp();
    if (argument.toLowerCase() === 'list') return renderExposeList(await listExposures(deps.expose));
    const request = parseExposeRequest(argument);
    const now = deps.now();
    const preview = await previewExpose(deps.expose, request, { requestedBy: input.userId, channel: input.channelId }, now);
    const admin = isExposeAdmin(input.userId, deps.admins);
    if (!preview.ready) {
      runner.logger.info(
        {
          user: input.userId,
          command: '/expose',
          host: request.host,
          backend: describeBackend(request),
          refused: failedChecks(preview.checks).map((check) => check.name),
        },
        'expose refused by its checks',
      );
    }
    const value = preview.ready
      ? encodeExposeTicket(deps.signer, { request, requestedBy: input.userId, channel: input.channelId }, now)
      : undefined;
    return renderExposePreview(preview, { admin, value, approvals: deps.alertChannel !== undefined });
  });
  registerExposeButtons(app, runner, deps);
  registerExposeApprovalButtons(app, runner, deps);
}
