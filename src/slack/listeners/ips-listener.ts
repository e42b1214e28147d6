import type { App } from '@slack/bolt';
import { getIps, type IpsDependencies } from '../../commands/ips.js';
import { ErrorCode, UserFacingError } from '../../errors.js';
import { registerSlashCommand, type RunnerDependencies } from '../command-runner.js';
import { renderIps, renderIpsHelp } from '../render/ips-message.js';

export function registerIpsCommand(app: App, runner: RunnerDependencies, ips: IpsDependencies): void {
  registerSlashCommand(app, runner, '/ips', async (input) => {
    const argument = input.text.trim().toLowerCase();
    if (argument === 'help') return renderIpsHelp();
    if (argument !== '') {
      throw new UserFacingError(ErrorCode.BadInput, '`/ips` takes no arguments.', 'Type `/ips` for the addresses or `/ips help` for what it shows.');
    }
    return renderIps(await getIps(ips));
  });
}
