import { describe, expect, it } from '@jest/globals';
import type { KubeObject } from '../../dev/stand-ins/kube-api-server.js';
import { seedSampleWorld } from '../../dev/stand-ins/sample-world.js';
import { clickAnswer, clicksDone, command, kubeWrites, settle } from '../support/expose-steps.js';
import { ADMIN, ALERT_CHANNEL, DEVELOPER, type Harness, harnessPerTest, messageText, waitFor } from '../support/harness.js';

const INGRESS = ['networking.k8s.io/v1', 'Ingress'] as const;
const SECOND_ADMIN = 'U0SECONDADM';
// Long enough that both clicks have read the cluster (and found the host free) before either writes.
const KUBE_LATENCY_MS = 150;

function backendOf(ingress: KubeObject): { service: string; port: number | string } {
  const backend = (
    ingress['spec'] as {
      rules: Array<{ http: { paths: Array<{ backend: { service: { name: string; port: { number?: number; name?: string } } } }> } }>;
    }
  ).rules[0]!.http.paths[0]!.backend.service;
  return { service: backend.name, port: backend.port.number ?? backend.port.name ?? '?' };
}

function servingHost(h: Harness, host: string): KubeObject[] {
  return h.kube.store.list(...INGRESS).filter((ingress) => JSON.stringify(ingress['spec']).includes(`"host":"${host}"`));
}

describe('two writes for the same host at the same moment', () => {
  const start = harnessPerTest({ seed: seedSampleWorld, env: { EXPOSE_ADMINS: `${ADMIN},${SECOND_ADMIN}` } });

  it('lets exactly one of two admins applying different backends win, tells the other what is really there, and posts one audit line', async () => {
    const h = await start();
    const first = await command(h, '/expose', 'billing.example.com team-a/billing:8080', ADMIN);
    const second = await command(h, '/expose', 'billing.example.com team-a/orders-api:80', SECOND_ADMIN);
    h.kube.latencyMs = KUBE_LATENCY_MS;
    const pressed = await Promise.all([h.press(first.message, 'Apply', ADMIN), h.press(second.message, 'Apply', SECOND_ADMIN)]);
    const answers = await Promise.all(pressed.map((click) => clickAnswer(h, click.responseUrl)));
    await settle(h.bot);

    const [ingress, ...others] = servingHost(h, 'billing.example.com');
    expect(others).toEqual([]);
    const { service, port } = backendOf(ingress!);
    const winner = service === 'billing' ? 0 : 1;
    const [wonBy, lostBy] = winner === 0 ? [ADMIN, SECOND_ADMIN] : [SECOND_ADMIN, ADMIN];
    expect(ingress!.metadata.annotations?.['nlb-ingress-bot/approved-by']).toBe(wonBy);

    expect(answers[winner]!.text).toContain(
      `\`billing.example.com\` (path \`/\`) → \`team-a/${service}:${port}\`: the Ingress \`team-a/billing.example.com\` is written`,
    );
    expect(answers[1 - winner]!.text).toContain(
      `Nothing was written: another request for \`billing.example.com\` was applied at the same moment. The host is now served by the Ingress \`team-a/billing.example.com\` (path \`/\` → \`${service}:${port}\`)`,
    );
    expect(answers[1 - winner]!.text).not.toContain('is written');

    const audit = h.slack.channelMessages(ALERT_CHANNEL);
    expect(audit.map((message) => message.text)).toEqual([
      expect.stringContaining(`<@${wonBy}> exposed billing.example.com (path /) → team-a/${service}:${port}`),
    ]);
    const lines = await clicksDone(h, 'expose_apply', 2);
    expect(lines.map((line) => [line['user'], line['outcome'], line['result'] ?? line['reason']]).sort()).toEqual(
      [
        [wonBy, 'ok', 'applied'],
        [lostBy, 'user_error', 'conflict'],
      ].sort(),
    );
    expect(h.logs.filter((line) => line['msg'] === 'ingress created').map((line) => line['user'])).toEqual([wonBy]);
    // Both clicks found the host free and sent a create: the API server let exactly one through.
    expect(
      kubeWrites(h)
        .map((write) => [write.verb, write.status])
        .sort(),
    ).toEqual([
      ['create', 201],
      ['create', 409],
    ]);
  });

  it('keeps the first of two simultaneous approvals of one request on record, as the audit line and the requester are told', async () => {
    const h = await start();
    const preview = await command(h, '/expose', 'billing.example.com team-a/billing:http', DEVELOPER);
    await clickAnswer(h, (await h.press(preview.message, 'Request approval', DEVELOPER)).responseUrl);
    const [request] = h.slack.channelMessages(ALERT_CHANNEL);
    h.kube.latencyMs = KUBE_LATENCY_MS;
    const pressed = await Promise.all([h.press(request!, 'Approve', ADMIN), h.press(request!, 'Approve', SECOND_ADMIN)]);
    const answers = await Promise.all(pressed.map((click) => clickAnswer(h, click.responseUrl)));
    await settle(h.bot);

    expect(
      kubeWrites(h)
        .map((write) => write.status)
        .sort(),
    ).toEqual([201, 409]);
    const [ingress, ...others] = servingHost(h, 'billing.example.com');
    expect(others).toEqual([]);
    const approvedBy = ingress!.metadata.annotations?.['nlb-ingress-bot/approved-by'];
    const winner = approvedBy === ADMIN ? 0 : 1;
    expect(answers[winner]!.text).toContain('the Ingress `team-a/billing.example.com` is written');
    expect(answers[1 - winner]!.text).toContain(
      `is already exposed by the Ingress \`team-a/billing.example.com\`, approved by <@${approvedBy}>; nothing changed.`,
    );

    const audit = h.slack.channelMessages(ALERT_CHANNEL).filter((message) => message !== request);
    expect(audit.map((message) => message.text)).toEqual([expect.stringContaining(`approved by <@${approvedBy}>`)]);
    expect(h.slack.channelMessages(DEVELOPER).map((message) => message.text)).toEqual([
      expect.stringContaining(`was approved by <@${approvedBy}>`),
    ]);
    expect(request!.updated).toBe(1);
    expect(messageText(request!)).toContain(`*Approved* by <@${approvedBy}>`);
  });

  it('never leaves two Ingresses for a host exposed from two namespaces at the same moment, and every answer says what is there', async () => {
    const h = await start();
    const first = await command(h, '/expose', 'shared.example.com team-a/billing:8080', ADMIN);
    const second = await command(h, '/expose', 'shared.example.com team-b/reports:80', SECOND_ADMIN);
    h.kube.latencyMs = KUBE_LATENCY_MS;
    const pressed = await Promise.all([h.press(first.message, 'Apply', ADMIN), h.press(second.message, 'Apply', SECOND_ADMIN)]);
    const answers = await Promise.all(pressed.map((click) => clickAnswer(h, click.responseUrl)));
    await settle(h.bot);

    const remaining = servingHost(h, 'shared.example.com');
    expect(remaining.length).toBeLessThanOrEqual(1);
    ['team-a', 'team-b'].forEach((namespace, index) => {
      const kept = remaining.some((ingress) => ingress.metadata.namespace === namespace);
      if (kept) expect(answers[index]!.text).toContain(`the Ingress \`${namespace}/shared.example.com\` is written`);
      else
        expect(answers[index]!.text).toMatch(
          /Nothing was written: while the bot created its Ingress `team-[ab]\/shared\.example\.com`, the Ingress `team-[ab]\/shared\.example\.com` \(path `\/` → `[a-z]+:[0-9]+`\) appeared/,
        );
    });
    expect(h.slack.channelMessages(ALERT_CHANNEL)).toHaveLength(remaining.length);
    expect(h.logs.filter((line) => line['msg'] === 'ingress deleted')).toHaveLength(2 - remaining.length);
    // Different namespaces, different objects: both creates succeeded (the race was real), then each saw the other.
    expect(
      kubeWrites(h)
        .filter((write) => write.verb === 'create')
        .map((write) => write.status),
    ).toEqual([201, 201]);
  });
});

describe('a pending request when the bot restarts or runs as two replicas', () => {
  const start = harnessPerTest();

  it('applies a preview answered by one bot when its button is clicked on another replica', async () => {
    const h = await start({ seed: seedSampleWorld });
    const replica = await h.startReplica();
    const preview = await command(h, '/expose', 'billing.example.com team-a/billing:8080', ADMIN);
    const answer = await clickAnswer(h, (await h.press(preview.message, 'Apply', ADMIN, { bot: replica })).responseUrl);
    expect(answer.text).toContain('the Ingress `team-a/billing.example.com` is written');
    expect(h.kube.store.get(...INGRESS, 'team-a', 'billing.example.com')).toBeDefined();
    await clicksDone(h, 'expose_apply');
    expect(replica.metrics.registry).not.toBe(h.bot.metrics.registry);
    expect(await replica.metrics.registry.getSingleMetricAsString('nlb_bot_commands_total')).toContain(
      'command="expose_apply",outcome="ok"} 1',
    );
    expect(await h.bot.metrics.registry.getSingleMetricAsString('nlb_bot_commands_total')).not.toContain('expose_apply');
  });

  it('applies an approval requested before the bot stopped, clicked on the bot that replaced it', async () => {
    const h = await start({ seed: seedSampleWorld });
    const preview = await command(h, '/expose', 'billing.example.com team-a/billing:http', DEVELOPER);
    await clickAnswer(h, (await h.press(preview.message, 'Request approval', DEVELOPER)).responseUrl);
    const [request] = h.slack.channelMessages(ALERT_CHANNEL);
    await h.bot.stop();
    const restarted = await h.startReplica();
    const answer = await clickAnswer(h, (await h.press(request!, 'Approve', ADMIN, { bot: restarted })).responseUrl);
    expect(answer.text).toContain('the Ingress `team-a/billing.example.com` is written');
    expect(h.kube.store.get(...INGRESS, 'team-a', 'billing.example.com')?.metadata.annotations).toMatchObject({
      'nlb-ingress-bot/requested-by': DEVELOPER,
      'nlb-ingress-bot/approved-by': ADMIN,
    });
    await waitFor(() => request!.updated === 1 && h.slack.channelMessages(DEVELOPER).length === 1);
  });
});

describe('Approve and Reject of one request at the same moment', () => {
  const start = harnessPerTest({ seed: seedSampleWorld, env: { EXPOSE_ADMINS: `${ADMIN},${SECOND_ADMIN}` } });
  const ROUNDS = 12;

  it(`has exactly one outcome, on two replicas, ${ROUNDS} times over, and tells both admins the truth`, async () => {
    const h = await start();
    const replica = await h.startReplica();
    const outcomes: string[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const host = `race-${round}.example.com`;
      h.kube.latencyMs = 0;
      const preview = await command(h, '/expose', `${host} team-a/billing:8080`, DEVELOPER);
      await h.press(preview.message, 'Request approval', DEVELOPER);
      const request = await waitFor(() => h.slack.channelMessages(ALERT_CHANNEL).find((message) => (message.text ?? '').includes(host)));
      // Each click goes to another replica, and both read the cluster before either writes. Reject reads the
      // Ingresses before it records, so on odd rounds Approve starts a little later, and either may win.
      const latency = 40 + (round % 3) * 30;
      h.kube.latencyMs = latency;
      const approveLater = round % 2 === 1 ? latency * 2 : 0;
      const [approve, reject] = await Promise.all([
        new Promise((resolve) => setTimeout(resolve, approveLater)).then(() => h.press(request, 'Approve', ADMIN)),
        h.press(request, 'Reject', SECOND_ADMIN, { bot: replica }),
      ]);
      const [approved, rejected] = await Promise.all([clickAnswer(h, approve.responseUrl), clickAnswer(h, reject.responseUrl)]);
      const live = servingHost(h, host).length;
      expect(live).toBeLessThanOrEqual(1);
      if (live === 1) {
        outcomes.push('approved');
        expect(approved.text).toContain(`the Ingress \`team-a/${host}\` is written`);
        expect(rejected.text).toMatch(
          new RegExp(`already approved by <@${ADMIN}>|already exposed by the Ingress team-a/${host.replace(/\./g, '\\.')}`),
        );
        expect(rejected.text).not.toContain('Rejected:');
      } else {
        outcomes.push('rejected');
        expect(rejected.text).toContain(`Rejected: \`${host}\``);
        expect(approved.text).toContain(`was already rejected by <@${SECOND_ADMIN}>`);
        expect(approved.text).not.toContain('is written');
      }
    }
    // Both outcomes happened, so both branches were checked.
    expect(new Set(outcomes)).toEqual(new Set(['approved', 'rejected']));
    await settle(h.bot, replica);
    // The record in the cluster agrees with what happened, round by round.
    const decisions = h.kube.store.get('v1', 'ConfigMap', 'default', 'nlb-ingress-bot-decisions')?.['data'] as Record<string, string>;
    const recorded = Object.values(decisions).map((text) => JSON.parse(text) as { kind: string; host: string; by: string });
    for (const [round, outcome] of outcomes.entries()) {
      const entry = recorded.find((decision) => decision.host === `race-${round}.example.com`);
      expect(entry).toMatchObject({ kind: outcome, by: outcome === 'approved' ? ADMIN : SECOND_ADMIN });
    }
    expect(recorded).toHaveLength(ROUNDS);
  }, 120_000);
});
