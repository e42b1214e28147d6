import type { SlackMessageRecord } from '../../stand-ins/slack-api-server.js';
import { type CommandEcho, type MessageContext, renderEcho, renderMessage } from './render-message.js';

export interface TimelineEntry {
  /** Stable while the message exists: the page replaces an entry in place when its html changes. */
  readonly key: string;
  readonly html: string;
}

/**
 * What one person sees in one channel, oldest first: the messages visible to them (ephemeral ones
 * only to their user, deleted ones not at all), replies under their parent, and the commands they
 * typed. `channelIds` lists every ID of the conversation (a DM is reached as D<user> or as the user ID).
 */
export function buildTimeline(
  messages: readonly SlackMessageRecord[],
  echoes: readonly CommandEcho[],
  channelIds: ReadonlySet<string>,
  context: MessageContext,
): TimelineEntry[] {
  const visible = (message: SlackMessageRecord) =>
    channelIds.has(message.channel) && !message.deleted && (message.ephemeralTo === undefined || message.ephemeralTo === context.viewer);
  const shown = messages.filter(visible);
  const isReply = (message: SlackMessageRecord) =>
    message.threadTs !== undefined &&
    message.threadTs !== message.ts &&
    shown.some((parent) => parent.ts === message.threadTs && parent.threadTs === undefined);
  const entries: TimelineEntry[] = [];
  const echoesAt = (position: number) =>
    echoes.filter((echo) => echo.position === position && echo.user === context.viewer && channelIds.has(echo.channel));
  const addEchoes = (position: number) => {
    for (const echo of echoesAt(position)) entries.push({ key: `echo:${echoes.indexOf(echo)}`, html: renderEcho(echo, context) });
  };
  messages.forEach((message, position) => {
    addEchoes(position);
    if (!visible(message) || isReply(message)) return;
    const replies = shown.filter((reply) => reply.threadTs === message.ts && reply !== message);
    entries.push({ key: `msg:${message.channel}:${message.ts}`, html: renderMessage(message, replies, context) });
  });
  addEchoes(messages.length);
  return entries;
}
