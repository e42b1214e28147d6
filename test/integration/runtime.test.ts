import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { startAwsApiServer } from '../../dev/stand-ins/aws-api-server.js';
import { startKubeApiServer } from '../../dev/stand-ins/kube-api-server.js';
import { SAMPLE_REGION, seedSampleWorld } from '../../dev/stand-ins/sample-world.js';
import { startSlackApiServer } from '../../dev/stand-ins/slack-api-server.js';
import { postSigned, slashCommandBody } from '../../dev/stand-ins/slack-signing.js';
import { startBot } from '../../src/app/start-bot.js';
import { CHANNEL, DEVELOPER, type HarnessOptions, harnessPerTest, messageText, SIGNING_SECRET, waitFor } from '../support/harness.js';

describe('the runtime', () => {
  const start = harnessPerTest();

  const seed: HarnessOptions = { seed: seedSampleWorld };

  it('rejects a forged signature and does nothing', async () => {
    const harness = await start(seed);
    const body = slashCommandBody({
      command: '/ips',
      text: '',
      userId: DEVELOPER,
      channelId: CHANNEL,
      responseUrl: harness.slack.responseUrl(),
    });
    const forged = await postSigned(harness.slackUrl, 'not-the-signing-secret-0000000000', body);
    expect(forged.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(harness.slack.responses).toHaveLength(0);
    expect(harness.kube.requests).toHaveLength(0);
    expect(harness.aws.count()).toBe(0);
  });

  it('rejects a request whose timestamp is more than five minutes old', async () => {
    const harness = await start(seed);
    const body = slashCommandBody({
      command: '/ips',
      text: '',
      userId: DEVELOPER,
      channelId: CHANNEL,
      responseUrl: harness.slack.responseUrl(),
    });
    const stale = await postSigned(harness.slackUrl, SIGNING_SECRET, body, { timestampSeconds: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(stale.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(harness.slack.responses).toHaveLength(0);
    expect(harness.kube.requests).toHaveLength(0);
    expect(harness.aws.count()).toBe(0);
  });

  it('acknowledges a command before the Kubernetes and AWS work is done', async () => {
    const harness = await start(seed);
    harness.kube.latencyMs = 400;
    const started = Date.now();
    const sent = await harness.slash('/ips', '');
    const ackedAfter = Date.now() - started;
    expect(sent.status).toBe(200);
    expect(ackedAfter).toBeLessThan(400);
    expect(harness.slack.responses).toHaveLength(0);
    const answer = await harness.response(sent.responseUrl);
    expect(messageText(answer.body)).toContain('52.17.10.100');
  });

  it('serves /healthz, /readyz and /metrics with commands, latency and AWS and Kubernetes calls', async () => {
    const harness = await start(seed);
    expect((await fetch(`${harness.bot.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${harness.bot.url}/readyz`)).status).toBe(200);
    const sent = await harness.slash('/ips', '');
    await harness.response(sent.responseUrl);
    await waitFor(() => harness.logs.some((line) => line['command'] === '/ips' && line['outcome'] !== undefined));
    const metrics = await (await fetch(`${harness.bot.url}/metrics`)).text();
    expect(metrics).toContain('nlb_bot_commands_total{command="/ips",outcome="ok"} 1');
    expect(metrics).toMatch(/nlb_bot_command_duration_seconds_bucket\{le="[^"]+",command="\/ips"\}/);
    expect(metrics).toMatch(/nlb_bot_aws_calls_total\{edge="default",operation="DescribeLoadBalancers",outcome="ok"\} 1/);
    expect(metrics).toMatch(/nlb_bot_kubernetes_calls_total\{edge="default",operation="readNamespacedService",outcome="ok"\} 1/);
    expect((await fetch(`${harness.bot.url}/nope`)).status).toBe(404);
  });

  it('writes one JSON log line per command with user, command, outcome and duration, and never a secret', async () => {
    const harness = await start(seed);
    const sent = await harness.slash('/ips', '');
    await harness.response(sent.responseUrl);
    const line = await waitFor(() => harness.logs.find((entry) => entry['command'] === '/ips' && entry['outcome'] === 'ok'));
    expect(line).toMatchObject({ user: DEVELOPER, command: '/ips', outcome: 'ok' });
    expect(typeof line['durationMs']).toBe('number');
    const everything = harness.rawLogs.join('\n');
    expect(everything).not.toContain(harness.slack.botToken);
    expect(everything).not.toContain(SIGNING_SECRET);
    expect(everything).not.toContain(harness.kube.token);
    expect(everything).not.toContain('/response/');
  });

  it('goes not-ready on shutdown and finishes the answer it is working on', async () => {
    const harness = await start(seed);
    harness.kube.latencyMs = 300;
    const sent = await harness.slash('/ips', '');
    const stopping = harness.bot.stop(5000);
    const ready = await fetch(`${harness.bot.url}/readyz`)
      .then((response) => response.status)
      .catch(() => 'closed');
    expect([503, 'closed']).toContain(ready);
    await stopping;
    expect(harness.slack.responses.some((post) => sent.responseUrl.endsWith(post.id))).toBe(true);
  });
});

describe('the bot token check', () => {
  it('logs a token Slack rejects at start, and keeps answering commands', async () => {
    const kube = await startKubeApiServer();
    const aws = await startAwsApiServer();
    const slack = await startSlackApiServer();
    seedSampleWorld(kube.store, aws.world);
    slack.failMethod('auth.test', 'invalid_auth');
    const dir = mkdtempSync(join(tmpdir(), 'nlb-bot-token-'));
    writeFileSync(join(dir, 'kubeconfig'), kube.kubeconfig());
    const lines: Array<Record<string, unknown>> = [];
    const bot = await startBot({
      host: '127.0.0.1',
      logDestination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
      env: {
        SLACK_BOT_TOKEN: slack.botToken,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: slack.apiUrl,
        PORT: '0',
        KUBECONFIG: join(dir, 'kubeconfig'),
        AWS_REGION: SAMPLE_REGION,
        AWS_ENDPOINT_URL: aws.url,
      },
    });
    try {
      const rejected = await waitFor(() => lines.find((line) => line['slackError'] === 'invalid_auth'));
      expect(rejected).toMatchObject({ level: 'error', msg: 'Slack rejected the bot token (invalid_auth): check SLACK_BOT_TOKEN' });
      const responseUrl = slack.responseUrl({ channel: CHANNEL, user: DEVELOPER });
      const body = slashCommandBody({ command: '/ips', text: '', userId: DEVELOPER, channelId: CHANNEL, responseUrl });
      expect((await postSigned(`${bot.url}/slack/events`, SIGNING_SECRET, body)).status).toBe(200);
      const answer = await waitFor(() => slack.responses.find((post) => responseUrl.endsWith(post.id)));
      expect(messageText(answer.body)).toContain('52.17.10.100/32');
      expect(slack.calls.filter((call) => call.method === 'auth.test')).toHaveLength(1);
    } finally {
      await bot.stop(1000);
      await Promise.all([kube.close(), aws.close(), slack.close()]);
    }
  });
});
