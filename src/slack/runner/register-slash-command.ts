import type { App, RespondFn } from '@slack/bolt';
import type { SlackMessage } from '../render/blocks.js';
import { type RunnerDependencies, runAndAnswer, startRun } from './run-and-answer.js';

/** What a slash command handler gets: plain values, no Bolt types. */
export interface CommandInput {
  readonly command: string;
  readonly text: string;
  readonly userId: string;
  readonly channelId: string;
  readonly teamId: string | undefined;
}

/**
 * Registers a slash command: acknowledge at once (Slack waits 3 seconds at most), then do the
 * Kubernetes/AWS work and answer through response_url.
 */
export function registerSlashCommand(
  app: App,
  deps: RunnerDependencies,
  command: string,
  handle: (input: CommandInput) => Promise<SlackMessage>,
  options: {
    readonly responseType?: 'ephemeral' | 'in_channel';
    /**
     * An answer available without any I/O (help, a cached result): sent in the acknowledgement itself, so
     * the person sees it at once and no response_url round trip is needed. Undefined: the normal path.
     */
    readonly immediate?: (input: CommandInput) => SlackMessage | undefined;
  } = {},
): void {
  const responseType = options.responseType ?? 'ephemeral';
  deps.slashCommands.add(command);
  app.command(command, async ({ ack, command: payload, respond }) => {
    const input: CommandInput = {
      command,
      text: payload.text ?? '',
      userId: payload.user_id,
      channelId: payload.channel_id,
      teamId: payload.team_id,
    };
    const meta = { name: command, userId: input.userId, fields: { channel: input.channelId, args: input.text.slice(0, 200) } };
    const quick = options.immediate?.(input);
    if (quick !== undefined) {
      const run = startRun(deps, meta);
      await ack({ response_type: responseType, blocks: quick.blocks, text: quick.text });
      run.finish();
      return;
    }
    await ack();
    await runAndAnswer(
      deps,
      meta,
      () => handle(input),
      (message) => respondWith(respond, message, responseType),
    );
  });
}

export function respondWith(respond: RespondFn, message: SlackMessage, responseType: 'ephemeral' | 'in_channel'): Promise<unknown> {
  return respond({ response_type: responseType, blocks: message.blocks, text: message.text });
}
