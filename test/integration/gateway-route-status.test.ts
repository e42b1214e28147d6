import { describe, expect, it } from '@jest/globals';
import type { KubeChange } from '../../dev/stand-ins/kube-api-server.js';
import { EXPOSABLE_LABEL } from '../../dev/stand-ins/sample-gateway-world.js';
import { clickAnswer, clicksDone, command, kubeWrites, settle } from '../support/expose-steps.js';
import { GATEWAY_MODE, HTTP_ROUTE, parentConditions, slackMessageProblems } from '../support/gateway-world.js';
import { ADMIN, ALERT_CHANNEL, type Harness, harnessPerTest } from '../support/harness.js';

const BILLING = 'billing.example.com team-a/billing:http';

/** Runs `then` once, just after the bot's HTTPRoute for billing.example.com was created (as a watch would see it). */
function afterRouteCreated(h: Harness, then: () => void): void {
  const onChange = (change: KubeChange) => {
    if (change.type !== 'ADDED' || change.object.kind !== 'HTTPRoute' || change.object.metadata.name !== 'billing.example.com') return;
    h.kube.store.off('change', onChange);
    // Store listeners run inside the write; a change of our own waits for it to finish.
    setImmediate(then);
  };
  h.kube.store.on('change', onChange);
}

describe('Apply in Gateway mode reports what the Gateway’s controller says about the route', () => {
  const start = harnessPerTest(GATEWAY_MODE);

  it('names the reason and message when the controller cannot resolve the backend (BackendNotFound)', async () => {
    const h = await start();
    const preview = await command(h, '/expose', BILLING, ADMIN);
    afterRouteCreated(h, () => h.kube.store.remove('v1', 'Service', 'team-a', 'billing'));
    const answer = await clickAnswer(h, (await h.press(preview.message, 'Apply', ADMIN)).responseUrl);
    expect(answer.text).toContain('the HTTPRoute `team-a/billing.example.com` is written.');
    expect(answer.text).toContain(
      ':x: The Gateway’s controller refused the route: ResolvedRefs is False, reason `BackendNotFound`: ' +
        'Failed to process route rule 0 backendRef 0: service team-a/billing not found.',
    );
    expect(answer.text).not.toContain('it is live');
    // The fallback text carries it too, for notifications.
    expect(String(answer.body['text'])).toContain('ResolvedRefs is False, reason BackendNotFound');

    const route = h.kube.store.get(...HTTP_ROUTE, 'team-a', 'billing.example.com');
    expect(parentConditions(route)).toEqual([
      expect.objectContaining({ type: 'Accepted', status: 'True' }),
      expect.objectContaining({ type: 'ResolvedRefs', status: 'False', reason: 'BackendNotFound' }),
    ]);
    expect(kubeWrites(h).map((write) => [write.verb, write.resource, write.status])).toEqual([['create', 'httproutes', 201]]);
    const [line] = await clicksDone(h, 'expose_apply');
    expect(line).toMatchObject({ outcome: 'ok', result: 'applied' });
    expect(slackMessageProblems(h)).toEqual([]);
  });

  it('names NotAllowedByListeners when the namespace lost its label right after the write', async () => {
    const h = await start();
    const preview = await command(h, '/expose', BILLING, ADMIN);
    afterRouteCreated(h, () =>
      h.kube.store.modify('v1', 'Namespace', undefined, 'team-a', (namespace) => {
        delete namespace.metadata.labels?.[EXPOSABLE_LABEL];
      }),
    );
    const answer = await clickAnswer(h, (await h.press(preview.message, 'Apply', ADMIN)).responseUrl);
    expect(answer.text).toContain('the HTTPRoute `team-a/billing.example.com` is written.');
    expect(answer.text).toContain(
      ':x: The Gateway’s controller refused the route: Accepted is False, reason `NotAllowedByListeners`: ' +
        'No listeners included by this parent ref allowed this attachment.',
    );
    expect(h.kube.store.get(...HTTP_ROUTE, 'team-a', 'billing.example.com')).toBeDefined();
  });
});

describe('Apply in Gateway mode when no controller answers', () => {
  const start = harnessPerTest({ ...GATEWAY_MODE, routeStatusWaitMs: 500 });

  it('says the controller has not answered within the wait, and /expose list shows the route waiting', async () => {
    const h = await start();
    const preview = await command(h, '/expose', BILLING, ADMIN);
    // The controller goes away; the Gateway keeps the Programmed status it last wrote.
    h.gatewayController?.stop();
    const answer = await clickAnswer(h, (await h.press(preview.message, 'Apply', ADMIN)).responseUrl);
    expect(answer.text).toContain('the HTTPRoute `team-a/billing.example.com` is written.');
    expect(answer.text).toMatch(
      /:hourglass_flowing_sand: The Gateway’s controller has not answered within [\d.]+ s \(no Accepted condition on the route yet\)\. `\/expose list` shows the route’s status when it does\./,
    );
    expect(answer.text).not.toContain('it is live');
    const route = h.kube.store.get(...HTTP_ROUTE, 'team-a', 'billing.example.com');
    expect(route).toBeDefined();
    expect(route?.['status']).toBeUndefined();
    // The bot polled the route (it did not just give up at once).
    expect(
      h.kube.requests.filter(
        (request) => request.verb === 'get' && request.resource === 'httproutes' && request.name === 'billing.example.com',
      ).length,
    ).toBeGreaterThan(1);
    expect(slackMessageProblems(h)).toEqual([]);

    const list = await command(h, '/expose', 'list', ADMIN);
    expect(list.text).toContain(
      '• `billing.example.com` → `team-a/billing:8080`: requested by <@U0ADMIN0001>, approved by <@U0ADMIN0001> on ',
    );
    expect(list.text).toMatch(/`billing\.example\.com` → .* · :hourglass_flowing_sand: no answer from the Gateway’s controller yet/);
    await settle(h.bot);
    // The route is written, so the audit line is posted all the same.
    expect(h.slack.channelMessages(ALERT_CHANNEL)).toHaveLength(1);
  });
});
