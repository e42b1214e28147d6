import { ErrorCode, UserFacingError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { SlackMessage } from '../render/blocks.js';
import type { SlackClient } from '../runner/register-button.js';
import type { RunnerDependencies } from '../runner/run-and-answer.js';
import { slackErrorCode } from '../slack-error-code.js';

/**
 * Sends a click's notices (audit line, direct message, the approval message's new state) after the click's
 * handler has handed its answer to the runner: a rate-limited Slack (429, Retry-After) then delays only the
 * notices, never the clicker's answer or the click's log line. They are tracked as in-flight work, so a
 * shutdown waits for them as for any answer.
 */
export function sendAfterAnswer(runner: RunnerDependencies, send: () => Promise<unknown>): void {
  const notices = new Promise<void>((resolve) => setImmediate(resolve))
    .then(send)
    .catch((error: unknown) => runner.logger.error({ err: error }, 'could not send the notices of a click'));
  void runner.inFlight.track(notices);
}

/**
 * Audit lines and direct messages: the write already happened, so a Slack failure must not turn it into
 * an error for the clicker. It is logged (with the Slack error code) and the click carries on.
 */
export async function sendNotice(
  client: SlackClient,
  logger: Logger,
  channel: string,
  message: SlackMessage,
  what: string,
): Promise<boolean> {
  try {
    await client.chat.postMessage({ channel, blocks: message.blocks, text: message.text });
    return true;
  } catch (error) {
    logger.warn({ channel, notice: what, slackError: slackErrorCode(error) }, `could not post the ${what}`);
    return false;
  }
}

/** Posts a message the click depends on (the approval request); a Slack refusal is explained to the clicker. */
export async function postOrExplain(
  client: SlackClient,
  channel: string,
  message: SlackMessage,
  what: string,
): Promise<string | undefined> {
  try {
    const posted = await client.chat.postMessage({ channel, blocks: message.blocks, text: message.text });
    return posted.ts;
  } catch (error) {
    const code = slackErrorCode(error);
    if (code === undefined) throw error;
    throw new UserFacingError(
      ErrorCode.NotConfigured,
      `Slack refused to post the ${what} in the channel ${channel} (${code}).`,
      code === 'not_in_channel' || code === 'channel_not_found'
        ? 'Invite the bot to that channel (/invite), or ask an operator to check ALERT_CHANNEL.'
        : 'Try again in a minute.',
      { cause: error },
    );
  }
}

/** Updates a message the bot posted (the approval request once decided). */
export async function updateNotice(
  client: SlackClient,
  logger: Logger,
  channel: string,
  ts: string,
  message: SlackMessage,
  what: string,
): Promise<void> {
  try {
    await client.chat.update({ channel, ts, blocks: message.blocks, text: message.text });
  } catch (error) {
    logger.warn({ channel, notice: what, slackError: slackErrorCode(error) }, `could not update the ${what}`);
  }
}
