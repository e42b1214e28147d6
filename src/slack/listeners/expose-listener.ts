import type { App } from '@slack/bolt';
import { previewExpose } from '../../commands/expose.js';
import { listExposures } from '../../commands/expose-list.js';
import { failedChecks } from '../../domain/expose-check.js';
import { describeBackend, parseExposeRequest } from '../../domain/expose-request.js';
import { ErrorCode, UserFacingError } from '../../errors.js';
import { isExposeAdmin } from '../expose-authorization.js';
import { encodeExposeTicket } from '../expose-tickets.js';
import { renderExposeHelp } from '../render/expose-help-message.js';
import { renderExposeList } from '../render/expose-list-message.js';
import { renderExposePreview } from '../render/expose-preview-message.js';
import { registerSlashCommand } from '../runner/register-slash-command.js';
import type { RunnerDependencies } from '../runner/run-and-answer.js';
import { registerExposeApprovalButtons } from './expose-approval-listener.js';
import { registerExposeButtons } from './expose-buttons-listener.js';
import { type ExposeSlackDependencies, edgeLabelOf, exposeDependencies } from './expose-context.js';

/** /expose (preview, list, help) and its buttons: Apply, Cancel, Request approval, Approve, Reject. */
export function registerExposeListeners(app: App, runner: RunnerDependencies, deps: ExposeSlackDependencies): void {
  registerSlashCommand(app, runner, '/expose', async (input) => {
    const words = input.text
      .trim()
      .split(/\s+/)
      .filter((word) => word !== '');
    const [first, ...others] = words;
    if (first === undefined || (words.length === 1 && first.toLowerCase() === 'help')) return renderExposeHelp();
    if (first.toLowerCase() === 'list') {
      const { edge, rest } = deps.edges.pick(others, '/expose list');
      if (rest.length > 0) throw listUsage(deps);
      const listed = deps.edges.require(edge, '/expose list', '/expose list <edge>');
      return renderExposeList(await listExposures(exposeDependencies(listed, deps.dns)), edgeLabelOf(deps, listed));
    }
    const { edge: named, rest } = deps.edges.pick(words, '/expose');
    if (rest.length === 1 && rest[0]?.toLowerCase() === 'list') {
      const listed = deps.edges.require(named, '/expose list', '/expose list <edge>');
      return renderExposeList(await listExposures(exposeDependencies(listed, deps.dns)), edgeLabelOf(deps, listed));
    }
    const edge = deps.edges.require(named, '/expose', '/expose <edge> <host> <namespace>/<service>:<port> [<path>]');
    const request = parseExposeRequest(rest.join(' '));
    const now = deps.now();
    const expose = exposeDependencies(edge, deps.dns);
    const preview = await previewExpose(expose, request, { requestedBy: input.userId, channel: input.channelId }, now);
    const admin = isExposeAdmin(input.userId, edge.admins);
    if (!preview.ready) {
      runner.logger.info(
        {
          user: input.userId,
          command: '/expose',
          ...(deps.edges.several ? { edge: edge.name } : {}),
          host: request.host,
          backend: describeBackend(request),
          refused: failedChecks(preview.checks).map((check) => check.name),
        },
        'expose refused by its checks',
      );
    }
    const ticket = { edge: deps.edges.several ? edge.name : undefined, request, requestedBy: input.userId, channel: input.channelId };
    const value = preview.ready ? encodeExposeTicket(deps.signer, ticket, now) : undefined;
    return renderExposePreview(preview, { admin, value, approvals: edge.alertChannel !== undefined }, edgeLabelOf(deps, edge));
  });
  registerExposeButtons(app, runner, deps);
  registerExposeApprovalButtons(app, runner, deps);
}

function listUsage(deps: ExposeSlackDependencies): UserFacingError {
  return new UserFacingError(
    ErrorCode.BadInput,
    '`/expose list` takes at most an edge name.',
    deps.edges.several ? `Usage: \`/expose list <edge>\`; the edges are ${deps.edges.describe()}.` : 'Usage: `/expose list`.',
  );
}
