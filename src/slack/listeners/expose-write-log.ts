import type { IngressWrite } from '../../commands/expose.js';
import type { Logger } from '../../logger.js';
import type { ButtonClick } from '../runner/register-button.js';

/**
 * Logs a write to the cluster the moment it succeeded, with who clicked and why. The click's own line
 * (outcome, result) follows once it is answered; this one must not depend on Slack at all.
 */
export function logIngressWrite(logger: Logger, click: ButtonClick, write: IngressWrite): void {
  logger.info(
    {
      user: click.userId,
      action: click.actionId,
      write: write.verb,
      ingress: `${write.ingress.namespace}/${write.ingress.name}`,
      host: click.log['host'],
      reason: write.reason,
    },
    write.verb === 'create' ? 'ingress created' : 'ingress deleted',
  );
}
