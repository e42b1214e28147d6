import type { KubeRequestRecord } from '../../dev/stand-ins/kube-api-server.js';
import type { SlackMessageRecord } from '../../dev/stand-ins/slack-api-server.js';
import type { RunningBot } from '../../src/app/start-bot.js';
import { CHANNEL, type Harness, messageText, waitFor } from './harness.js';

const WRITE_VERBS = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);

/**
 * Every request that would change what the cluster serves: writes of anything but the bot's own bookkeeping
 * in its namespace (the leader-election Lease, the ConfigMap of approval decisions; see decisionWrites).
 */
export function kubeWrites(harness: Harness): KubeRequestRecord[] {
  return harness.kube.requests.filter((request) => WRITE_VERBS.has(request.verb) && !isBookkeeping(request));
}

/** Writes of the ConfigMap where Approve and Reject record who decided first. */
export function decisionWrites(harness: Harness): KubeRequestRecord[] {
  return harness.kube.requests.filter((request) => WRITE_VERBS.has(request.verb) && request.resource === 'configmaps');
}

function isBookkeeping(request: KubeRequestRecord): boolean {
  return (request.resource === 'leases' || request.resource === 'configmaps') && request.namespace === 'default';
}

/** Runs a slash command and returns the ephemeral answer as the stand-in Slack holds it. */
export async function command(
  harness: Harness,
  name: string,
  text: string,
  user: string,
): Promise<{ message: SlackMessageRecord; text: string }> {
  const sent = await harness.slash(name, text, { user, channel: CHANNEL });
  if (sent.status !== 200) throw new Error(`${name} was answered with HTTP ${sent.status}`);
  const answer = await harness.response(sent.responseUrl);
  const message = harness.slack.messages.filter((candidate) => candidate.via === 'response_url' && candidate.ephemeralTo === user).at(-1);
  if (message === undefined) throw new Error('the answer is not in the stand-in Slack');
  return { message, text: messageText(answer.body) };
}

/** Waits until the bot has logged `count` runs of a button (its one line per click). */
export async function clicksDone(harness: Harness, actionId: string, count = 1): Promise<Array<Record<string, unknown>>> {
  return waitFor(
    () => {
      const lines = harness.logs.filter((line) => line['command'] === actionId && line['outcome'] !== undefined);
      return lines.length >= count ? lines : undefined;
    },
    5000,
    `${count} logged run(s) of ${actionId}`,
  );
}

/** The answer a click got through its response_url, as text. */
export async function clickAnswer(
  harness: Harness,
  responseUrl: string,
): Promise<{ text: string; body: Readonly<Record<string, unknown>> }> {
  const answer = await harness.response(responseUrl);
  return { text: messageText(answer.body), body: answer.body };
}

/**
 * Stops the bots, which waits for every answer and Slack notice still in flight (as a shutdown does):
 * what the stand-in Slack holds afterwards is final, so a test can count audit lines and messages.
 */
export async function settle(...bots: RunningBot[]): Promise<void> {
  await Promise.all(bots.map((bot) => bot.stop(5000)));
}
