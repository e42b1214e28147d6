import type { Directory } from './console/directory.js';

/**
 * The people and channels of the sandbox's Slack. The admin is in EXPOSE_ADMINS, the developer is
 * not: the console switches between them to show what each may do.
 */
export interface SandboxUser {
  readonly id: string;
  readonly name: string;
  readonly role: 'admin' | 'developer';
}

export interface SandboxChannel {
  readonly id: string;
  readonly name: string;
  readonly purpose: string;
}

export const SANDBOX_USERS: readonly SandboxUser[] = [
  { id: 'U0ADMIN0001', name: 'Ada', role: 'admin' },
  { id: 'U0DEVELOPER', name: 'Dev', role: 'developer' },
];

export const SANDBOX_CHANNEL: SandboxChannel = {
  id: 'C0PLATFORM1',
  name: 'platform',
  purpose: 'Type slash commands here, for example /ips. The answers come from the real bot.',
};

export const SANDBOX_ALERT_CHANNEL: SandboxChannel = {
  id: 'C0ALERTS001',
  name: 'alerts',
  purpose: 'ALERT_CHANNEL: the bot posts alerts, approval requests and its audit trail here.',
};

export const SANDBOX_CHANNELS: readonly SandboxChannel[] = [SANDBOX_CHANNEL, SANDBOX_ALERT_CHANNEL];

/** Users who appear in the sample world's annotations without being a console user. */
const OTHER_PEOPLE: Readonly<Record<string, string>> = { U0REQUESTER: 'Rae' };

export const BOT_DISPLAY_NAME = 'nlb-ingress-bot';

export function sandboxDirectory(botUserId: string): Directory {
  return {
    userName: (id) => (id === botUserId ? BOT_DISPLAY_NAME : (SANDBOX_USERS.find((user) => user.id === id)?.name ?? OTHER_PEOPLE[id])),
    channelName: (id) => SANDBOX_CHANNELS.find((channel) => channel.id === id)?.name,
  };
}
