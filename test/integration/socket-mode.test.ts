import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { startAwsApiServer } from '../../dev/stand-ins/aws-api-server.js';
import { startKubeApiServer } from '../../dev/stand-ins/kube-api-server.js';
import { SAMPLE_REGION, seedSampleWorld } from '../../dev/stand-ins/sample-world.js';
import { type SlackApiServer, startSlackApiServer } from '../../dev/stand-ins/slack-api-server.js';
import { newTriggerId } from '../../dev/stand-ins/slack-signing.js';
import { type BotProcess, buildProductionBot, startBotProcess } from '../support/bot-process.js';
import { CHANNEL, DEVELOPER, messageText, SIGNING_SECRET, waitFor } from '../support/harness.js';

/**
 * Socket Mode against a stand-in Slack that speaks its protocol (apps.connections.open, hello, envelopes,
 * acknowledgements, disconnect/refresh_requested), with the bot as a real process: an error nobody handles
 * would end it, so "still alive" is a real check.
 */
describe('Socket Mode, with the bot as a process', () => {
  let build: ReturnType<typeof buildProductionBot>;
  const closers: Array<() => Promise<unknown>> = [];
  beforeAll(() => {
    build = buildProductionBot();
  }, 120_000);
  afterAll(() => build.remove());
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  async function start(env: Record<string, string> = {}): Promise<{ bot: BotProcess; slack: SlackApiServer; url: string }> {
    const kube = await startKubeApiServer();
    const aws = await startAwsApiServer();
    const slack = await startSlackApiServer();
    closers.push(
      () => kube.close(),
      () => aws.close(),
      () => slack.close(),
    );
    seedSampleWorld(kube.store, aws.world);
    const dir = mkdtempSync(join(tmpdir(), 'nlb-bot-socket-'));
    writeFileSync(join(dir, 'kubeconfig'), kube.kubeconfig());
    const bot = startBotProcess(build.dir, {
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_APP_TOKEN: slack.appToken,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      PORT: '0',
      KUBECONFIG: join(dir, 'kubeconfig'),
      AWS_REGION: SAMPLE_REGION,
      AWS_ENDPOINT_URL: aws.url,
      SOCKET_MODE_RECONNECT_MAX_SECONDS: '2',
      LOG_LEVEL: 'info',
      ...env,
    });
    closers.push(async () => {
      if (bot.alive()) bot.child.kill('SIGKILL');
      await bot.exited;
    });
    // PORT=0: the bot takes a free port and says which in its start line (absent when it ends at start).
    const started = await bot.waitForLog((line) => line['msg'] === 'bot started', 30_000, 'the start').catch(() => undefined);
    return { bot, slack, url: `http://127.0.0.1:${String(started?.['port'] ?? 0)}` };
  }

  const readyz = (url: string) =>
    fetch(`${url}/readyz`).then(
      (response) => response.status,
      () => 0,
    );

  /** /ips over the socket; resolves with the answer's text: in the acknowledgement (cached) or through response_url. */
  async function ipsOverSocket(slack: SlackApiServer): Promise<string> {
    const responseUrl = slack.responseUrl({ channel: CHANNEL, user: DEVELOPER });
    const payload = {
      command: '/ips',
      text: '',
      user_id: DEVELOPER,
      channel_id: CHANNEL,
      team_id: 'TSTANDIN',
      response_url: responseUrl,
      trigger_id: newTriggerId(),
    };
    const ack = await slack.sendEnvelope('slash_commands', payload);
    expect(ack['envelope_id']).toBeDefined();
    const inAck = ack['payload'] as { blocks?: unknown } | undefined;
    if (inAck?.blocks !== undefined) return messageText(inAck);
    const answer = await waitFor(() => slack.responses.find((post) => responseUrl.endsWith(post.id)), 10_000, 'the /ips answer');
    return messageText(answer.body);
  }

  async function connected(slack: SlackApiServer, url: string): Promise<void> {
    await waitFor(() => slack.socketConnections() === 1, 30_000, 'a Socket Mode connection');
    for (let attempt = 0; attempt < 100 && (await readyz(url)) !== 200; attempt += 1)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await readyz(url)).toBe(200);
  }

  it('connects, is ready, and answers /ips that arrives over the socket', async () => {
    const { slack, url } = await start();
    await connected(slack, url);
    expect(await ipsOverSocket(slack)).toContain('52.17.10.100/32');
  }, 60_000);

  it('reconnects after a dropped connection and after a refresh, not ready in between', async () => {
    const { bot, slack, url } = await start();
    await connected(slack, url);
    slack.cutSockets();
    await waitFor(() => slack.socketConnections() === 0, 5000, 'the cut');
    await connected(slack, url);
    slack.dropSockets();
    await waitFor(() => slack.socketCloseCodes.length >= 2, 5000, 'the refresh');
    await connected(slack, url);
    expect(await ipsOverSocket(slack)).toContain('52.17.10.100/32');
    expect(bot.alive()).toBe(true);
  }, 60_000);

  it('stays up through a 30 s outage of the Web API while reconnecting, says so, and answers after', async () => {
    const { bot, slack, url } = await start();
    await connected(slack, url);
    slack.unreachable('apps.connections.open');
    slack.cutSockets();
    const outageEnds = Date.now() + 30_000;
    for (let attempt = 0; attempt < 100 && (await readyz(url)) !== 503; attempt += 1)
      await new Promise((resolve) => setTimeout(resolve, 20));
    while (Date.now() < outageEnds) {
      expect(await readyz(url)).toBe(503);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    expect(bot.alive()).toBe(true);
    const attempts = bot.logs().filter((line) => String(line['msg']).startsWith('Socket Mode: could not connect to Slack'));
    expect(attempts.length).toBeGreaterThanOrEqual(10);
    expect(attempts[0]).toMatchObject({ level: 'warn', slackApiUrl: slack.apiUrl });
    slack.reachable();
    await connected(slack, url);
    expect(await ipsOverSocket(slack)).toContain('52.17.10.100/32');
    expect(bot.output()).not.toContain('unhandled');
  }, 90_000);

  it('starts while Slack is unreachable, not ready, and connects once Slack answers', async () => {
    const unreachable = await start({ SLACK_API_URL: 'http://127.0.0.1:9/api/' });
    await unreachable.bot.waitForLog((line) => line['msg'] === 'bot started', 15_000, 'the start');
    await unreachable.bot.waitForLog(
      (line) => String(line['msg']).startsWith('Socket Mode: could not connect to Slack at http://127.0.0.1:9/api/'),
      15_000,
      'the attempt naming the URL',
    );
    expect(await readyz(unreachable.url)).toBe(503);
    expect(unreachable.bot.alive()).toBe(true);
  }, 60_000);

  it('ends with exit 78 and a line naming SLACK_APP_TOKEN when Slack refuses the token at start', async () => {
    const { bot } = await start({ SLACK_APP_TOKEN: 'xapp-1-not-the-right-token' });
    expect(await bot.exited).toBe(78);
    expect(bot.output()).toContain('SLACK_APP_TOKEN was refused by Slack (invalid_auth)');
  }, 60_000);

  it('ends with exit 78 and that line when Slack refuses the token on a reconnection', async () => {
    const { bot, slack, url } = await start();
    await connected(slack, url);
    slack.revokeAppToken();
    slack.cutSockets();
    expect(await bot.exited).toBe(78);
    expect(bot.output()).toContain('SLACK_APP_TOKEN was refused by Slack (invalid_auth)');
  }, 60_000);

  it('acts once on a redelivered envelope, and acknowledges malformed ones without acting or ending', async () => {
    const { bot, slack, url } = await start();
    await connected(slack, url);
    const responseUrl = slack.responseUrl({ channel: CHANNEL, user: DEVELOPER });
    const payload = {
      command: '/ips',
      text: '',
      user_id: DEVELOPER,
      channel_id: CHANNEL,
      team_id: 'TSTANDIN',
      response_url: responseUrl,
      trigger_id: newTriggerId(),
    };
    await slack.sendEnvelope('slash_commands', payload);
    await slack.sendEnvelope('slash_commands', payload, 5000, 1);
    await waitFor(() => slack.responses.some((post) => responseUrl.endsWith(post.id)), 10_000, 'the answer');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(slack.responses.filter((post) => responseUrl.endsWith(post.id))).toHaveLength(1);

    for (const [type, body] of [
      ['events_api', null],
      ['events_api', { type: 'event_callback' }],
      ['slash_commands', null],
      ['slash_commands', { command: 42 }],
      ['interactive', { type: 'block_actions', actions: { action_id: 'expose_apply' }, user: { id: DEVELOPER } }],
      ['interactive', { type: 'block_actions', actions: [1], user: null }],
      ['interactive', { type: 'view_submission', user: { id: DEVELOPER } }],
      ['no_such_type', {}],
    ] as const) {
      expect(await slack.sendEnvelope(type, body)).toHaveProperty('envelope_id');
    }
    slack.sendRaw('not json at all');
    slack.sendRaw(JSON.stringify({ type: 'events_api', envelope_id: 'x', payload: null }));
    slack.sendRaw(JSON.stringify({ type: 'events_api', envelope_id: 'y' }));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(bot.alive()).toBe(true);
    expect(await ipsOverSocket(slack)).toContain('52.17.10.100/32');
    expect(bot.output()).not.toContain('unhandled');
  }, 60_000);

  it('closes the socket with 1000 (normal closure) on SIGTERM and exits 0', async () => {
    const { bot, slack, url } = await start();
    await connected(slack, url);
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
    await waitFor(() => slack.socketCloseCodes.length >= 1, 5000, 'the close');
    expect(slack.socketCloseCodes).toEqual([1000]);
  }, 60_000);
});
