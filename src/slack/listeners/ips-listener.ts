import type { App } from '@slack/bolt';
import type { IpsCache, IpsResult } from '../../commands/ips.js';
import { ErrorCode, UserFacingError } from '../../errors.js';
import type { SlackMessage } from '../render/blocks.js';
import { renderIps, renderIpsHelp } from '../render/ips-message.js';
import { registerSlashCommand } from '../runner/register-slash-command.js';
import type { RunnerDependencies } from '../runner/run-and-answer.js';

/**
 * /ips. A cached result (and the help) is answered in the acknowledgement itself, so the answer is
 * instant and costs no call; otherwise the command is acknowledged at once and answered after the read.
 */
export function registerIpsCommand(app: App, runner: RunnerDependencies, ips: Pick<IpsCache, 'peek' | 'get'>): void {
  const rendered = new WeakMap<IpsResult, SlackMessage>();
  const render = (result: IpsResult) => {
    let message = rendered.get(result);
    if (message === undefined) {
      message = renderIps(result);
      rendered.set(result, message);
    }
    return message;
  };
  registerSlashCommand(
    app,
    runner,
    '/ips',
    async (input) => {
      const argument = input.text.trim().toLowerCase();
      if (argument !== '') {
        throw new UserFacingError(
          ErrorCode.BadInput,
          '`/ips` takes no arguments.',
          'Type `/ips` for the addresses or `/ips help` for what it shows.',
        );
      }
      return render(await ips.get());
    },
    {
      immediate: (input) => {
        const argument = input.text.trim().toLowerCase();
        if (argument === 'help') return renderIpsHelp();
        if (argument !== '') return undefined;
        const cached = ips.peek();
        return cached === undefined ? undefined : render(cached);
      },
    },
  );
}
