import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { startAwsApiServer } from '../../dev/stand-ins/aws-api-server.js';
import { startKubeApiServer } from '../../dev/stand-ins/kube-api-server.js';
import { SAMPLE_REGION, seedSampleWorld } from '../../dev/stand-ins/sample-world.js';
import { startSlackApiServer } from '../../dev/stand-ins/slack-api-server.js';
import { interactionBody, postSigned, slashCommandBody } from '../../dev/stand-ins/slack-signing.js';
import { buildProductionBot, startBotProcess } from '../support/bot-process.js';
import { kubeWrites } from '../support/expose-steps.js';
import { ADMIN, CHANNEL, type Harness, harnessPerTest, SIGNING_SECRET } from '../support/harness.js';

/** The malformed clicks that once crashed the bot or got an empty 500, each as Slack would sign it. */
const KNOWN_CRASHERS: ReadonlyArray<readonly [string, string, string]> = [
  ['payload: null', 'application/x-www-form-urlencoded', interactionBody(null)],
  [
    'actions as an object',
    'application/x-www-form-urlencoded',
    interactionBody({
      type: 'block_actions',
      user: { id: ADMIN },
      actions: { action_id: 'expose_apply' },
      response_url: 'https://hooks.slack.com/x',
    }),
  ],
  [
    'actions as a string',
    'application/x-www-form-urlencoded',
    interactionBody({ type: 'block_actions', user: { id: ADMIN }, actions: 'expose_apply', response_url: 'https://hooks.slack.com/x' }),
  ],
  [
    'actions: [1]',
    'application/x-www-form-urlencoded',
    interactionBody({ type: 'block_actions', user: { id: ADMIN }, actions: [1], response_url: 'https://hooks.slack.com/x' }),
  ],
  [
    'user: null',
    'application/x-www-form-urlencoded',
    interactionBody({ type: 'block_actions', user: null, actions: [{ action_id: 'expose_apply', type: 'button' }] }),
  ],
  [
    'no user, channel or container',
    'application/x-www-form-urlencoded',
    interactionBody({ type: 'block_actions', actions: [{ action_id: 'expose_apply', type: 'button', value: 'x' }] }),
  ],
  [
    'a JSON body instead of a form',
    'application/json',
    JSON.stringify({ type: 'block_actions', user: { id: ADMIN }, actions: [{ action_id: 'expose_apply', type: 'button' }] }),
  ],
  [
    'a view_submission without view',
    'application/x-www-form-urlencoded',
    interactionBody({ type: 'view_submission', user: { id: ADMIN } }),
  ],
  ['payload that is not JSON', 'application/x-www-form-urlencoded', 'payload=%7Bnot%20json'],
  [
    'a command with text as a list',
    'application/x-www-form-urlencoded',
    'command=%2Fexpose&text=a&text=b&user_id=U0ADMIN0001&channel_id=C0PLATFORM1&response_url=https%3A%2F%2Fhooks.slack.com%2Fx&trigger_id=1',
  ],
  ['a JSON array', 'application/json', '[1,2,3]'],
  ['plain text', 'text/plain', 'hello'],
];

async function post(url: string, contentType: string, body: string): Promise<number> {
  return (await postSigned(url, SIGNING_SECRET, body, { headers: { 'content-type': contentType } })).status;
}

describe('hostile requests to the Slack endpoint, signed with the right secret', () => {
  const start = harnessPerTest({ seed: seedSampleWorld });

  it('answers each known crasher with 400 (or an acknowledgement), writes nothing, and keeps answering', async () => {
    const h = await start();
    for (const [what, contentType, body] of KNOWN_CRASHERS) {
      const status = await post(h.slackUrl, contentType, body);
      expect({ what, ok: status === 400 || status === 200 }).toEqual({ what, ok: true });
    }
    expect(kubeWrites(h)).toEqual([]);
    const ips = await h.slash('/ips', '');
    expect(ips.status).toBe(200);
  });

  it('never answers 500 and never writes, whatever JSON the payload holds (property)', async () => {
    const h = await start();
    await fc.assert(
      fc.asyncProperty(anyPayload(), async (payload) => {
        const status = await post(h.slackUrl, 'application/x-www-form-urlencoded', interactionBody(payload));
        return status !== 500 && kubeWrites(h).length === 0;
      }),
      { numRuns: 300 },
    );
  }, 60_000);

  it('never answers 500 and never writes, whatever form fields come (property)', async () => {
    const h = await start();
    const field = fc.oneof(
      fc.constantFrom('command', 'text', 'user_id', 'channel_id', 'response_url', 'trigger_id', 'payload', 'ssl_check', 'type'),
      fc.string({ maxLength: 12 }),
    );
    const value = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.constantFrom('/expose', '/unexpose', '/ips', '/health', ADMIN, CHANNEL, 'https://hooks.slack.com/x', '1', 'null', '{}', '[]'),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(field, value), { maxLength: 8 }), async (pairs) => {
        const body = new URLSearchParams(pairs).toString();
        const status = await post(h.slackUrl, 'application/x-www-form-urlencoded', body);
        return status !== 500 && kubeWrites(h).length === 0;
      }),
      { numRuns: 300 },
    );
  }, 60_000);

  it('checks the signature before anything: a forged request is 401 whatever its body', async () => {
    const h: Harness = await start();
    const forged = await postSigned(h.slackUrl, 'not-the-signing-secret-0000000000', interactionBody(null));
    expect(forged.status).toBe(401);
  });
});

/** Payloads near Slack's shapes, with every field possibly of the wrong type, plus arbitrary JSON. */
function anyPayload(): fc.Arbitrary<unknown> {
  const anything = fc.jsonValue({ maxDepth: 3 });
  const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.oneof(arbitrary, anything);
  const action = fc.record(
    {
      action_id: maybe(fc.constantFrom('expose_apply', 'expose_approve', 'expose_reject', 'expose_cancel', 'unexpose_remove', 'other')),
      type: maybe(fc.constant('button')),
      value: maybe(fc.string({ maxLength: 40 })),
    },
    { requiredKeys: [] },
  );
  const shaped = fc.record(
    {
      type: maybe(fc.constantFrom('block_actions', 'view_submission', 'shortcut', 'event_callback', 'url_verification')),
      user: maybe(fc.record({ id: maybe(fc.constantFrom(ADMIN, 'U0DEVELOPER', 'not-an-id')) }, { requiredKeys: [] })),
      actions: maybe(fc.array(maybe(action), { maxLength: 3 })),
      channel: maybe(fc.record({ id: maybe(fc.constant(CHANNEL)) }, { requiredKeys: [] })),
      container: anything,
      response_url: maybe(fc.constantFrom('https://hooks.slack.com/x', 'javascript:alert(1)', '')),
      trigger_id: maybe(fc.string({ maxLength: 20 })),
      message: anything,
      view: anything,
    },
    { requiredKeys: [] },
  );
  return fc.oneof(shaped, anything);
}

describe('the bot as a process, sent every known crasher', () => {
  let build: ReturnType<typeof buildProductionBot>;
  const closers: Array<() => Promise<unknown>> = [];
  beforeAll(() => {
    build = buildProductionBot();
  }, 120_000);
  afterAll(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    build.remove();
  });

  it('stays up, never reaches the unhandled-rejection handler, and still answers', async () => {
    const kube = await startKubeApiServer();
    const aws = await startAwsApiServer();
    const slack = await startSlackApiServer();
    closers.push(
      () => kube.close(),
      () => aws.close(),
      () => slack.close(),
    );
    seedSampleWorld(kube.store, aws.world);
    const dir = mkdtempSync(join(tmpdir(), 'nlb-bot-hostile-'));
    writeFileSync(join(dir, 'kubeconfig'), kube.kubeconfig());
    const bot = startBotProcess(build.dir, {
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      PORT: '0',
      KUBECONFIG: join(dir, 'kubeconfig'),
      AWS_REGION: SAMPLE_REGION,
      AWS_ENDPOINT_URL: aws.url,
      EXPOSE_ADMINS: ADMIN,
      EXPOSE_NAMESPACES: 'team-a',
      LOG_LEVEL: 'info',
    });
    closers.push(async () => {
      if (bot.alive()) bot.child.kill('SIGKILL');
      await bot.exited;
    });
    const started = await bot.waitForLog((line) => line['msg'] === 'bot started', 30_000, 'the start');
    const url = `http://127.0.0.1:${String(started['port'])}/slack/events`;
    for (const [what, contentType, body] of KNOWN_CRASHERS) {
      const status = await post(url, contentType, body);
      expect({ what, status: status === 400 || status === 200 ? 'handled' : status }).toEqual({ what, status: 'handled' });
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(bot.alive()).toBe(true);
    const responseUrl = slack.responseUrl({ channel: CHANNEL, user: ADMIN });
    const answer = await postSigned(
      url,
      SIGNING_SECRET,
      slashCommandBody({ command: '/ips', text: '', userId: ADMIN, channelId: CHANNEL, responseUrl }),
    );
    expect(answer.status).toBe(200);
    expect(bot.output()).not.toContain('unhandled promise rejection');
    expect(kube.requests.filter((request) => request.verb !== 'get' && request.verb !== 'list')).toEqual([]);
  }, 60_000);
});
