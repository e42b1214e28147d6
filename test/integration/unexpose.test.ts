import { describe, expect, it } from '@jest/globals';
import { seedSampleWorld } from '../../dev/stand-ins/sample-world.js';
import { buttonLabels, clickPayload, findButtonLabelled } from '../../dev/stand-ins/slack-buttons.js';
import { interactionBody, postSigned } from '../../dev/stand-ins/slack-signing.js';
import { clickAnswer, clicksDone, command, kubeWrites, settle } from '../support/expose-steps.js';
import { ADMIN, ALERT_CHANNEL, CHANNEL, DEVELOPER, harnessPerTest, SIGNING_SECRET } from '../support/harness.js';

const INGRESS = ['networking.k8s.io/v1', 'Ingress'] as const;

describe('/unexpose', () => {
  const start = harnessPerTest({ seed: seedSampleWorld });

  it('removes the bot’s own Ingress after the Remove button and its confirmation', async () => {
    const h = await start();
    const uid = h.kube.store.get(...INGRESS, 'team-a', 'orders.example.com')?.metadata.uid;
    const confirm = await command(h, '/unexpose', 'orders.example.com', ADMIN);
    expect(confirm.text).toContain('Remove orders.example.com?');
    expect(confirm.text).toContain('`orders.example.com` (path `/`) → `team-a/orders-api:80`, Ingress `team-a/orders.example.com`');
    expect(confirm.text).toContain('requested by <@U0REQUESTER> and approved by <@U0ADMIN0001> on 2026-10-01T09:30:00Z');
    const remove = findButtonLabelled(confirm.message.blocks, 'Remove');
    expect(remove?.style).toBe('danger');
    expect(remove?.confirm).toMatchObject({
      title: { text: 'Remove this host?' },
      confirm: { text: 'Remove' },
      deny: { text: 'Keep it' },
      style: 'danger',
    });
    expect(kubeWrites(h)).toEqual([]);

    const answer = await clickAnswer(h, (await h.press(confirm.message, 'Remove', ADMIN)).responseUrl);
    expect(answer.body['replace_original']).toBe(true);
    expect(answer.text).toContain('Removed `orders.example.com`: the Ingress `team-a/orders.example.com` is deleted.');
    expect(h.kube.store.get(...INGRESS, 'team-a', 'orders.example.com')).toBeUndefined();
    expect(h.kube.store.get(...INGRESS, 'team-b', 'legacy-reports')).toBeDefined();
    expect(kubeWrites(h)).toEqual([
      expect.objectContaining({
        verb: 'delete',
        group: 'networking.k8s.io',
        resource: 'ingresses',
        namespace: 'team-a',
        name: 'orders.example.com',
        status: 200,
      }),
    ]);
    expect(uid).toBeDefined();
    await settle(h.bot);
    const audit = h.slack.channelMessages(ALERT_CHANNEL);
    expect(audit.map((message) => message.text)).toEqual([expect.stringContaining(`<@${ADMIN}> removed orders.example.com`)]);
    const [line] = await clicksDone(h, 'unexpose_remove');
    expect(line).toMatchObject({
      user: ADMIN,
      host: 'orders.example.com',
      ingress: 'team-a/orders.example.com',
      result: 'removed',
      outcome: 'ok',
    });
  });

  it('refuses a host served by an Ingress the bot did not create', async () => {
    const h = await start();
    const answer = await command(h, '/unexpose', 'reports.example.com', ADMIN);
    expect(answer.text).toContain('reports.example.com is served by team-b/legacy-reports, which the bot did not create');
    expect(buttonLabels(answer.message.blocks)).toEqual([]);
    expect(kubeWrites(h)).toEqual([]);
  });

  it('refuses the bot’s Ingress when someone added another host to it by hand, listing what else it serves, and changes nothing', async () => {
    const h = await start();
    h.kube.store.modify(...INGRESS, 'team-a', 'orders.example.com', (ingress) => {
      const spec = ingress['spec'] as { rules: unknown[] };
      spec.rules.push({
        host: 'admin.example.com',
        http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'billing', port: { number: 8080 } } } }] },
      });
    });
    const answer = await command(h, '/unexpose', 'orders.example.com', ADMIN);
    expect(answer.text).toContain(
      'The Ingress team-a/orders.example.com serves more than the bot wrote for orders.example.com: also admin.example.com path / → billing:8080. Removing it would take that down too, so nothing was changed.',
    );
    expect(buttonLabels(answer.message.blocks)).toEqual([]);
    expect(kubeWrites(h)).toEqual([]);
  });

  it('deletes nothing when a path was added to the Ingress by hand between the confirmation and the click', async () => {
    const h = await start();
    const confirm = await command(h, '/unexpose', 'orders.example.com', ADMIN);
    h.kube.store.modify(...INGRESS, 'team-a', 'orders.example.com', (ingress) => {
      const spec = ingress['spec'] as { rules: Array<{ http: { paths: unknown[] } }> };
      spec.rules[0]!.http.paths.push({
        path: '/admin',
        pathType: 'Prefix',
        backend: { service: { name: 'billing', port: { name: 'http' } } },
      });
    });
    const answer = await clickAnswer(h, (await h.press(confirm.message, 'Remove', ADMIN)).responseUrl);
    expect(answer.text).toContain(
      'serves more than the bot wrote for orders.example.com: also orders.example.com path /admin → billing:http',
    );
    expect(answer.body['replace_original']).toBe(false);
    expect(h.kube.store.get(...INGRESS, 'team-a', 'orders.example.com')).toBeDefined();
    expect(kubeWrites(h)).toEqual([]);
    await settle(h.bot);
    expect(h.slack.channelMessages(ALERT_CHANNEL)).toEqual([]);
  });

  it('says so when no Ingress serves the host', async () => {
    const h = await start();
    const answer = await command(h, '/unexpose', 'nothing.example.com', ADMIN);
    expect(answer.text).toContain('No Ingress serves nothing.example.com; there is nothing to remove.');
  });

  it('refuses someone who is not an admin, before reading anything', async () => {
    const h = await start();
    const answer = await command(h, '/unexpose', 'orders.example.com', DEVELOPER);
    expect(answer.text).toContain('Only /expose admins can remove an exposed host; nothing was changed.');
    expect(h.kube.requests).toEqual([]);
  });

  it('refuses a Remove click from someone who is not an admin', async () => {
    const h = await start();
    const confirm = await command(h, '/unexpose', 'orders.example.com', ADMIN);
    const button = findButtonLabelled(confirm.message.blocks, 'Remove')!;
    const responseUrl = h.slack.responseUrl({ channel: CHANNEL, user: DEVELOPER, messageTs: confirm.message.ts });
    const payload = clickPayload({ message: confirm.message, button, user: DEVELOPER, responseUrl });
    await postSigned(h.slackUrl, SIGNING_SECRET, interactionBody(payload));
    const answer = await clickAnswer(h, responseUrl);
    expect(answer.text).toContain('Only /expose admins can remove an exposed host');
    expect(kubeWrites(h)).toEqual([]);
    expect(h.kube.store.get(...INGRESS, 'team-a', 'orders.example.com')).toBeDefined();
  });

  it('says the host is already gone when it was removed meanwhile', async () => {
    const h = await start();
    const confirm = await command(h, '/unexpose', 'orders.example.com', ADMIN);
    h.kube.store.remove(...INGRESS, 'team-a', 'orders.example.com');
    const answer = await clickAnswer(h, (await h.press(confirm.message, 'Remove', ADMIN)).responseUrl);
    expect(answer.text).toContain('The Ingress team-a/orders.example.com for orders.example.com is already gone; nothing to remove.');
    expect(kubeWrites(h)).toEqual([]);
  });

  it('leaves alone an Ingress re-created since the confirmation', async () => {
    const h = await start();
    const confirm = await command(h, '/unexpose', 'orders.example.com', ADMIN);
    const current = h.kube.store.get(...INGRESS, 'team-a', 'orders.example.com')!;
    h.kube.store.remove(...INGRESS, 'team-a', 'orders.example.com');
    h.kube.store.upsert({ ...current, metadata: { ...current.metadata, uid: 'a-new-uid' } });
    const answer = await clickAnswer(h, (await h.press(confirm.message, 'Remove', ADMIN)).responseUrl);
    expect(answer.text).toContain('was replaced or changed since the confirmation');
    expect(h.kube.store.get(...INGRESS, 'team-a', 'orders.example.com')).toBeDefined();
    expect(kubeWrites(h)).toEqual([]);
  });

  it('deletes with preconditions, so a change between its read and its delete is not deleted', async () => {
    const h = await start();
    const confirm = await command(h, '/unexpose', 'orders.example.com', ADMIN);
    // Someone relabels the Ingress right after the bot read it: the delete's resourceVersion is stale.
    h.kube.fail((request) => {
      if (request.verb === 'get' && request.resource === 'ingresses') {
        setImmediate(() =>
          h.kube.store.modify(...INGRESS, 'team-a', 'orders.example.com', (ingress) => {
            ingress.metadata.labels = {};
          }),
        );
      }
      return undefined;
    });
    const answer = await clickAnswer(h, (await h.press(confirm.message, 'Remove', ADMIN)).responseUrl);
    expect(answer.text).toContain('was changed by someone else while the bot was writing it');
    expect(h.kube.store.get(...INGRESS, 'team-a', 'orders.example.com')).toBeDefined();
    expect(kubeWrites(h)).toEqual([expect.objectContaining({ verb: 'delete', status: 409 })]);
  });

  it('explains /unexpose help and wants exactly one host', async () => {
    const h = await start();
    expect((await command(h, '/unexpose', 'help', DEVELOPER)).text).toContain('removes a host the bot exposed');
    expect((await command(h, '/unexpose', 'a.example.com b.example.com', ADMIN)).text).toContain('takes one host name');
    expect(h.kube.requests).toEqual([]);
  });
});

describe('/expose list', () => {
  const start = harnessPerTest();

  it('lists the bot’s hosts with who asked and approved, then the other hosts of the class, from one cluster-wide list', async () => {
    const harness = await start({
      seed: (kube, aws) => {
        seedSampleWorld(kube, aws);
        kube.upsert({
          apiVersion: 'networking.k8s.io/v1',
          kind: 'Ingress',
          metadata: { namespace: 'team-b', name: 'alb-thing' },
          spec: {
            ingressClassName: 'alb',
            rules: [
              {
                host: 'alb.example.com',
                http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'reports', port: { number: 80 } } } }] },
              },
            ],
          },
        });
      },
    });
    const list = await command(harness, '/expose', 'list', DEVELOPER);
    expect(list.text).toContain('*Managed by the bot* (1)');
    expect(list.text).toContain(
      '• `orders.example.com` → `team-a/orders-api:80`: requested by <@U0REQUESTER>, approved by <@U0ADMIN0001> on 2026-10-01T09:30:00Z',
    );
    expect(list.text).toContain('*Other hosts of the ingress class `nginx`* (1)');
    expect(list.text).toContain('• `reports.example.com`: `team-b/legacy-reports`');
    expect(list.text).not.toContain('alb.example.com');
    expect(harness.kube.requests.map((request) => [request.verb, request.resource, request.namespace])).toEqual([
      ['list', 'ingresses', undefined],
    ]);
  });

  it('does not turn annotation values from the cluster into mentions', async () => {
    const harness = await start({
      seed: (kube, aws) => {
        seedSampleWorld(kube, aws);
        kube.modify('networking.k8s.io/v1', 'Ingress', 'team-a', 'orders.example.com', (ingress) => {
          ingress.metadata.annotations = { ...ingress.metadata.annotations, 'nlb-ingress-bot/requested-by': '<!channel>' };
        });
      },
    });
    const list = await command(harness, '/expose', 'list', DEVELOPER);
    expect(list.text).toContain('requested by &lt;!channel&gt;');
    expect(list.text).not.toContain('<!channel>');
  });
});
