import type { LimitFunction } from 'p-limit';
import type { AllMiddlewareArgs, App, BlockAction, ButtonAction, RespondFn } from '@slack/bolt';
import { isUserFacingError, newErrorId } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Metrics, Outcome } from '../metrics.js';
import { renderUnexpectedError, renderUserError } from './render/error-message.js';
import type { SlackMessage } from './render/blocks.js';

/** What a slash command handler gets: plain values, no Bolt types. */
export interface CommandInput {
  readonly command: string;
  readonly text: string;
  readonly userId: string;
  readonly channelId: string;
  readonly teamId: string | undefined;
}

export interface RunnerDependencies {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly inFlight: InFlightWork;
  /** Every slash command registered, so the Slack app manifest can be checked against them. */
  readonly slashCommands: Set<string>;
  /**
   * Bounds the answers sent to Slack at once (response_url posts and messages): when many commands wait for
   * the same read, their answers go out a few at a time instead of all at once, so the acknowledgements of
   * new commands are not held up behind them.
   */
  readonly answerLimit: LimitFunction;
}

/** Work started after an ack; shutdown waits for it so no answer is cut off. */
export class InFlightWork {
  private readonly pending = new Set<Promise<unknown>>();

  track<T>(work: Promise<T>): Promise<T> {
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work)).catch(() => undefined);
    return work;
  }

  get size(): number {
    return this.pending.size;
  }

  /**
   * Waits until no work is left, including work that starts while waiting (a request accepted during
   * shutdown), or until the deadline. True when everything finished.
   */
  async drain(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    let expired = false;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        expired = true;
        resolve();
      }, timeoutMs);
    });
    while (this.pending.size > 0 && !expired) await Promise.race([Promise.allSettled([...this.pending]), deadline]);
    clearTimeout(timer);
    return this.pending.size === 0;
  }
}

/**
 * Runs the work behind a command or a click after it has been acknowledged: answers with the result,
 * a specific message for a user error, or an apology with an id for anything unexpected (the stack
 * stays in the log). Writes one log line and the metrics for every run.
 */
export async function runAndAnswer(
  deps: RunnerDependencies,
  meta: RunMeta,
  work: () => Promise<SlackMessage | undefined>,
  answer: (message: SlackMessage) => Promise<unknown>,
): Promise<void> {
  const run = startRun(deps, meta);
  const job = (async () => {
    let message: SlackMessage | undefined;
    try {
      message = await work();
    } catch (error) {
      message = run.failed(error);
    }
    if (message !== undefined) {
      try {
        const ready = message;
        await deps.answerLimit(() => answer(ready));
      } catch (error) {
        run.outcome = 'error';
        deps.logger.error({ err: error, command: meta.name, user: meta.userId }, 'could not send the answer to Slack');
      }
    }
  })();
  await deps.inFlight.track(job);
  run.finish();
}

interface RunMeta {
  readonly name: string;
  readonly userId: string;
  readonly fields?: Record<string, unknown>;
}

/** The bookkeeping of one command or click: its outcome, one log line and the metrics when it finishes. */
function startRun(deps: RunnerDependencies, meta: RunMeta) {
  const started = performance.now();
  const stopTimer = deps.metrics.commandDuration.startTimer({ command: meta.name });
  // meta.fields is read when the line is written, so the work may add what it acted on.
  const logFields: Record<string, unknown> = {};
  return {
    outcome: 'ok' as Outcome,
    /** The answer to a failure: its own message for a user error, an apology with a log reference otherwise. */
    failed(error: unknown): SlackMessage {
      if (isUserFacingError(error)) {
        this.outcome = 'user_error';
        logFields['reason'] = error.code;
        logFields['detail'] = error.message;
        // What the cluster or AWS actually said (timeouts, TLS, 401 bodies): for the operator, not for Slack.
        if (error.cause !== undefined) logFields['cause'] = describeCause(error.cause);
        return renderUserError(error);
      }
      this.outcome = 'error';
      const errorId = newErrorId();
      logFields['errorId'] = errorId;
      deps.logger.error({ err: error, errorId, command: meta.name, user: meta.userId }, 'command failed unexpectedly');
      return renderUnexpectedError(errorId);
    },
    finish(): void {
      stopTimer();
      deps.metrics.commands.inc({ command: meta.name, outcome: this.outcome });
      const level = this.outcome === 'error' ? 'error' : 'info';
      deps.logger[level](
        { user: meta.userId, command: meta.name, ...meta.fields, ...logFields, outcome: this.outcome, durationMs: Math.round(performance.now() - started) },
        `${meta.name} ${this.outcome}`,
      );
    },
  };
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
    await runAndAnswer(deps, meta, () => handle(input), (message) => respondWith(respond, message, responseType));
  });
}

export function respondWith(respond: RespondFn, message: SlackMessage, responseType: 'ephemeral' | 'in_channel'): Promise<unknown> {
  return respond({ response_type: responseType, blocks: message.blocks, text: message.text });
}

/** A button click, reduced to plain values. */
export interface ButtonClick {
  readonly actionId: string;
  readonly value: string | undefined;
  readonly userId: string;
  /** The channel of the message that holds the button. */
  readonly channelId: string | undefined;
  /** The ts of that message when it is a normal message (chat.update needs it); undefined for ephemeral ones. */
  readonly messageTs: string | undefined;
  /**
   * Whether the message, as Slack sends it with the click, still offers this button: false when it was
   * updated meanwhile (a decided approval request) and the click comes from a stale client; undefined when
   * Slack sends no message (ephemeral messages).
   */
  readonly stillOffered: boolean | undefined;
  /** Fields for this click's log line: the handler adds what it acted on. */
  readonly log: Record<string, unknown>;
}

export interface ButtonAnswer {
  readonly message: SlackMessage;
  /** Replace the message that holds the button (e.g. the preview) instead of adding an ephemeral reply. */
  readonly replaceOriginal: boolean;
}

export type SlackClient = AllMiddlewareArgs['client'];

/**
 * Registers a button: acknowledge at once, then run the handler like a command (one log line, metrics,
 * errors answered to the clicker alone and never replacing the message). The handler may return an
 * answer for the clicker, or nothing when it has updated messages itself.
 */
export function registerButton(
  app: App,
  deps: RunnerDependencies,
  actionId: string,
  handle: (click: ButtonClick, client: SlackClient) => Promise<ButtonAnswer | undefined>,
): void {
  app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, respond, client }) => {
    await ack();
    if (action.type !== 'button') return;
    const container = body.container as { channel_id?: unknown; is_ephemeral?: unknown } | undefined;
    const channelId = body.channel?.id ?? (typeof container?.channel_id === 'string' ? container.channel_id : undefined);
    const log: Record<string, unknown> = { channel: channelId };
    const click: ButtonClick = {
      actionId,
      value: action.value,
      userId: body.user.id,
      channelId,
      messageTs: container?.is_ephemeral === true ? undefined : body.message?.ts,
      stillOffered: offers(body.message?.['blocks'], actionId),
      log,
    };
    let replaceOriginal = false;
    await runAndAnswer(
      deps,
      { name: actionId, userId: click.userId, fields: log },
      async () => {
        const answer = await handle(click, client);
        replaceOriginal = answer?.replaceOriginal ?? false;
        return answer?.message;
      },
      (message) =>
        body.response_url === undefined && channelId !== undefined
          ? client.chat.postEphemeral({ channel: channelId, user: click.userId, blocks: message.blocks, text: message.text })
          : respond({ response_type: 'ephemeral', replace_original: replaceOriginal, blocks: message.blocks, text: message.text }),
    );
  });
}

/** Whether Block Kit blocks hold an element with this action_id; undefined when there are no blocks to look at. */
function offers(blocks: unknown, actionId: string): boolean | undefined {
  if (!Array.isArray(blocks)) return undefined;
  return blocks.some((block: { elements?: unknown; accessory?: { action_id?: unknown } }) =>
    block.accessory?.action_id === actionId ||
    (Array.isArray(block.elements) && block.elements.some((element: { action_id?: unknown }) => element.action_id === actionId)),
  );
}

function describeCause(cause: unknown): string {
  const text = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}
