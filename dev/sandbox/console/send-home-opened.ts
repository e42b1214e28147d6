import { appHomeOpenedEvent, postEvent } from '../../stand-ins/slack-signing.js';
import { ACK_TIMEOUT_MS, type SlackSide } from './slack-side.js';

/**
 * Does what Slack does when someone opens the app's Home tab: a signed Events API delivery (JSON,
 * `event_callback` with `app_home_opened`, tab `home`, the view the user last saw if there is one) to the app.
 * The view the app publishes in answer (views.publish) reaches the Slack stand-in by itself. Slack tells the
 * person nothing when the app does not accept it: the Home tab just stays as it was.
 */
export async function sendHomeOpened(side: SlackSide, user: string): Promise<{ status: number | 'timeout' }> {
  const last = side.slack.homeViews.get(user);
  const body = appHomeOpenedEvent({
    userId: user,
    botUserId: side.slack.botUserId,
    ...(last === undefined ? {} : { view: last.view }),
  });
  try {
    const answer = await postEvent(side.slackEventsUrl, side.signingSecret, body, { signal: AbortSignal.timeout(ACK_TIMEOUT_MS) });
    return { status: answer.status };
  } catch {
    return { status: 'timeout' };
  }
}
