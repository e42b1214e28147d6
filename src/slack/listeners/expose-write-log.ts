import type { RouteWrite } from '../../commands/expose.js';
import type { Logger } from '../../logger.js';
import type { RouteRef } from '../../routing/edge-routing.js';
import type { ButtonClick } from '../runner/register-button.js';

/**
 * Logs a write to the cluster the moment it succeeded, with who clicked and why. The click's own line
 * (outcome, result) follows once it is answered; this one must not depend on Slack at all.
 */
export function logRouteWrite(logger: Logger, click: ButtonClick, write: RouteWrite): void {
  const kind = write.route.kind.toLowerCase();
  logger.info(
    {
      user: click.userId,
      action: click.actionId,
      write: write.verb,
      ...routeField(write.route),
      host: click.log['host'],
      reason: write.reason,
    },
    write.verb === 'create' ? `${kind} created` : `${kind} deleted`,
  );
}

/** The log field naming a route: `ingress` or `httproute`, with its namespace/name. */
export function routeField(route: RouteRef): Record<string, string> {
  return { [route.kind.toLowerCase()]: `${route.namespace}/${route.name}` };
}
