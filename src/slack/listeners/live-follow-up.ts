import { checkHost } from '../../commands/check.js';
import type { ExposeRequest } from '../../domain/expose-request.js';
import type { Edge } from '../../edges/edge.js';
import type { SlackMessage } from '../render/blocks.js';
import { renderCheck, renderCheckFailure } from '../render/check-message.js';
import { checkDependencies } from './check-listener.js';
import { type ExposeSlackDependencies, edgeLabelOf, liveCheckKey } from './expose-context.js';

/**
 * After a write: the live check of the host, posted where the write was answered (`post`) about a few
 * seconds later, and once more when the host did not resolve yet and the bot waited for DNS.
 */
export function followWithLiveCheck(
  deps: ExposeSlackDependencies,
  edge: Edge,
  request: ExposeRequest,
  post: (message: SlackMessage) => Promise<unknown>,
): void {
  const label = edgeLabelOf(deps, edge);
  const run = (options: { readonly probes: boolean }) =>
    checkHost(checkDependencies(edge, { dns: deps.dns, probe: deps.live.probe, now: deps.now }), request.host, request.path, options);
  void deps.live.checks.start(liveCheckKey(edge, request.host), run, async (report) => {
    if (report.phase === 'failed') {
      await post(renderCheckFailure(request.host, request.path, report.error, label));
      return;
    }
    const followUp =
      report.phase === 'first'
        ? { retryingForMinutes: report.retrying ? deps.live.retryForMinutes : undefined }
        : { waitedMs: report.waitedMs };
    await post(renderCheck(report.result, { edge: label, followUp }));
  });
}
