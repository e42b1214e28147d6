import { describe, expect, it } from '@jest/globals';
import { seedSampleWorld } from '../../dev/stand-ins/sample-world.js';
import type { SlackMessageRecord } from '../../dev/stand-ins/slack-api-server.js';
import { buttonLabels, clickPayload, findButtonLabelled } from '../../dev/stand-ins/slack-buttons.js';
import { interactionBody, postSigned } from '../../dev/stand-ins/slack-signing.js';
import { clickAnswer, clicksDone, command, kubeWrites, settle } from '../support/expose-steps.js';
import {
  ADMIN,
  ALERT_CHANNEL,
  CHANNEL,
  DEVELOPER,
  type Harness,
  harnessPerTest,
  messageText,
  SIGNING_SECRET,
  waitFor,
} from '../support/harness.js';

const OTHER_DEVELOPER = 'U0OTHERDEV1';

describe('/expose by someone who is not an admin', () => {
  const start = harnessPerTest({ seed: seedSampleWorld });

  /** The developer previews and requests approval; returns the request posted in ALERT_CHANNEL. */
  async function requestApproval(h: Harness): Promise<SlackMessageRecord> {
    const preview = await command(h, '/expose', 'billing.example.com team-a/billing:http', DEVELOPER);
    const answer = await clickAnswer(h, (await h.press(preview.message, 'Request approval', DEVELOPER)).responseUrl);
    expect(answer.body['replace_original']).toBe(true);
    expect(answer.text).toContain(`Approval requested in <#${ALERT_CHANNEL}>`);
    const [request] = h.slack.channelMessages(ALERT_CHANNEL);
    if (request === undefined) throw new Error('no approval request in the alert channel');
    return request;
  }

  it('gets Request approval instead of Apply', async () => {
    const h = await start();
    const preview = await command(h, '/expose', 'billing.example.com team-a/billing:http', DEVELOPER);
    expect(buttonLabels(preview.message.blocks)).toEqual(['Request approval', 'Cancel']);
    expect(preview.text).toContain('Only /expose admins can apply');
  });

  it('posts the request to ALERT_CHANNEL with Approve and Reject, and writes nothing until an admin approves', async () => {
    const h = await start();
    const request = await requestApproval(h);
    expect(request.via).toBe('chat.postMessage');
    expect(buttonLabels(request.blocks)).toEqual(['Approve', 'Reject']);
    expect(findButtonLabelled(request.blocks, 'Approve')?.style).toBe('primary');
    expect(findButtonLabelled(request.blocks, 'Reject')?.style).toBe('danger');
    const text = messageText(request);
    expect(text).toContain(`<@${DEVELOPER}> asks to expose \`billing.example.com\` (path \`/\`) → \`team-a/billing:http\``);
    expect(text).toContain('kind: Ingress');
    expect(kubeWrites(h)).toEqual([]);
  });

  it('lets an admin approve: the Ingress is written, the request shows who approved, the requester is told', async () => {
    const h = await start();
    const request = await requestApproval(h);
    const pressed = await h.press(request, 'Approve', ADMIN);
    const answer = await clickAnswer(h, pressed.responseUrl);
    expect(answer.text).toContain('the Ingress `team-a/billing.example.com` is written');
    expect(answer.body['replace_original']).toBe(false);
    await clicksDone(h, 'expose_approve');
    // The notices follow the answer: the request message, the requester's DM and the audit line.
    await waitFor(
      () => request.updated === 1 && h.slack.channelMessages(DEVELOPER).length === 1 && h.slack.channelMessages(ALERT_CHANNEL).length === 2,
    );

    const ingress = h.kube.store.get('networking.k8s.io/v1', 'Ingress', 'team-a', 'billing.example.com');
    expect(ingress?.metadata.annotations).toMatchObject({
      'nlb-ingress-bot/requested-by': DEVELOPER,
      'nlb-ingress-bot/approved-by': ADMIN,
      'nlb-ingress-bot/slack-channel': CHANNEL,
    });
    expect(ingress?.['spec']).toMatchObject({ ingressClassName: 'nginx', rules: [{ host: 'billing.example.com' }] });

    expect(request.updated).toBe(1);
    expect(buttonLabels(request.blocks)).toEqual([]);
    expect(messageText(request)).toContain(`*Approved* by <@${ADMIN}>`);
    expect(messageText(request)).toContain('the Ingress `team-a/billing.example.com` is written');

    const dm = h.slack.channelMessages(DEVELOPER);
    expect(dm).toHaveLength(1);
    expect(dm[0]?.text).toContain(`was approved by <@${ADMIN}>`);
    const audit = h.slack.channelMessages(ALERT_CHANNEL).filter((message) => message !== request);
    expect(audit.map((message) => message.text)).toEqual([
      expect.stringContaining(`Requested by <@${DEVELOPER}>, approved by <@${ADMIN}>`),
    ]);
  });

  it('answers a second approver privately and keeps the first approval on record', async () => {
    const h = await start({ env: { EXPOSE_ADMINS: `${ADMIN},U0SECONDADM` } });
    const request = await requestApproval(h);
    const shown = { ...request, blocks: structuredClone(request.blocks) };
    await h.press(request, 'Approve', ADMIN);
    await clicksDone(h, 'expose_approve');
    await waitFor(() => h.slack.channelMessages(ALERT_CHANNEL).length === 2);
    const second = await clickAnswer(h, (await h.press(shown, 'Approve', 'U0SECONDADM')).responseUrl);
    expect(second.text).toContain(
      `is already exposed by the Ingress \`team-a/billing.example.com\`, approved by <@${ADMIN}>; nothing changed.`,
    );
    expect(second.body['replace_original']).toBe(false);
    expect(messageText(request)).toContain(`*Approved* by <@${ADMIN}>`);
    expect(request.updated).toBe(1);
    expect(kubeWrites(h)).toHaveLength(1);
    await settle(h.bot);
    expect(h.slack.channelMessages(DEVELOPER)).toHaveLength(1);
    expect(h.slack.channelMessages(ALERT_CHANNEL)).toHaveLength(2);
  });

  it('refuses a non-admin’s Approve, ephemerally, and changes nothing', async () => {
    const h = await start();
    const request = await requestApproval(h);
    const pressed = await h.press(request, 'Approve', OTHER_DEVELOPER);
    const answer = await clickAnswer(h, pressed.responseUrl);
    expect(answer.text).toContain('Only /expose admins can approve a request; nothing was changed.');
    expect(answer.body['response_type']).toBe('ephemeral');
    expect(answer.body['replace_original']).toBe(false);
    expect(request.updated).toBe(0);
    expect(buttonLabels(request.blocks)).toEqual(['Approve', 'Reject']);
    expect(kubeWrites(h)).toEqual([]);
    expect(h.slack.channelMessages(DEVELOPER)).toEqual([]);
    const [line] = await clicksDone(h, 'expose_approve');
    expect(line).toMatchObject({ user: OTHER_DEVELOPER, reason: 'not_authorized', host: 'billing.example.com', outcome: 'user_error' });
  });

  it('refuses the requester approving their own request', async () => {
    const h = await start();
    const request = await requestApproval(h);
    const answer = await clickAnswer(h, (await h.press(request, 'Approve', DEVELOPER)).responseUrl);
    expect(answer.text).toContain('Only /expose admins can approve');
    expect(kubeWrites(h)).toEqual([]);
  });

  it('lets an admin reject: nothing is written and the requester is told', async () => {
    const h = await start();
    const request = await requestApproval(h);
    const answer = await clickAnswer(h, (await h.press(request, 'Reject', ADMIN)).responseUrl);
    expect(answer.text).toContain(
      `Rejected: \`billing.example.com\` (path \`/\`) → \`team-a/billing:http\`. Nothing was written; <@${DEVELOPER}> gets a direct message.`,
    );
    await clicksDone(h, 'expose_reject');
    await waitFor(() => request.updated === 1 && h.slack.channelMessages(DEVELOPER).length === 1);
    expect(kubeWrites(h)).toEqual([]);
    expect(h.kube.store.get('networking.k8s.io/v1', 'Ingress', 'team-a', 'billing.example.com')).toBeUndefined();
    expect(messageText(request)).toContain(`*Rejected* by <@${ADMIN}>`);
    expect(buttonLabels(request.blocks)).toEqual([]);
    const dm = h.slack.channelMessages(DEVELOPER);
    expect(dm.map((message) => message.text)).toEqual([expect.stringContaining(`was rejected by <@${ADMIN}>. Nothing was written.`)]);
  });

  it('does not call a host rejected when a stale Reject arrives after the approval', async () => {
    const h = await start();
    const request = await requestApproval(h);
    const shown = { ...request, blocks: structuredClone(request.blocks) };
    await h.press(request, 'Approve', ADMIN);
    await clicksDone(h, 'expose_approve');
    await waitFor(() => request.updated === 1 && h.slack.channelMessages(DEVELOPER).length === 1);
    const answer = await clickAnswer(h, (await h.press(shown, 'Reject', ADMIN)).responseUrl);
    expect(answer.text).toContain(
      'billing.example.com is already exposed by the Ingress team-a/billing.example.com: this request was approved before.',
    );
    expect(messageText(request)).toContain('*Approved*');
    expect(h.slack.channelMessages(DEVELOPER).map((message) => message.text)).toEqual([expect.stringContaining('was approved')]);
  });

  it('refuses a stale Approve after a Reject: the message Slack sends has no buttons any more, nothing is written', async () => {
    const h = await start();
    const request = await requestApproval(h);
    const shown = structuredClone(request.blocks);
    await h.press(request, 'Reject', ADMIN);
    await clicksDone(h, 'expose_reject');
    await waitFor(() => request.updated === 1);
    // A client still showing the old message clicks Approve; Slack sends the message as it is now.
    const button = findButtonLabelled(shown, 'Approve')!;
    const responseUrl = h.slack.responseUrl({ channel: request.channel, user: ADMIN, messageTs: request.ts });
    await h.click(clickPayload({ message: request, button, user: ADMIN, responseUrl }));
    const answer = await clickAnswer(h, responseUrl);
    expect(answer.text).toContain('The request for billing.example.com was already decided');
    expect(kubeWrites(h)).toEqual([]);
    expect(messageText(request)).toContain(`*Rejected* by <@${ADMIN}>`);
  });

  it('refuses a non-admin’s Reject', async () => {
    const h = await start();
    const request = await requestApproval(h);
    const answer = await clickAnswer(h, (await h.press(request, 'Reject', OTHER_DEVELOPER)).responseUrl);
    expect(answer.text).toContain('Only /expose admins can reject');
    expect(request.updated).toBe(0);
    expect(h.slack.channelMessages(DEVELOPER)).toEqual([]);
  });

  it('refuses Apply from a non-admin even with a genuine button value', async () => {
    const h = await start();
    const preview = await command(h, '/expose', 'billing.example.com team-a/billing:http', DEVELOPER);
    const button = findButtonLabelled(preview.message.blocks, 'Request approval')!;
    const responseUrl = h.slack.responseUrl({ channel: CHANNEL, user: DEVELOPER, messageTs: preview.message.ts });
    const payload = clickPayload({
      message: preview.message,
      button: { ...button, actionId: 'expose_apply' },
      user: DEVELOPER,
      responseUrl,
    });
    expect((await postSigned(h.slackUrl, SIGNING_SECRET, interactionBody(payload))).status).toBe(200);
    const answer = await clickAnswer(h, responseUrl);
    expect(answer.text).toContain('Only /expose admins can apply an exposure');
    expect(kubeWrites(h)).toEqual([]);
  });

  it('refuses Request approval and Cancel on someone else’s preview', async () => {
    const h = await start();
    const preview = await command(h, '/expose', 'billing.example.com team-a/billing:http', DEVELOPER);
    const shown = { ...preview.message, blocks: structuredClone(preview.message.blocks) };
    const asked = await clickAnswer(h, (await h.press(shown, 'Request approval', OTHER_DEVELOPER)).responseUrl);
    expect(asked.text).toContain('Only the person who asked can ask for approval');
    const cancelled = await clickAnswer(h, (await h.press(shown, 'Cancel', OTHER_DEVELOPER)).responseUrl);
    expect(cancelled.text).toContain('Only the person who asked can cancel');
    expect(h.slack.channelMessages(ALERT_CHANNEL)).toEqual([]);
  });

  it('says approvals are not configured when there is no ALERT_CHANNEL', async () => {
    const h = await start({ env: { ALERT_CHANNEL: '' } });
    const preview = await command(h, '/expose', 'billing.example.com team-a/billing:http', DEVELOPER);
    expect(preview.text).toContain('approvals are not configured (no ALERT_CHANNEL)');
    const answer = await clickAnswer(h, (await h.press(preview.message, 'Request approval', DEVELOPER)).responseUrl);
    expect(answer.text).toContain('Approvals are not configured: the bot has no ALERT_CHANNEL');
    expect(h.slack.calls.filter((call) => call.method === 'chat.postMessage')).toEqual([]);
    expect(kubeWrites(h)).toEqual([]);
  });

  it('does not send a request that fails its checks by now', async () => {
    const h = await start();
    const preview = await command(h, '/expose', 'billing.example.com team-a/billing:http', DEVELOPER);
    h.kube.store.remove('v1', 'Service', 'team-a', 'billing');
    const answer = await clickAnswer(h, (await h.press(preview.message, 'Request approval', DEVELOPER)).responseUrl);
    expect(answer.text).toContain('Not sent for approval: There is no Service `billing` in the namespace `team-a`');
    expect(h.slack.channelMessages(ALERT_CHANNEL)).toEqual([]);
  });

  it('re-checks on Approve: a Service deleted since the request is refused and nothing is written', async () => {
    const h = await start();
    const request = await requestApproval(h);
    h.kube.store.remove('v1', 'Service', 'team-a', 'billing');
    const answer = await clickAnswer(h, (await h.press(request, 'Approve', ADMIN)).responseUrl);
    expect(answer.text).toContain('Nothing was written: There is no Service `billing`');
    expect(kubeWrites(h)).toEqual([]);
    expect(buttonLabels(request.blocks)).toEqual(['Approve', 'Reject']);
  });

  it('escapes what comes from AWS and DNS in the request’s plain-text fallback, and never shows an invalid CNAME target', async () => {
    const h = await start({
      seed: (kube, aws) => {
        seedSampleWorld(kube, aws);
        // An imported certificate whose name is markup, covering the host: its name shows in the TLS check.
        aws.certificates[0]!.domainName = '<!channel> *.example.com';
      },
      dns: { 'billing.example.com': { cname: '<!channel>.evil.example' } },
    });
    const preview = await command(h, '/expose', 'billing.example.com team-a/billing:http', DEVELOPER);
    expect(preview.message.text).toContain('Covered by &lt;!channel&gt; *.example.com');
    expect(messageText(preview.message)).not.toContain('<!channel>');
    await clickAnswer(h, (await h.press(preview.message, 'Request approval', DEVELOPER)).responseUrl);
    const [request] = h.slack.channelMessages(ALERT_CHANNEL);
    expect(request?.text).toContain('Covered by &lt;!channel&gt; *.example.com');
    expect(request?.text).toContain('points elsewhere (CNAME an invalid name)');
    expect(messageText(request!)).not.toContain('<!channel>');
  });

  it('explains when Slack refuses to post in ALERT_CHANNEL', async () => {
    const h = await start();
    const preview = await command(h, '/expose', 'billing.example.com team-a/billing:http', DEVELOPER);
    h.slack.failMethod('chat.postMessage', 'not_in_channel');
    const answer = await clickAnswer(h, (await h.press(preview.message, 'Request approval', DEVELOPER)).responseUrl);
    expect(answer.text).toContain('Slack refused to post the approval request in the channel C0ALERTS001 (not_in_channel)');
    expect(answer.text).toContain('Invite the bot');
  });

  it('keeps the Ingress when the audit line cannot be posted, and logs it', async () => {
    const h = await start();
    const request = await requestApproval(h);
    h.slack.failMethod('chat.postMessage', 'channel_not_found', 2);
    await h.press(request, 'Approve', ADMIN);
    const [line] = await clicksDone(h, 'expose_approve');
    expect(line).toMatchObject({ outcome: 'ok', result: 'applied' });
    expect(h.kube.store.get('networking.k8s.io/v1', 'Ingress', 'team-a', 'billing.example.com')).toBeDefined();
    await waitFor(() => h.logs.some((entry) => entry['notice'] === 'audit line' && entry['slackError'] === 'channel_not_found'));
  });
});
