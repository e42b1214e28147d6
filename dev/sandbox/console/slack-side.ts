import type { SlackApiServer } from '../../stand-ins/slack-api-server.js';

/** What the console needs to act as Slack towards the bot: the Slack stand-in and the bot's signed endpoint. */
export interface SlackSide {
  readonly slack: SlackApiServer;
  /** The bot's POST /slack/events. */
  readonly slackEventsUrl: string;
  readonly signingSecret: string;
}

/**
 * Slack gives an app 3 seconds to acknowledge; Bolt answers 404 just after that to a request no
 * listener acknowledged. The console waits a little longer, then reports a timeout as Slack would.
 */
export const ACK_TIMEOUT_MS = 5000;

/** Slack's own words for a delivery the app did not accept, shown only to the person who acted. */
export function deliveryFailure(
  side: SlackSide,
  target: { channel: string; user: string },
  what: string,
  status: number | 'timeout',
): void {
  const error = status === 'timeout' ? 'operation_timeout' : 'dispatch_failed';
  const detail = status === 'timeout' ? 'the app did not answer within 3 seconds' : `the app answered HTTP ${status}`;
  side.slack.deliver({
    channel: target.channel,
    ephemeralTo: target.user,
    via: 'slackbot',
    text: `${what} failed with the error "${error}" (${detail}).`,
  });
}
