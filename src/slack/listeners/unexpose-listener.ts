import type { App } from '@slack/bolt';
import { withdrawDns } from '../../commands/dns-plan.js';
import type { LiveChecks } from '../../commands/live-checks.js';
import { findExposure, removeExposure } from '../../commands/unexpose.js';
import { ErrorCode, UserFacingError } from '../../errors.js';
import { ExposeAction } from '../expose-actions.js';
import { requireExposeAdmin } from '../expose-authorization.js';
import { decodeUnexposeTicket, encodeUnexposeTicket } from '../expose-tickets.js';
import { renderUnexposeHelp } from '../render/expose-help-message.js';
import { dnsLine } from '../render/expose-outcome-message.js';
import { renderRemovalAudit, renderRemovalConfirmation, renderRemoved } from '../render/expose-removal-message.js';
import { registerButton } from '../runner/register-button.js';
import { registerSlashCommand } from '../runner/register-slash-command.js';
import type { RunnerDependencies } from '../runner/run-and-answer.js';
import { type ButtonDependencies, edgeLabelOf, edgeOfTicket, liveCheckKey, unexposeDependencies } from './expose-context.js';
import { sendAfterAnswer, sendNotice } from './expose-notices.js';
import { logRouteWrite, routeField } from './expose-write-log.js';

export interface UnexposeSlackDependencies extends ButtonDependencies {
  /** A host removed is no longer checked live. */
  readonly liveChecks: Pick<LiveChecks, 'cancel'>;
}

/** /unexpose <host>: a confirmation with a Remove button (admins only, the bot's own Ingresses only). */
export function registerUnexposeListeners(app: App, runner: RunnerDependencies, deps: UnexposeSlackDependencies): void {
  registerSlashCommand(app, runner, '/unexpose', async (input) => {
    const words = input.text
      .trim()
      .split(/\s+/)
      .filter((word) => word !== '');
    if (words.length === 0 || (words.length === 1 && words[0]?.toLowerCase() === 'help')) return renderUnexposeHelp();
    const usage = deps.edges.several ? '/unexpose <edge> <host>' : '/unexpose <host>';
    const { edge: named, rest } = deps.edges.pick(words, '/unexpose');
    if (rest.length !== 1) {
      throw new UserFacingError(
        ErrorCode.BadInput,
        '`/unexpose` takes one host name.',
        `Usage: \`${usage}\`, for example ` +
          `\`${usage.replace('<edge>', deps.edges.all[0]?.name ?? 'prod').replace('<host>', 'api.example.com')}\`.`,
      );
    }
    const edge = deps.edges.require(named, '/unexpose', usage);
    requireExposeAdmin(input.userId, edge.admins, 'remove an exposed host');
    const exposure = await findExposure(unexposeDependencies(edge), rest[0] ?? '');
    const now = deps.now();
    const value = encodeUnexposeTicket(
      deps.signer,
      {
        edge: deps.edges.several ? edge.name : undefined,
        host: exposure.host,
        namespace: exposure.namespace,
        name: exposure.name,
        uid: exposure.uid,
        requestedBy: input.userId,
        channel: input.channelId,
      },
      now,
    );
    return renderRemovalConfirmation(exposure, value, edgeLabelOf(deps, edge));
  });

  registerButton(app, runner, ExposeAction.Remove, async (click, client) => {
    const ticket = decodeUnexposeTicket(deps.signer, click.value, deps.now());
    const edge = edgeOfTicket(deps, ticket, '/unexpose');
    const label = edgeLabelOf(deps, edge);
    Object.assign(click.log, {
      ...(deps.edges.several ? { edge: edge.name } : {}),
      host: ticket.host,
      ...routeField({ kind: edge.routing.kind, namespace: ticket.namespace, name: ticket.name }),
    });
    requireExposeAdmin(click.userId, edge.admins, 'remove an exposed host');
    const removed = await removeExposure(unexposeDependencies(edge), ticket);
    logRouteWrite(runner.logger, click, {
      verb: 'delete',
      route: { kind: removed.kind, namespace: removed.namespace, name: removed.name },
      reason: `unexpose ${removed.host}`,
    });
    click.log['result'] = 'removed';
    if (deps.liveChecks.cancel(liveCheckKey(edge, removed.host))) click.log['liveCheck'] = 'cancelled';
    const dns = await withdrawDns(edge.dnsPlan, removed.host);
    if (dns.kind !== 'nothing') click.log['dns'] = dns.kind === 'failed' ? `failed: ${dns.message}` : `${dns.kind} in ${dns.zone}`;
    const { alertChannel } = edge;
    if (alertChannel !== undefined) {
      sendAfterAnswer(runner, () =>
        sendNotice(client, runner.logger, alertChannel, renderRemovalAudit(removed, click.userId, label), 'audit line'),
      );
    }
    return { message: renderRemoved(removed, label, dnsLine(dns)), replaceOriginal: true };
  });
}
