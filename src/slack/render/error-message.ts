import type { UserFacingError } from '../../errors.js';
import { context, escapeMrkdwn, type SlackMessage, section } from './blocks.js';

export function renderUserError(error: UserFacingError): SlackMessage {
  // The message may quote what a user typed or the cluster holds: escaped in the fallback text as in the blocks.
  const text = `:warning: ${escapeMrkdwn(error.message)}${error.hint === undefined ? '' : `\n${escapeMrkdwn(error.hint)}`}`;
  return {
    text,
    blocks: [
      section(`:warning: *${escapeMrkdwn(error.message)}*`),
      ...(error.hint === undefined ? [] : [context(escapeMrkdwn(error.hint))]),
    ],
  };
}

/** An unexpected failure: no details (they are in the log), only an id to find the log line. */
export function renderUnexpectedError(errorId: string): SlackMessage {
  const text = `Sorry, something went wrong on the bot's side. Reference: ${errorId} (the bot's log has the details).`;
  return { text, blocks: [section(`:x: ${text}`)] };
}
