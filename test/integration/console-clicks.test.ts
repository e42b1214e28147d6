import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { BlockAction } from '@slack/bolt';
import { type ConsoleServer, startConsoleServer } from '../../dev/sandbox/console/console-server.js';
import { SANDBOX_CHANNEL, SANDBOX_CHANNELS, SANDBOX_USERS } from '../../dev/sandbox/sandbox-directory.js';
import { WorldSimulation } from '../../dev/sandbox/world-simulation.js';
import { KubeStore } from '../../dev/stand-ins/kube-api-server.js';
import { type SlackApiServer, startSlackApiServer } from '../../dev/stand-ins/slack-api-server.js';
import { createHttpServer } from '../../src/http/http-server.js';
import { createLogger } from '../../src/logger.js';
import { Metrics } from '../../src/metrics.js';
import { createSlackRuntime, SLACK_EVENTS_PATH, type SlackRuntime } from '../../src/slack/slack-runtime.js';
import { ConsoleClient } from '../support/console-client.js';
import { SIGNING_SECRET, waitFor } from '../support/harness.js';

const [ADMIN, DEVELOPER] = SANDBOX_USERS.map((user) => user.id) as [string, string];
const CHANNEL = SANDBOX_CHANNEL.id;
const plain = (text: string) => ({ type: 'plain_text' as const, text });

/**
 * Clicks in the console against the bot's own Slack runtime (the Bolt app as src/slack/slack-runtime.ts
 * builds it, signature verification on), with listeners for the buttons of these tests.
 */
describe('clicks in the sandbox console', () => {
  const logger = createLogger('silent');
  const clicks: BlockAction[] = [];
  let slack: SlackApiServer;
  let runtime: SlackRuntime;
  let botServer: ReturnType<typeof createHttpServer>;
  let consoleServer: ConsoleServer;
  let client: ConsoleClient;
  let slackEventsUrl: string;
  let world: WorldSimulation;

  beforeAll(async () => {
    slack = await startSlackApiServer();
    world = new WorldSimulation(new KubeStore(), { loadBalancers: [], listeners: [], targetGroups: [], certificates: [] });
    world.reset();
    runtime = createSlackRuntime(
      {
        mode: 'http',
        reconnectMaxSeconds: 30,
        botToken: slack.botToken,
        signingSecret: SIGNING_SECRET,
        appToken: undefined,
        apiUrl: slack.apiUrl,
      },
      logger,
      // The actions these tests register directly on the app (the bot registers its own through its runner).
      { slashCommands: new Set(), actionIds: new Set(['apply', 'details', 'cancel']), eventTypes: new Set() },
    );
    runtime.app.action<BlockAction>('apply', async ({ ack, body, respond }) => {
      await ack();
      clicks.push(body);
      await respond({ replace_original: true, text: `Applied by <@${body.user.id}>` });
    });
    runtime.app.action<BlockAction>('details', async ({ ack, body, respond }) => {
      await ack();
      clicks.push(body);
      await respond({ replace_original: false, response_type: 'ephemeral', text: 'Details for you' });
    });
    runtime.app.action<BlockAction>('cancel', async ({ ack, body, respond }) => {
      await ack();
      clicks.push(body);
      await respond({ delete_original: true });
    });
    botServer = createHttpServer({
      metrics: new Metrics(),
      logger,
      isReady: () => true,
      slack: { path: SLACK_EVENTS_PATH, listener: runtime.requestListener! },
    });
    await new Promise<void>((resolve) => botServer.listen(0, '127.0.0.1', resolve));
    slackEventsUrl = `http://127.0.0.1:${(botServer.address() as AddressInfo).port}${SLACK_EVENTS_PATH}`;
    consoleServer = await startConsoleServer({
      slack,
      slackEventsUrl,
      signingSecret: SIGNING_SECRET,
      world,
      users: SANDBOX_USERS,
      channels: SANDBOX_CHANNELS,
      port: 0,
      logger,
    });
    client = new ConsoleClient(consoleServer.url);
  });
  afterAll(async () => {
    await consoleServer?.close();
    await new Promise((resolve) => botServer?.close(resolve));
    await slack?.close();
  });

  const post = async (args: Record<string, unknown>) => {
    const method = args['user'] === undefined ? 'postMessage' : 'postEphemeral';
    const answer = (await runtime.client.chat[method]({ channel: CHANNEL, text: 'fallback', ...args } as never)) as {
      ts?: string;
      message_ts?: string;
    };
    return (answer.ts ?? answer.message_ts)!;
  };

  it('sends a click on a channel message as a signed block_actions payload, and the answer replaces the message', async () => {
    const ts = await post({
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: 'Expose *api.example.com*?' } },
        {
          type: 'actions',
          block_id: 'expose-request',
          elements: [{ type: 'button', action_id: 'apply', text: plain('Apply'), style: 'primary', value: 'request-42' }],
        },
      ],
    });
    await client.waitForText(ADMIN, CHANNEL, 'Expose api.example.com?');
    expect(await client.click(ADMIN, CHANNEL, ts, 1, 0)).toEqual({ status: 200, json: { status: 200 } });
    await waitFor(() => clicks.length === 1);
    expect(clicks[0]).toMatchObject({
      type: 'block_actions',
      user: { id: ADMIN, name: 'ada' },
      channel: { id: CHANNEL, name: 'platform' },
      container: { type: 'message', message_ts: ts, channel_id: CHANNEL, is_ephemeral: false },
      message: { ts, text: 'fallback', blocks: expect.any(Array) },
      actions: [{ action_id: 'apply', block_id: 'expose-request', value: 'request-42', type: 'button', style: 'primary' }],
    });
    expect(clicks[0]!.response_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/response\//);
    expect(clicks[0]!.trigger_id).toEqual(expect.any(String));
    const view = await client.waitForText(ADMIN, CHANNEL, 'Applied by @Ada');
    expect(view.text).toContain('(edited)');
    expect(view.text).not.toContain('Expose api.example.com?');
  });

  it('sends a click on an ephemeral message without the message, as Slack does, and shows the new answer to that person', async () => {
    const ts = await post({
      user: DEVELOPER,
      blocks: [
        {
          type: 'section',
          text: { type: 'mrkdwn', text: 'orders.example.com' },
          accessory: { type: 'button', action_id: 'details', text: plain('Details') },
        },
      ],
    });
    expect((await client.click(DEVELOPER, CHANNEL, ts, 0, 'accessory')).json).toEqual({ status: 200 });
    await waitFor(() => clicks.length === 2);
    expect(clicks[1]).toMatchObject({
      user: { id: DEVELOPER },
      container: { message_ts: ts, is_ephemeral: true },
      actions: [{ action_id: 'details' }],
    });
    expect(clicks[1]).not.toHaveProperty('message');
    await client.waitForText(DEVELOPER, CHANNEL, 'Details for you');
    expect((await client.timeline(ADMIN, CHANNEL)).text).not.toContain('Details for you');
  });

  it('removes a message whose click answers delete_original', async () => {
    const ts = await post({
      blocks: [{ type: 'actions', elements: [{ type: 'button', action_id: 'cancel', text: plain('Cancel this request') }] }],
    });
    await client.waitForText(DEVELOPER, CHANNEL, 'Cancel this request');
    await client.click(DEVELOPER, CHANNEL, ts, 0, 0);
    const view = await client.waitForView(
      DEVELOPER,
      CHANNEL,
      (shown) => !shown.entries.some((entry) => entry.key.endsWith(ts)),
      'the message to go',
    );
    expect(view.text).not.toContain('Cancel this request');
  });

  it('refuses a click on a message the person cannot see or where there is no button, and sends nothing', async () => {
    const before = clicks.length;
    const ts = await post({
      user: DEVELOPER,
      blocks: [{ type: 'actions', elements: [{ type: 'button', action_id: 'apply', text: plain('Apply') }, { type: 'static_select' }] }],
    });
    expect((await client.click(ADMIN, CHANNEL, ts, 0, 0)).status).toBe(404);
    expect((await client.click(DEVELOPER, CHANNEL, ts, 0, 1)).status).toBe(404);
    expect((await client.click(DEVELOPER, CHANNEL, ts, 3, 0)).status).toBe(404);
    expect((await client.click(DEVELOPER, CHANNEL, 'no-such-ts', 0, 0)).status).toBe(404);
    expect((await client.post('/api/click', { user: DEVELOPER, channel: CHANNEL, ts, block: 0, element: '0' })).status).toBe(400);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(clicks.length).toBe(before);
  });

  it('signs with the signing secret: a console with another secret is refused by the bot, and says so', async () => {
    const wrong = await startConsoleServer({
      slack,
      slackEventsUrl,
      signingSecret: 'ffffffffffffffffffffffffffffffff',
      world,
      users: SANDBOX_USERS,
      channels: SANDBOX_CHANNELS,
      port: 0,
      logger,
    });
    try {
      const before = clicks.length;
      const ts = await post({ blocks: [{ type: 'actions', elements: [{ type: 'button', action_id: 'apply', text: plain('Apply') }] }] });
      const answer = await new ConsoleClient(wrong.url).click(ADMIN, CHANNEL, ts, 0, 0);
      expect(answer.json).toEqual({ status: 401 });
      expect(clicks.length).toBe(before);
      await client.waitForText(ADMIN, CHANNEL, 'The button failed with the error "dispatch_failed" (the app answered HTTP 401)');
    } finally {
      await wrong.close();
    }
  });

  it('shows a direct message from the bot only to its recipient', async () => {
    const opened = (await runtime.client.conversations.open({ users: DEVELOPER })) as { channel?: { id?: string } };
    await runtime.client.chat.postMessage({ channel: opened.channel!.id!, text: 'Your request was approved' });
    const channels = async (user: string) =>
      (
        (await (await fetch(new URL(`/api/channels?user=${user}`, client.url))).json()) as {
          channels: Array<{ id: string; direct: boolean; entries: number }>;
        }
      ).channels;
    expect((await channels(DEVELOPER)).find((channel) => channel.direct)).toEqual(
      expect.objectContaining({ id: `D${DEVELOPER}`, entries: 1 }),
    );
    expect((await channels(ADMIN)).find((channel) => channel.direct)).toEqual(expect.objectContaining({ id: `D${ADMIN}`, entries: 0 }));
    expect((await client.timeline(DEVELOPER, `D${DEVELOPER}`)).text).toContain('Your request was approved');
    expect((await fetch(new URL(`/api/timeline?user=${ADMIN}&channel=D${DEVELOPER}`, client.url))).status).toBe(404);
  });
});
