import { describe, expect, it } from '@jest/globals';
import { buttonLabels, findButtonLabelled } from '../../dev/stand-ins/slack-buttons.js';
import { clickAnswer, clicksDone, command, kubeWrites, settle } from '../support/expose-steps.js';
import { GATEWAY_MODE, HTTP_ROUTE, parentConditions, slackMessageProblems } from '../support/gateway-world.js';
import { ADMIN, ALERT_CHANNEL, CHANNEL, DEVELOPER, type Harness, harnessPerTest, messageText, waitFor } from '../support/harness.js';

const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'nlb-ingress-bot' };

/** The HTTPRoutes in a namespace, by name. */
function routeNames(h: Harness, namespace: string): string[] {
  return h.kube.store.list(...HTTP_ROUTE, namespace).map((route) => route.metadata.name ?? '');
}

describe('/expose in Gateway mode, by an admin', () => {
  const start = harnessPerTest(GATEWAY_MODE);

  it('previews the HTTPRoute, then Apply writes exactly one, attached to the Gateway, backed by the port number, and reports it live', async () => {
    const h = await start();
    const preview = await command(h, '/expose', 'billing.example.com team-a/billing:http', ADMIN);
    expect(buttonLabels(preview.message.blocks)).toEqual(['Apply', 'Cancel']);
    expect(preview.text).toContain(':white_check_mark: *Gateway*: The Gateway `edge/shared` is programmed.');
    expect(preview.text).toContain(
      ':white_check_mark: *Listener*: The listener `https` takes an HTTPRoute for `billing.example.com` from `team-a`.',
    );
    expect(preview.text).toContain(
      ':white_check_mark: *Host free*: No route on the Gateway `edge/shared` (and no Ingress on its NLB) serves `billing.example.com` yet, at any path.',
    );
    expect(preview.text).toContain('*The HTTPRoute that will be written* (`team-a/billing.example.com`):');
    const yaml = /```([\s\S]*?)```/.exec(preview.text)?.[1] ?? '';
    expect(yaml).toContain('apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n');
    expect(yaml).toContain(
      '  parentRefs:\n    - group: gateway.networking.k8s.io\n      kind: Gateway\n      namespace: edge\n      name: shared\n  hostnames:\n    - billing.example.com\n',
    );
    expect(yaml).toContain(
      '      backendRefs:\n        - group: ""\n          kind: Service\n          name: billing\n          port: 8080',
    );
    expect(yaml).not.toContain('sectionName');
    expect(yaml).not.toContain('port: http');
    expect(preview.text).toContain('Apply re-runs every check, then writes the HTTPRoute.');
    expect(kubeWrites(h)).toEqual([]);

    const answer = await clickAnswer(h, (await h.press(preview.message, 'Apply', ADMIN)).responseUrl);
    expect(answer.body['replace_original']).toBe(true);
    expect(answer.text).toContain(
      ':white_check_mark: `billing.example.com` (path `/`) → `team-a/billing:http`: the HTTPRoute `team-a/billing.example.com` is written.',
    );
    expect(answer.text).toContain(':large_green_circle: The Gateway’s controller accepted the route and resolved its backend: it is live.');
    expect(answer.text).toContain(`Audit line posted in <#${ALERT_CHANNEL}>.`);

    expect(kubeWrites(h)).toEqual([
      expect.objectContaining({
        verb: 'create',
        group: 'gateway.networking.k8s.io',
        resource: 'httproutes',
        namespace: 'team-a',
        status: 201,
      }),
    ]);
    expect(routeNames(h, 'team-a')).toEqual(['billing.example.com', 'orders.example.com']);
    const route = h.kube.store.get(...HTTP_ROUTE, 'team-a', 'billing.example.com');
    expect(route?.metadata.labels).toEqual(MANAGED_BY);
    expect(route?.metadata.annotations).toEqual({
      'nlb-ingress-bot/requested-by': ADMIN,
      'nlb-ingress-bot/approved-by': ADMIN,
      'nlb-ingress-bot/approved-at': expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      'nlb-ingress-bot/slack-channel': CHANNEL,
    });
    const spec = route?.['spec'] as {
      parentRefs: unknown[];
      hostnames: string[];
      rules: Array<{ matches: unknown[]; backendRefs: Array<Record<string, unknown>> }>;
    };
    expect(spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'edge', name: 'shared' }]);
    expect(spec.hostnames).toEqual(['billing.example.com']);
    expect(spec.rules).toHaveLength(1);
    expect(spec.rules[0]?.matches).toEqual([{ path: { type: 'PathPrefix', value: '/' } }]);
    expect(spec.rules[0]?.backendRefs).toEqual([expect.objectContaining({ group: '', kind: 'Service', name: 'billing', port: 8080 })]);
    expect(spec.rules[0]?.backendRefs[0]).not.toHaveProperty('namespace');
    // What "live" was read from: the controller's entry for the Gateway, for the route's generation.
    expect(parentConditions(route)).toEqual([
      expect.objectContaining({ type: 'Accepted', status: 'True', observedGeneration: route?.metadata.generation }),
      expect.objectContaining({ type: 'ResolvedRefs', status: 'True', observedGeneration: route?.metadata.generation }),
    ]);

    await settle(h.bot);
    expect(h.slack.channelMessages(ALERT_CHANNEL).map((message) => message.text)).toEqual([
      `:white_check_mark: <@${ADMIN}> exposed billing.example.com (path /) → team-a/billing:http (HTTPRoute team-a/billing.example.com). ` +
        `Requested by <@${ADMIN}>, approved by <@${ADMIN}>.`,
    ]);
    const [line] = await clicksDone(h, 'expose_apply');
    expect(line).toMatchObject({ user: ADMIN, host: 'billing.example.com', outcome: 'ok', result: 'applied' });
    expect(slackMessageProblems(h)).toEqual([]);
  });

  it('pins the listener named by GATEWAY_LISTENER in the parentRef, with the path as a PathPrefix', async () => {
    const h = await start({ env: { GATEWAY_LISTENER: 'https' } });
    const preview = await command(h, '/expose', 'api.example.com team-a/billing:8080 /api', ADMIN);
    expect(preview.text).toContain('      name: shared\n      sectionName: https\n');
    const answer = await clickAnswer(h, (await h.press(preview.message, 'Apply', ADMIN)).responseUrl);
    expect(answer.text).toContain('the HTTPRoute `team-a/api.example.com` is written');
    expect(answer.text).toContain('it is live.');
    const spec = h.kube.store.get(...HTTP_ROUTE, 'team-a', 'api.example.com')?.['spec'] as Record<string, unknown>;
    expect(spec['parentRefs']).toEqual([
      { group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'edge', name: 'shared', sectionName: 'https' },
    ]);
    expect(spec['hostnames']).toEqual(['api.example.com']);
    expect(spec['rules']).toEqual([
      {
        matches: [{ path: { type: 'PathPrefix', value: '/api' } }],
        backendRefs: [expect.objectContaining({ group: '', kind: 'Service', name: 'billing', port: 8080 })],
      },
    ]);
    expect(kubeWrites(h).map((write) => [write.verb, write.resource, write.status])).toEqual([['create', 'httproutes', 201]]);
    expect(slackMessageProblems(h)).toEqual([]);
  });

  it('writes nothing on a second Apply click of the same preview, and says it is already exposed', async () => {
    const h = await start();
    const preview = await command(h, '/expose', 'billing.example.com team-a/billing:http', ADMIN);
    // The same preview as the admin's client still shows it, before the first click replaced it.
    const shown = { ...preview.message, blocks: structuredClone(preview.message.blocks) };
    await clickAnswer(h, (await h.press(preview.message, 'Apply', ADMIN)).responseUrl);
    const second = await clickAnswer(h, (await h.press(shown, 'Apply', ADMIN)).responseUrl);
    expect(second.text).toContain(
      `\`billing.example.com\` (path \`/\`) → \`team-a/billing:http\` is already exposed by the HTTPRoute \`team-a/billing.example.com\`, approved by <@${ADMIN}>; nothing changed.`,
    );
    expect(second.text).not.toContain('is written');
    expect(kubeWrites(h)).toHaveLength(1);
    expect(routeNames(h, 'team-a')).toEqual(['billing.example.com', 'orders.example.com']);
    await clicksDone(h, 'expose_apply', 2);
    await settle(h.bot);
    expect(h.slack.channelMessages(ALERT_CHANNEL)).toHaveLength(1);
    expect(slackMessageProblems(h)).toEqual([]);
  });
});

describe('/expose in Gateway mode, by someone who is not an admin', () => {
  const start = harnessPerTest(GATEWAY_MODE);

  it('asks for approval with the HTTPRoute, writes nothing until an admin approves, then writes it and tells the requester', async () => {
    const h = await start();
    const preview = await command(h, '/expose', 'billing.example.com team-a/billing:http', DEVELOPER);
    expect(buttonLabels(preview.message.blocks)).toEqual(['Request approval', 'Cancel']);
    const asked = await clickAnswer(h, (await h.press(preview.message, 'Request approval', DEVELOPER)).responseUrl);
    expect(asked.text).toContain(`Approval requested in <#${ALERT_CHANNEL}>`);
    const [request] = h.slack.channelMessages(ALERT_CHANNEL);
    if (request === undefined) throw new Error('no approval request in the alert channel');
    expect(buttonLabels(request.blocks)).toEqual(['Approve', 'Reject']);
    const requestText = messageText(request);
    expect(requestText).toContain(`<@${DEVELOPER}> asks to expose \`billing.example.com\` (path \`/\`) → \`team-a/billing:http\``);
    expect(requestText).toContain('kind: HTTPRoute');
    expect(requestText).toContain('Approve re-runs every check, then writes the HTTPRoute.');
    expect(kubeWrites(h)).toEqual([]);

    const approved = await clickAnswer(h, (await h.press(request, 'Approve', ADMIN)).responseUrl);
    expect(approved.text).toContain('the HTTPRoute `team-a/billing.example.com` is written');
    expect(approved.text).toContain('it is live.');
    await clicksDone(h, 'expose_approve');
    await waitFor(
      () => request.updated === 1 && h.slack.channelMessages(DEVELOPER).length === 1 && h.slack.channelMessages(ALERT_CHANNEL).length === 2,
    );

    const route = h.kube.store.get(...HTTP_ROUTE, 'team-a', 'billing.example.com');
    expect(route?.metadata.labels).toEqual(MANAGED_BY);
    expect(route?.metadata.annotations).toMatchObject({
      'nlb-ingress-bot/requested-by': DEVELOPER,
      'nlb-ingress-bot/approved-by': ADMIN,
      'nlb-ingress-bot/slack-channel': CHANNEL,
    });
    expect((route?.['spec'] as { hostnames?: string[] } | undefined)?.hostnames).toEqual(['billing.example.com']);
    expect(kubeWrites(h).map((write) => [write.verb, write.resource, write.namespace, write.status])).toEqual([
      ['create', 'httproutes', 'team-a', 201],
    ]);

    expect(buttonLabels(request.blocks)).toEqual([]);
    expect(messageText(request)).toContain(`*Approved* by <@${ADMIN}>`);
    expect(messageText(request)).toContain('the HTTPRoute `team-a/billing.example.com` is written');
    expect(h.slack.channelMessages(DEVELOPER).map((message) => message.text)).toEqual([
      `:white_check_mark: Your request to expose billing.example.com (path /) → team-a/billing:http was approved by <@${ADMIN}>: ` +
        'the HTTPRoute team-a/billing.example.com is written.',
    ]);
    const audit = h.slack.channelMessages(ALERT_CHANNEL).filter((message) => message !== request);
    expect(audit.map((message) => message.text)).toEqual([
      expect.stringContaining(`(HTTPRoute team-a/billing.example.com). Requested by <@${DEVELOPER}>, approved by <@${ADMIN}>.`),
    ]);
    expect(slackMessageProblems(h)).toEqual([]);
  });

  it('lets an admin reject: no HTTPRoute is written', async () => {
    const h = await start();
    const preview = await command(h, '/expose', 'billing.example.com team-a/billing:http', DEVELOPER);
    await clickAnswer(h, (await h.press(preview.message, 'Request approval', DEVELOPER)).responseUrl);
    const [request] = h.slack.channelMessages(ALERT_CHANNEL);
    const rejected = await clickAnswer(h, (await h.press(request!, 'Reject', ADMIN)).responseUrl);
    expect(rejected.text).toContain('Rejected: `billing.example.com` (path `/`) → `team-a/billing:http`. Nothing was written;');
    await clicksDone(h, 'expose_reject');
    expect(kubeWrites(h)).toEqual([]);
    expect(h.kube.store.get(...HTTP_ROUTE, 'team-a', 'billing.example.com')).toBeUndefined();
    expect(findButtonLabelled(request!.blocks, 'Approve')).toBeUndefined();
  });
});
