import { describe, expect, it } from '@jest/globals';
import { seedSampleWorld } from '../../dev/stand-ins/sample-world.js';
import { clickAnswer, clicksDone, command, settle } from '../support/expose-steps.js';
import { ADMIN, ALERT_CHANNEL, DEVELOPER, type Harness, harnessPerTest, waitFor } from '../support/harness.js';

// Slack answers chat.postMessage with 429 and this Retry-After once: the Web API client waits, then retries.
const RETRY_AFTER_SECONDS = 1;

describe('answers and log lines do not wait for Slack notices', () => {
  const start = harnessPerTest({ seed: seedSampleWorld });

  /** The notice was tried and rate-limited, and is still pending: nothing is in the channel yet. */
  async function expectHeldBack(h: Harness, channel: string): Promise<void> {
    await waitFor(
      () => h.slack.calls.some((call) => call.method === 'chat.postMessage' && call.status === 429),
      5000,
      'a rate-limited chat.postMessage',
    );
    expect(h.slack.channelMessages(channel)).toEqual([]);
  }

  it('answers Apply and logs the write while a rate-limited Slack holds the audit line back, and a shutdown still posts it', async () => {
    const h = await start();
    const preview = await command(h, '/expose', 'billing.example.com team-a/billing:8080', ADMIN);
    h.slack.rateLimit('chat.postMessage', RETRY_AFTER_SECONDS, 1);
    const answer = await clickAnswer(h, (await h.press(preview.message, 'Apply', ADMIN)).responseUrl);
    expect(answer.text).toContain('the Ingress `team-a/billing.example.com` is written');
    const [line] = await clicksDone(h, 'expose_apply');
    expect(line).toMatchObject({ user: ADMIN, result: 'applied', outcome: 'ok' });
    const written = h.logs.find((entry) => entry['msg'] === 'ingress created');
    expect(written).toMatchObject({
      user: ADMIN,
      action: 'expose_apply',
      write: 'create',
      ingress: 'team-a/billing.example.com',
      host: 'billing.example.com',
    });
    expect(h.logs.indexOf(written!)).toBeLessThan(h.logs.indexOf(line!));
    await expectHeldBack(h, ALERT_CHANNEL);

    // A shutdown waits for the notice like for any answer.
    await settle(h.bot);
    expect(h.slack.channelMessages(ALERT_CHANNEL).map((message) => message.text)).toEqual([
      expect.stringContaining(`<@${ADMIN}> exposed billing.example.com`),
    ]);
  });

  it('answers Approve and logs it while the requester’s message and the audit line wait for Slack', async () => {
    const h = await start();
    const preview = await command(h, '/expose', 'billing.example.com team-a/billing:http', DEVELOPER);
    await clickAnswer(h, (await h.press(preview.message, 'Request approval', DEVELOPER)).responseUrl);
    const [request] = h.slack.channelMessages(ALERT_CHANNEL);
    h.slack.rateLimit('chat.postMessage', RETRY_AFTER_SECONDS, 1);
    const answer = await clickAnswer(h, (await h.press(request!, 'Approve', ADMIN)).responseUrl);
    expect(answer.text).toContain('the Ingress `team-a/billing.example.com` is written');
    const [line] = await clicksDone(h, 'expose_approve');
    expect(line).toMatchObject({ user: ADMIN, result: 'applied', outcome: 'ok' });
    await expectHeldBack(h, DEVELOPER);
    expect(h.slack.channelMessages(ALERT_CHANNEL)).toEqual([request]);

    await settle(h.bot);
    expect(h.slack.channelMessages(DEVELOPER).map((message) => message.text)).toEqual([
      expect.stringContaining(`was approved by <@${ADMIN}>`),
    ]);
    expect(h.slack.channelMessages(ALERT_CHANNEL)).toHaveLength(2);
    expect(request!.updated).toBe(1);
  });

  it('answers Remove and logs the delete while the audit line waits for Slack', async () => {
    const h = await start();
    const confirm = await command(h, '/unexpose', 'orders.example.com', ADMIN);
    h.slack.rateLimit('chat.postMessage', RETRY_AFTER_SECONDS, 1);
    const answer = await clickAnswer(h, (await h.press(confirm.message, 'Remove', ADMIN)).responseUrl);
    expect(answer.text).toContain('Removed `orders.example.com`');
    const [line] = await clicksDone(h, 'unexpose_remove');
    expect(line).toMatchObject({ result: 'removed', outcome: 'ok' });
    expect(h.logs.find((entry) => entry['msg'] === 'ingress deleted')).toMatchObject({
      user: ADMIN,
      write: 'delete',
      ingress: 'team-a/orders.example.com',
      host: 'orders.example.com',
    });
    await expectHeldBack(h, ALERT_CHANNEL);

    await settle(h.bot);
    expect(h.slack.channelMessages(ALERT_CHANNEL).map((message) => message.text)).toEqual([
      expect.stringContaining(`<@${ADMIN}> removed orders.example.com`),
    ]);
  });
});
