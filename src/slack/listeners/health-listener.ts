import type { App } from '@slack/bolt';
import type { HealthSnapshots } from '../../commands/health-snapshots.js';
import { ErrorCode, UserFacingError } from '../../errors.js';
import { type HealthLinks, renderHealth, renderHealthHelp } from '../render/health-message.js';
import { registerSlashCommand } from '../runner/register-slash-command.js';
import type { RunnerDependencies } from '../runner/run-and-answer.js';

export function registerHealthCommand(
  app: App,
  runner: RunnerDependencies,
  health: Pick<HealthSnapshots, 'get'>,
  links: HealthLinks = {},
): void {
  registerSlashCommand(app, runner, '/health', async (input) => {
    const argument = input.text.trim().toLowerCase();
    if (argument === 'help') return renderHealthHelp();
    if (argument !== '') {
      throw new UserFacingError(
        ErrorCode.BadInput,
        '`/health` takes no arguments.',
        'Type `/health` for the target health of the shared NLB or `/health help` for what it shows.',
      );
    }
    return renderHealth(await health.get(), links);
  });
}
