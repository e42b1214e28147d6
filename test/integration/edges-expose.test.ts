import { describe, expect, it } from '@jest/globals';
import type { SlackMessageRecord } from '../../dev/stand-ins/slack-api-server.js';
import { buttonLabels } from '../../dev/stand-ins/slack-buttons.js';
import { ask, type EdgesHarness, edgesHarnessPerTest, GLOBAL_ADMIN, PROD, postedTo, STAGING, writesIn } from '../support/edges-harness.js';
import { clickAnswer, clicksDone, command, settle } from '../support/expose-steps.js';
import { ALERT_CHANNEL, DEVELOPER, messageText, waitFor } from '../support/harness.js';

const INGRESS = 'networking.k8s.io/v1';

/** /expose and /unexpose when one bot serves prod and staging: each edge's cluster, admins, namespaces and channel. */
describe('/expose with two edges', () => {
  const start = edgesHarnessPerTest();

  it('applied by prod’s admin, writes the Ingress in prod’s cluster only, and posts the audit line to prod’s channel', async () => {
    const h = await start();
    const preview = await command(h, '/expose', 'prod api.example.com team-a/orders-api:80', PROD.admin);
    expect(preview.text).toContain('Expose api.example.com on prod (eu-west-1)');
    expect(preview.text).toContain(`*Reachable on* \`${PROD.ips[0]}\`, \`${PROD.ips[1]}\` (HTTPS), through the NLB \`${PROD.nlbDns}\``);
    expect(buttonLabels(preview.message.blocks)).toEqual(['Apply', 'Cancel']);
    const applied = await clickAnswer(h, (await h.press(preview.message, 'Apply', PROD.admin)).responseUrl);
    expect(applied.text).toContain('Exposed api.example.com on prod (eu-west-1)');
    expect(applied.text).toContain('the Ingress `team-a/api.example.com` is written');
    const [log] = await clicksDone(h, 'expose_apply');
    expect(log).toMatchObject({ edge: 'prod', host: 'api.example.com', result: 'applied' });

    expect(writesIn(h.prod)).toEqual([
      expect.objectContaining({ verb: 'create', resource: 'ingresses', namespace: 'team-a', status: 201 }),
    ]);
    expect(writesIn(h.staging)).toEqual([]);
    expect(writesIn(h.kube)).toEqual([]);
    expect(h.prod.store.get(INGRESS, 'Ingress', 'team-a', 'api.example.com')?.metadata.annotations).toMatchObject({
      'nlb-ingress-bot/approved-by': PROD.admin,
    });
    expect(h.staging.store.get(INGRESS, 'Ingress', 'team-a', 'api.example.com')).toBeUndefined();

    await settle(h.bot);
    const audit = postedTo(h, PROD.alertChannel).map((message) => messageText(message));
    expect(audit).toEqual([
      expect.stringContaining(
        `<@${PROD.admin}> exposed \`api.example.com\` (path \`/\`) → \`team-a/orders-api:80\` on \`prod\` (eu-west-1)`,
      ),
    ]);
    expect(postedTo(h, STAGING.alertChannel)).toEqual([]);
    expect(postedTo(h, ALERT_CHANNEL)).toEqual([]);
  });

  it('refuses without an edge name, and with an unknown one, listing the edges, before reading anything', async () => {
    const h = await start();
    const unnamed = await ask(h, '/expose', 'api.example.com team-a/orders-api:80', PROD.admin);
    expect(unnamed.text).toContain(
      'There are several edges, so `/expose` needs the edge first: `prod` (eu-west-1), `staging` (us-east-1).',
    );
    const unknown = await ask(h, '/expose', 'nope api.example.com team-a/orders-api:80', PROD.admin);
    expect(unknown.text).toContain('There is no edge `nope`. The edges are: `prod` (eu-west-1), `staging` (us-east-1).');
    const list = await ask(h, '/expose', 'list', PROD.admin);
    expect(list.text).toContain('There are several edges, so `/expose list` needs the edge first');
    expect([...h.prod.requests, ...h.staging.requests]).toEqual([]);
    expect(h.aws.calls).toEqual([]);
  });

  it('keeps each edge’s namespaces: team-b is open on staging, not on prod', async () => {
    const h = await start();
    const onProd = await command(h, '/expose', 'prod reports2.example.com team-b/reports:80', GLOBAL_ADMIN);
    expect(onProd.text).toContain('The namespace team-b is not open for /expose.');
    expect(onProd.text).toContain('Services may be exposed from: team-a');
    expect(buttonLabels(onProd.message.blocks)).toEqual([]);

    // EXPOSE_ADMINS are admins of every edge; an edge's own admins of that edge only.
    for (const edge of [PROD, STAGING]) {
      const global = await command(h, '/expose', `${edge.name} api.example.com team-a/orders-api:80`, GLOBAL_ADMIN);
      expect(buttonLabels(global.message.blocks)).toEqual(['Apply', 'Cancel']);
    }
    const onStaging = await command(h, '/expose', 'staging reports2.example.com team-b/reports:80', STAGING.admin);
    expect(onStaging.text).toContain('Expose reports2.example.com on staging (us-east-1)');
    expect(onStaging.text).toContain(`through the NLB \`${STAGING.nlbDns}\``);
    await clickAnswer(h, (await h.press(onStaging.message, 'Apply', STAGING.admin)).responseUrl);
    await clicksDone(h, 'expose_apply');
    expect(writesIn(h.staging)).toEqual([expect.objectContaining({ verb: 'create', resource: 'ingresses', namespace: 'team-b' })]);
    expect(writesIn(h.prod)).toEqual([]);
    await settle(h.bot);
    expect(postedTo(h, STAGING.alertChannel).map((message) => messageText(message))).toEqual([
      expect.stringContaining('on `staging` (us-east-1)'),
    ]);
    expect(postedTo(h, PROD.alertChannel)).toEqual([]);
  });

  it('does not let an admin of staging apply on prod: the preview offers approval, and a click on Apply is refused', async () => {
    const h = await start();
    const own = await command(h, '/expose', 'prod api.example.com team-a/orders-api:80', STAGING.admin);
    expect(buttonLabels(own.message.blocks)).toEqual(['Request approval', 'Cancel']);
    // The prod admin's preview, with its Apply button, clicked by the admin of staging.
    const preview = await command(h, '/expose', 'prod api.example.com team-a/orders-api:80', PROD.admin);
    const refused = await clickAnswer(h, (await h.press(preview.message, 'Apply', STAGING.admin)).responseUrl);
    expect(refused.text).toContain('Only /expose admins can apply an exposure; nothing was changed.');
    expect(refused.body['replace_original']).toBe(false);
    const [log] = await clicksDone(h, 'expose_apply');
    expect(log).toMatchObject({ edge: 'prod', outcome: 'user_error' });
    expect(writesIn(h.prod)).toEqual([]);
    expect(writesIn(h.staging)).toEqual([]);
    expect(writesIn(h.kube)).toEqual([]);
  });

  it('sends a prod request for approval to prod’s channel, naming the edge; staging’s admin cannot approve it, prod’s can', async () => {
    const h = await start();
    const request = await requestApproval(h);
    expect(messageText(request)).toContain('Approval requested: billing.example.com on prod (eu-west-1)');
    expect(messageText(request)).toContain(`<@${DEVELOPER}> asks to expose \`billing.example.com\``);
    expect(buttonLabels(request.blocks)).toEqual(['Approve', 'Reject']);
    expect(h.slack.channelMessages(STAGING.alertChannel)).toEqual([]);
    expect(h.slack.channelMessages(ALERT_CHANNEL)).toEqual([]);

    for (const button of ['Approve', 'Reject']) {
      const refused = await clickAnswer(h, (await h.press(request, button, STAGING.admin)).responseUrl);
      expect(refused.text).toContain(
        `Only /expose admins can ${button === 'Approve' ? 'approve' : 'reject'} a request; nothing was changed.`,
      );
    }
    expect(request.updated).toBe(0);
    expect(writesIn(h.prod)).toEqual([]);
    expect(writesIn(h.staging)).toEqual([]);
    // Not even the decision is recorded (in the bot's own cluster) for a click that does not count.
    expect(writesIn(h.kube)).toEqual([]);

    const approved = await clickAnswer(h, (await h.press(request, 'Approve', PROD.admin)).responseUrl);
    expect(approved.text).toContain('the Ingress `team-a/billing.example.com` is written');
    await clicksDone(h, 'expose_approve', 2);
    await waitFor(() => request.updated === 1 && postedTo(h, PROD.alertChannel).length === 2, 5000, 'the decision and the audit line');
    expect(writesIn(h.prod)).toEqual([expect.objectContaining({ verb: 'create', resource: 'ingresses', namespace: 'team-a' })]);
    expect(writesIn(h.staging)).toEqual([]);
    expect(writesIn(h.kube).map((write) => write.resource)).toEqual(['configmaps']);
    expect(messageText(request)).toContain(`*Approved* by <@${PROD.admin}>`);
    await settle(h.bot);
    expect(h.slack.channelMessages(DEVELOPER).map((message) => messageText(message))).toEqual([
      expect.stringContaining('on `prod` (eu-west-1) was approved'),
    ]);
    expect(postedTo(h, PROD.alertChannel).map((message) => messageText(message))[1]).toContain('on `prod` (eu-west-1)');
    expect(h.slack.channelMessages(STAGING.alertChannel)).toEqual([]);
  });
});

describe('/unexpose with two edges', () => {
  const start = edgesHarnessPerTest();

  it('removes the host on the named edge only, and refuses without a name or for an admin of another edge', async () => {
    const h = await start();
    const unnamed = await ask(h, '/unexpose', 'orders.example.com', PROD.admin);
    expect(unnamed.text).toContain(
      'There are several edges, so `/unexpose` needs the edge first: `prod` (eu-west-1), `staging` (us-east-1).',
    );
    const stranger = await ask(h, '/unexpose', 'prod orders.example.com', STAGING.admin);
    expect(stranger.text).toContain('Only /expose admins can remove an exposed host');

    const confirmation = await command(h, '/unexpose', 'prod orders.example.com', PROD.admin);
    expect(confirmation.text).toContain('Remove orders.example.com on prod (eu-west-1)?');
    expect(buttonLabels(confirmation.message.blocks)).toContain('Remove');
    // An admin of staging clicking prod's Remove is refused too.
    const refused = await clickAnswer(h, (await h.press(confirmation.message, 'Remove', STAGING.admin)).responseUrl);
    expect(refused.text).toContain('Only /expose admins can remove an exposed host');
    expect(writesIn(h.prod)).toEqual([]);

    const removed = await clickAnswer(h, (await h.press(confirmation.message, 'Remove', PROD.admin)).responseUrl);
    expect(removed.text).toContain('Removed `orders.example.com` on `prod` (eu-west-1)');
    await clicksDone(h, 'unexpose_remove', 2);
    expect(writesIn(h.prod)).toEqual([expect.objectContaining({ verb: 'delete', resource: 'ingresses', namespace: 'team-a' })]);
    expect(writesIn(h.staging)).toEqual([]);
    expect(h.prod.store.get(INGRESS, 'Ingress', 'team-a', 'orders.example.com')).toBeUndefined();
    expect(h.staging.store.get(INGRESS, 'Ingress', 'team-a', 'orders.example.com')).toBeDefined();
    await settle(h.bot);
    expect(postedTo(h, PROD.alertChannel).map((message) => messageText(message))).toEqual([
      expect.stringContaining(`<@${PROD.admin}> removed on \`prod\` (eu-west-1)`),
    ]);
    expect(postedTo(h, STAGING.alertChannel)).toEqual([]);
  });
});

/** The developer previews a prod exposure and requests approval; returns the request posted in prod's channel. */
async function requestApproval(h: EdgesHarness): Promise<SlackMessageRecord> {
  const preview = await command(h, '/expose', 'prod billing.example.com team-a/billing:http', DEVELOPER);
  expect(buttonLabels(preview.message.blocks)).toEqual(['Request approval', 'Cancel']);
  const answer = await clickAnswer(h, (await h.press(preview.message, 'Request approval', DEVELOPER)).responseUrl);
  expect(answer.text).toContain(`Approval requested in <#${PROD.alertChannel}>`);
  expect(answer.text).toContain('on prod (eu-west-1)');
  const [request, ...others] = h.slack.channelMessages(PROD.alertChannel);
  expect(others).toEqual([]);
  if (request === undefined) throw new Error('no approval request in prod’s alert channel');
  return request;
}
