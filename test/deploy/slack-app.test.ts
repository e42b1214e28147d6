import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { seedSampleWorld } from '../../dev/stand-ins/sample-world.js';
import { type Harness, startHarness } from '../support/harness.js';

const root = join(import.meta.dirname, '..', '..');
const manifest = parse(readFileSync(join(root, 'manifests', 'slack-app.yaml'), 'utf8')) as {
  features: {
    slash_commands: Array<{ command: string; description: string }>;
    app_home: { messages_tab_enabled: boolean; home_tab_enabled: boolean };
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: { event_subscriptions: { bot_events: string[] }; interactivity: { is_enabled: boolean }; socket_mode_enabled: boolean };
};

/** The Web API methods the bot's own code calls (stand-ins and the sandbox talk to Slack's stand-in, not to Slack). */
function webApiMethodsInCode(dir = join(root, 'src')): string[] {
  const methods = new Set<string>();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'stand-ins' && entry.name !== 'sandbox') for (const method of webApiMethodsInCode(path)) methods.add(method);
    } else if (entry.name.endsWith('.ts')) {
      for (const match of readFileSync(path, 'utf8').matchAll(/\.(chat|conversations|users|views|reactions|files|im)\.(\w+)\(/g))
        methods.add(`${match[1]}.${match[2]}`);
    }
  }
  return [...methods].sort();
}

describe('the Slack app manifest', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ seed: (kube, aws) => seedSampleWorld(kube, aws) });
  });
  afterAll(() => harness?.close());

  it('declares exactly the slash commands the app registers', () => {
    expect(harness.bot.slashCommands).toEqual(['/check', '/expose', '/health', '/ips', '/unexpose']);
    expect(manifest.features.slash_commands.map((entry) => entry.command).sort()).toEqual(harness.bot.slashCommands);
    for (const entry of manifest.features.slash_commands) expect(entry.description.length).toBeGreaterThan(10);
  });

  it('asks for the scopes the bot needs and no more', () => {
    // commands: slash commands; chat:write: chat.postMessage, chat.update and chat.postEphemeral, including
    // direct messages to a user ID (the App Home Messages tab). views.publish (the Home tab) needs no scope.
    expect(webApiMethodsInCode()).toEqual(['chat.postEphemeral', 'chat.postMessage', 'chat.update', 'views.publish']);
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(['chat:write', 'commands']);
    expect(manifest.features.app_home.messages_tab_enabled).toBe(true);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
  });

  it('subscribes to exactly the events the bot listens to (the Home tab)', () => {
    expect(manifest.settings.event_subscriptions.bot_events).toEqual([...harness.bot.eventTypes].sort());
    expect(harness.bot.eventTypes).toEqual(['app_home_opened']);
  });

  it('turns on interactivity (the buttons) and Socket Mode', () => {
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(true);
  });
});
