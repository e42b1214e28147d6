import { describe, expect, it } from '@jest/globals';
import { buttonLabels, findButtonLabelled } from '../../dev/stand-ins/slack-buttons.js';
import { BOT_NAME, MANAGED_BY_LABEL } from '../../src/domain/ownership.js';
import { clickAnswer, clicksDone, command, kubeWrites, settle } from '../support/expose-steps.js';
import {
  foreignRoute,
  GATEWAY_API_V1,
  GATEWAY_MODE,
  HTTP_ROUTE,
  parentConditions,
  seedGatewayWorldWith,
  slackMessageProblems,
} from '../support/gateway-world.js';
import { ADMIN, ALERT_CHANNEL, DEVELOPER, type Harness, harnessPerTest, waitFor } from '../support/harness.js';

const ORDERS = ['team-a', 'orders.example.com'] as const;

describe('/unexpose in Gateway mode', () => {
  const start = harnessPerTest(GATEWAY_MODE);

  it('removes the bot’s own HTTPRoute after the Remove button and its confirmation, and nothing else', async () => {
    const h = await start();
    const confirm = await command(h, '/unexpose', 'orders.example.com', ADMIN);
    expect(confirm.text).toContain('Remove orders.example.com?');
    expect(confirm.text).toContain('`orders.example.com` (path `/`) → `team-a/orders-api:80`, HTTPRoute `team-a/orders.example.com`.');
    expect(confirm.text).toContain('requested by <@U0REQUESTER> and approved by <@U0ADMIN0001> on 2026-10-01T09:30:00Z');
    const remove = findButtonLabelled(confirm.message.blocks, 'Remove');
    expect(remove?.style).toBe('danger');
    expect(remove?.confirm).toMatchObject({
      title: { text: 'Remove this host?' },
      text: { text: 'The HTTPRoute team-a/orders.example.com will be deleted and orders.example.com will no longer be served.' },
      confirm: { text: 'Remove' },
      deny: { text: 'Keep it' },
    });
    expect(confirm.text).not.toContain('Ingress');
    expect(kubeWrites(h)).toEqual([]);
    expect(slackMessageProblems(h)).toEqual([]);

    const answer = await clickAnswer(h, (await h.press(confirm.message, 'Remove', ADMIN)).responseUrl);
    expect(answer.body['replace_original']).toBe(true);
    expect(answer.text).toContain('Removed `orders.example.com`: the HTTPRoute `team-a/orders.example.com` is deleted.');
    expect(h.kube.store.get(...HTTP_ROUTE, ...ORDERS)).toBeUndefined();
    // Only its own: the routes the bot did not write, and the redirect, are all still there.
    expect(
      h.kube.store
        .list(...HTTP_ROUTE)
        .map((route) => `${route.metadata.namespace}/${route.metadata.name}`)
        .sort(),
    ).toEqual(['edge/redirect-to-https', 'team-b/legacy-reports', 'team-b/partner-portal']);
    expect(kubeWrites(h)).toEqual([
      expect.objectContaining({
        verb: 'delete',
        group: 'gateway.networking.k8s.io',
        resource: 'httproutes',
        namespace: 'team-a',
        name: 'orders.example.com',
        status: 200,
      }),
    ]);
    const [line] = await clicksDone(h, 'unexpose_remove');
    expect(line).toMatchObject({ user: ADMIN, host: 'orders.example.com', result: 'removed', outcome: 'ok' });
    await settle(h.bot);
    expect(h.slack.channelMessages(ALERT_CHANNEL).map((message) => message.text)).toEqual([
      expect.stringContaining(
        `<@${ADMIN}> removed orders.example.com (path /) → team-a/orders-api:80, HTTPRoute team-a/orders.example.com.`,
      ),
    ]);
    expect(slackMessageProblems(h)).toEqual([]);
  });

  it('deletes nothing when the HTTPRoute changed between the bot’s read and its delete (resourceVersion precondition)', async () => {
    const h = await start();
    const confirm = await command(h, '/unexpose', 'orders.example.com', ADMIN);
    // Someone annotates the route right after the Remove click read it: the delete's resourceVersion is stale.
    h.kube.fail((request) => {
      if (request.verb === 'get' && request.resource === 'httproutes') {
        setImmediate(() =>
          h.kube.store.modify(...HTTP_ROUTE, ...ORDERS, (route) => {
            route.metadata.annotations = { ...route.metadata.annotations, 'example.com/owner': 'team-a' };
          }),
        );
      }
      return undefined;
    });
    const answer = await clickAnswer(h, (await h.press(confirm.message, 'Remove', ADMIN)).responseUrl);
    expect(answer.text).toContain('was changed by someone else while the bot was writing it');
    expect(h.kube.store.get(...HTTP_ROUTE, ...ORDERS)).toBeDefined();
    expect(kubeWrites(h)).toEqual([
      expect.objectContaining({ verb: 'delete', resource: 'httproutes', name: 'orders.example.com', status: 409 }),
    ]);
  });

  it('leaves alone an HTTPRoute re-created since the confirmation (uid)', async () => {
    const h = await start();
    const confirm = await command(h, '/unexpose', 'orders.example.com', ADMIN);
    const current = h.kube.store.get(...HTTP_ROUTE, ...ORDERS)!;
    h.kube.store.remove(...HTTP_ROUTE, ...ORDERS);
    h.kube.store.upsert({ ...current, metadata: { ...current.metadata, uid: 'a-new-uid' } });
    const answer = await clickAnswer(h, (await h.press(confirm.message, 'Remove', ADMIN)).responseUrl);
    expect(answer.text).toContain(
      'The HTTPRoute team-a/orders.example.com was replaced or changed since the confirmation, so it was left alone.',
    );
    expect(h.kube.store.get(...HTTP_ROUTE, ...ORDERS)?.metadata.uid).toBe('a-new-uid');
    expect(kubeWrites(h)).toEqual([]);
  });

  it('refuses a host served by an HTTPRoute the bot did not create, and writes nothing', async () => {
    const h = await start();
    const answer = await command(h, '/unexpose', 'reports.example.com', ADMIN);
    expect(answer.text).toContain(
      'reports.example.com is served by team-b/legacy-reports, which the bot did not create; it removes only its own HTTPRoutes.',
    );
    expect(buttonLabels(answer.message.blocks)).toEqual([]);
    expect(kubeWrites(h)).toEqual([]);
    expect(h.kube.store.get(...HTTP_ROUTE, 'team-b', 'legacy-reports')).toBeDefined();
    expect(slackMessageProblems(h)).toEqual([]);
  });

  it('refuses the bot’s HTTPRoute when a hostname was added to it by hand', async () => {
    const h = await start();
    h.kube.store.modify(...HTTP_ROUTE, ...ORDERS, (route) => {
      (route['spec'] as { hostnames: string[] }).hostnames.push('admin.example.com');
    });
    const answer = await command(h, '/unexpose', 'orders.example.com', ADMIN);
    expect(answer.text).toContain('The HTTPRoute team-a/orders.example.com serves more than the bot wrote for orders.example.com: also ');
    expect(answer.text).toContain('admin.example.com');
    expect(answer.text).toContain('Removing it would take that down too, so nothing was changed.');
    expect(buttonLabels(answer.message.blocks)).toEqual([]);
    expect(kubeWrites(h)).toEqual([]);
  });

  it('refuses someone who is not an admin before reading anything', async () => {
    const h = await start();
    const answer = await command(h, '/unexpose', 'orders.example.com', DEVELOPER);
    expect(answer.text).toContain('Only /expose admins can remove an exposed host; nothing was changed.');
    expect(h.kube.requests).toEqual([]);
  });
});

/** A bot-labelled HTTPRoute whose backend Service does not exist, as if its Service was deleted after the write. */
const BROKEN = {
  apiVersion: GATEWAY_API_V1,
  kind: 'HTTPRoute',
  metadata: {
    namespace: 'team-a',
    name: 'broken.example.com',
    labels: { [MANAGED_BY_LABEL]: BOT_NAME },
    annotations: { 'nlb-ingress-bot/requested-by': 'U0REQUESTER', 'nlb-ingress-bot/approved-by': 'U0ADMIN0001' },
  },
  spec: {
    parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'edge', name: 'shared' }],
    hostnames: ['broken.example.com'],
    rules: [
      { matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ group: '', kind: 'Service', name: 'gone', port: 80 }] },
    ],
  },
};

describe('/expose list in Gateway mode', () => {
  const start = harnessPerTest({
    ...GATEWAY_MODE,
    seed: seedGatewayWorldWith(
      BROKEN,
      foreignRoute('GRPCRoute', 'team-b', 'reports-grpc', ['grpc.example.com']),
      // On another Gateway: not a host of the shared edge.
      {
        ...foreignRoute('HTTPRoute', 'team-b', 'elsewhere', ['elsewhere.example.com']),
        spec: { parentRefs: [{ namespace: 'edge', name: 'internal' }], hostnames: ['elsewhere.example.com'], rules: [{}] },
      },
    ),
  });

  async function list(h: Harness): Promise<string> {
    await waitFor(() => parentConditions(h.kube.store.get(...HTTP_ROUTE, 'team-a', 'broken.example.com')) !== undefined);
    return (await command(h, '/expose', 'list', DEVELOPER)).text;
  }

  it('shows the bot’s HTTPRoutes with the controller’s status, live or refused with its reason', async () => {
    const h = await start();
    const text = await list(h);
    expect(text).toContain('*Managed by the bot* (2)');
    expect(text).toContain(
      '• `orders.example.com` → `team-a/orders-api:80`: requested by <@U0REQUESTER>, approved by <@U0ADMIN0001> on 2026-10-01T09:30:00Z · :large_green_circle: live',
    );
    expect(text).toContain(
      '• `broken.example.com` → `team-a/gone:80`: requested by <@U0REQUESTER>, approved by <@U0ADMIN0001> · ' +
        ':x: refused (ResolvedRefs: `BackendNotFound`) Failed to process route rule 0 backendRef 0: service team-a/gone not found.',
    );
    expect(kubeWrites(h)).toEqual([]);
  });

  it('shows the other hostnames attached to the Gateway with their kind, and none of another Gateway', async () => {
    const h = await start();
    const text = await list(h);
    expect(text).toContain('*Other hosts of the Gateway `edge/shared`* (4)');
    expect(text).toContain('• `grpc.example.com`: GRPCRoute `team-b/reports-grpc`');
    expect(text).toContain('• `portal.example.com`: HTTPRoute `team-b/partner-portal`');
    expect(text).toContain('• `reports.example.com`: HTTPRoute `team-b/legacy-reports`');
    expect(text).toContain('• `every hostname`: HTTPRoute `edge/redirect-to-https`');
    expect(text).not.toContain('elsewhere.example.com');
    expect(text).toContain('Only the bot’s own HTTPRoutes can be removed from Slack.');
  });

  it('answers in valid Block Kit, placeholders escaped', async () => {
    const h = await start();
    await list(h);
    expect(slackMessageProblems(h)).toEqual([]);
  });
});
