import type { LimitFunction } from 'p-limit';
import { isUserFacingError, newErrorId } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { Metrics, Outcome } from '../../metrics.js';
import type { SlackMessage } from '../render/blocks.js';
import { renderUnexpectedError, renderUserError } from '../render/error-message.js';
import type { InFlightWork } from './in-flight-work.js';

export interface RunnerDependencies {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly inFlight: InFlightWork;
  /** Every slash command registered, so the Slack app manifest can be checked against them. */
  readonly slashCommands: Set<string>;
  /** Every button action id registered: clicks on anything else are acknowledged at the edge and go no further. */
  readonly actionIds: Set<string>;
  /** Every Events API event type listened to. */
  readonly eventTypes: Set<string>;
  /**
   * Bounds the answers sent to Slack at once (response_url posts and messages): when many commands wait for
   * the same read, their answers go out a few at a time instead of all at once, so the acknowledgements of
   * new commands are not held up behind them.
   */
  readonly answerLimit: LimitFunction;
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
export function startRun(deps: RunnerDependencies, meta: RunMeta) {
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
        {
          user: meta.userId,
          command: meta.name,
          ...meta.fields,
          ...logFields,
          outcome: this.outcome,
          durationMs: Math.round(performance.now() - started),
        },
        `${meta.name} ${this.outcome}`,
      );
    },
  };
}

function describeCause(cause: unknown): string {
  const text = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}
