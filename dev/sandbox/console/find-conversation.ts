import type { SlackMessageRecord } from '../../stand-ins/slack-api-server.js';
import { BOT_DISPLAY_NAME, type SandboxChannel, type SandboxUser } from '../sandbox-directory.js';

export interface Conversation {
  /** Every channel ID its messages carry: a DM is reached as D<user> (conversations.open) or as the user ID. */
  readonly ids: ReadonlySet<string>;
  readonly name: string;
  readonly direct: boolean;
}

/**
 * The conversation behind a channel ID, if this person may see it: a sandbox channel, another channel
 * the bot wrote to, or their own DM with the bot (never someone else's).
 */
export function findConversation(
  channel: string,
  user: SandboxUser,
  channels: readonly SandboxChannel[],
  messages: readonly SlackMessageRecord[],
): Conversation | undefined {
  if (channel === `D${user.id}`) return { ids: new Set([channel, user.id]), name: BOT_DISPLAY_NAME, direct: true };
  if (/^[DUW]/.test(channel)) return undefined;
  const known = channels.find((candidate) => candidate.id === channel);
  if (known !== undefined) return { ids: new Set([channel]), name: known.name, direct: false };
  return messages.some((message) => message.channel === channel) ? { ids: new Set([channel]), name: channel, direct: false } : undefined;
}
