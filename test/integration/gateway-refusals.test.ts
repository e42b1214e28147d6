import { describe, expect, it } from '@jest/globals';
import type { KubeStore } from '../../dev/stand-ins/kube-api-server.js';
import { EXPOSABLE_LABEL, SAMPLE_GATEWAY_CONTROLLER_NAME, seedSampleGatewayWorld } from '../../dev/stand-ins/sample-gateway-world.js';
import { buttonLabels } from '../../dev/stand-ins/slack-buttons.js';
import { clickAnswer, clicksDone, command, kubeWrites, settle } from '../support/expose-steps.js';
import {
  foreignRoute,
  GATEWAY,
  GATEWAY_MODE,
  HTTP_ROUTE,
  parentConditions,
  seedGatewayWorldWith,
  slackMessageProblems,
} from '../support/gateway-world.js';
import { ADMIN, ALERT_CHANNEL, type Harness, harnessPerTest, waitFor } from '../support/harness.js';

const BILLING = 'billing.example.com team-a/billing:http';

/** The preview of an /expose that must be refused: nothing to click, nothing written. */
async function refusedPreview(h: Harness, text: string): Promise<string> {
  const preview = await command(h, '/expose', text, ADMIN);
  expect(buttonLabels(preview.message.blocks)).toEqual([]);
  expect(preview.text).toContain(':x: *Nothing can be applied*: 1 check failed. Nothing was written;');
  expect(kubeWrites(h)).toEqual([]);
  expect(slackMessageProblems(h)).toEqual([]);
  return preview.text;
}

/** team-c: a namespace open for /expose (EXPOSE_NAMESPACES) without the label the https listener selects on. */
function addTeamC(kube: KubeStore): void {
  kube.upsert({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-c', labels: { 'kubernetes.io/metadata.name': 'team-c' } } });
  const billing = kube.get('v1', 'Service', 'team-a', 'billing');
  if (billing === undefined) throw new Error('the sample world has no team-a/billing');
  kube.upsert({ ...billing, metadata: { namespace: 'team-c', name: 'billing', labels: billing.metadata.labels ?? {} } });
}

const HOLDERS_WHY = 'Gateway API does not refuse a second route for a host: the oldest one silently wins';

describe('/expose in Gateway mode refuses a host someone else holds', () => {
  const start = harnessPerTest(GATEWAY_MODE);

  it('names the foreign HTTPRoute that serves the host', async () => {
    const h = await start();
    const text = await refusedPreview(h, 'reports.example.com team-a/billing:http');
    expect(text).toContain(
      ':x: *Host free*: `reports.example.com` is already served by the HTTPRoute `team-b/legacy-reports` (path `/` → `reports:80`). ' +
        HOLDERS_WHY,
    );
  });

  it('names a foreign HTTPRoute that serves the host at another path', async () => {
    const h = await start({
      seed: seedGatewayWorldWith(foreignRoute('HTTPRoute', 'team-b', 'docs-api', ['docs.example.com'], { path: '/api' })),
    });
    const text = await refusedPreview(h, 'docs.example.com team-a/billing:http');
    expect(text).toContain(
      ':x: *Host free*: `docs.example.com` is already served by the HTTPRoute `team-b/docs-api` (path `/api` → `reports:80`).',
    );
  });

  it('names a wildcard hostname that covers the host', async () => {
    const h = await start({ seed: seedGatewayWorldWith(foreignRoute('HTTPRoute', 'team-b', 'catch-all', ['*.example.com'])) });
    const text = await refusedPreview(h, BILLING);
    expect(text).toContain(
      ':x: *Host free*: `billing.example.com` is already served by the HTTPRoute `team-b/catch-all` (wildcard `*.example.com`, path `/` → `reports:80`).',
    );
  });

  it('names a GRPCRoute attached to the Gateway', async () => {
    const h = await start({ seed: seedGatewayWorldWith(foreignRoute('GRPCRoute', 'team-b', 'reports-grpc', ['grpc.example.com'])) });
    const text = await refusedPreview(h, 'grpc.example.com team-a/billing:http');
    expect(text).toContain(':x: *Host free*: `grpc.example.com` is already served by the GRPCRoute `team-b/reports-grpc`');
  });

  it('still counts a route whose backend is missing: it is attached, and as the older route it would win', async () => {
    const h = await start();
    h.kube.store.remove('v1', 'Service', 'team-b', 'reports');
    await waitForCondition(h, 'team-b', 'legacy-reports', 'ResolvedRefs', 'False');
    const text = await refusedPreview(h, 'reports.example.com team-a/billing:http');
    expect(text).toContain(':x: *Host free*: `reports.example.com` is already served by the HTTPRoute `team-b/legacy-reports`');
  });

  it('does not count a route the controller did not accept on the Gateway (it serves nothing there)', async () => {
    const h = await start({
      env: { EXPOSE_NAMESPACES: 'team-a,team-b,team-c' },
      seed: (kube, aws) => {
        seedSampleGatewayWorld(kube, aws);
        addTeamC(kube);
        kube.upsert(foreignRoute('HTTPRoute', 'team-c', 'stray', ['billing.example.com'], { service: 'billing' }));
      },
    });
    await waitForCondition(h, 'team-c', 'stray', 'Accepted', 'False');
    const preview = await command(h, '/expose', BILLING, ADMIN);
    expect(preview.text).toContain(':white_check_mark: *Host free*: No route on the Gateway `edge/shared`');
    expect(buttonLabels(preview.message.blocks)).toEqual(['Apply', 'Cancel']);
  });
});

describe('/expose in Gateway mode refuses what no listener would take', () => {
  const start = harnessPerTest(GATEWAY_MODE);

  it('names the listener and its selector when the namespace lacks the label', async () => {
    const h = await start({
      env: { EXPOSE_NAMESPACES: 'team-a,team-b,team-c' },
      seed: (kube, aws) => {
        seedSampleGatewayWorld(kube, aws);
        addTeamC(kube);
      },
    });
    const text = await refusedPreview(h, 'billing.example.com team-c/billing:http');
    expect(text).toContain(
      ':x: *Listener*: No listener takes an HTTPRoute for `billing.example.com` from `team-c`: ' +
        `Listener "https" (HTTP, port 443) of the Gateway edge/shared admits routes only from namespaces labelled ${EXPOSABLE_LABEL}=true ` +
        '(allowedRoutes.namespaces.from: Selector); the namespace team-c is not. ' +
        'Listener "http" (HTTP, port 80) of the Gateway edge/shared admits routes only from its own namespace edge ' +
        '(allowedRoutes.namespaces.from: Same), not from team-c.',
    );
    expect(h.kube.requests.some((request) => request.resource === 'namespaces' && request.name === 'team-c')).toBe(true);
  });

  it('names the configured listener whose hostname does not cover the host', async () => {
    const h = await start({
      env: { GATEWAY_LISTENER: 'internal' },
      seed: (kube, aws) => {
        seedSampleGatewayWorld(kube, aws);
        kube.modify(...GATEWAY, 'edge', 'shared', (gateway) => {
          (gateway['spec'] as { listeners: unknown[] }).listeners.push({
            name: 'internal',
            port: 8443,
            protocol: 'HTTP',
            hostname: '*.internal.example.org',
            allowedRoutes: { namespaces: { from: 'All' } },
          });
        });
      },
    });
    const text = await refusedPreview(h, BILLING);
    expect(text).toContain(
      ':x: *Listener*: No listener takes an HTTPRoute for `billing.example.com` from `team-a`: ' +
        'Listener "internal" (HTTP, port 8443) of the Gateway edge/shared serves only *.internal.example.org (its hostname), ' +
        'which does not cover billing.example.com.',
    );
    expect(text).not.toContain('Listener "https"');
  });

  it('says the Gateway does not exist, and writes nothing', async () => {
    const h = await start({ env: { GATEWAY: 'edge/nope' } });
    const answer = await command(h, '/expose', BILLING, ADMIN);
    expect(answer.text).toContain('The Gateway edge/nope does not exist.');
    expect(answer.text).toContain('Check GATEWAY (namespace/name of the shared Gateway)');
    expect(buttonLabels(answer.message.blocks)).toEqual([]);
    expect(kubeWrites(h)).toEqual([]);
    expect(slackMessageProblems(h)).toEqual([]);
  });

  it('refuses on the Gateway check when the Gateway’s status is for an older generation', async () => {
    const h = await start();
    h.gatewayController?.stop();
    h.kube.store.modify(...GATEWAY, 'edge', 'shared', (gateway) => {
      (gateway['spec'] as { listeners: Array<{ port: number }> }).listeners[0]!.port = 8443;
    });
    const text = await refusedPreview(h, BILLING);
    expect(text).toContain(
      ':x: *Gateway*: The Gateway edge/shared reports on generation 1 but is at generation 2: its controller has not processed the latest change yet.',
    );
  });
});

describe('/expose in Gateway mode without a Gateway controller', () => {
  const start = harnessPerTest({
    env: { GATEWAY: 'edge/shared' },
    seed: (kube, aws) => {
      seedSampleGatewayWorld(kube, aws);
      kube.modify(...GATEWAY, 'edge', 'shared', (gateway) => {
        gateway['status'] = {
          conditions: [
            {
              type: 'Programmed',
              status: 'False',
              reason: 'AddressNotAssigned',
              message: 'No addresses have been assigned to the Gateway',
              observedGeneration: 1,
              lastTransitionTime: '2026-05-01T00:00:00Z',
            },
          ],
        };
      });
    },
  });

  it('refuses on the Gateway check when the Gateway is not Programmed, with the controller’s reason', async () => {
    const h = await start();
    const text = await refusedPreview(h, BILLING);
    expect(text).toContain(
      ':x: *Gateway*: The Gateway edge/shared is not programmed (AddressNotAssigned): No addresses have been assigned to the Gateway',
    );
  });
});

describe('/expose in Gateway mode when the Gateway’s class belongs to no running controller', () => {
  // The Gateway's class is not this controller's: it programs nothing, so the edge is not ready.
  const start = harnessPerTest({ ...GATEWAY_MODE, gatewayController: { controllerName: `${SAMPLE_GATEWAY_CONTROLLER_NAME}-other` } });

  it('refuses the preview on the Gateway check: no controller has taken the Gateway up', async () => {
    const h = await start();
    const text = await refusedPreview(h, BILLING);
    expect(text).toContain(
      ':x: *Gateway*: The Gateway edge/shared has no Programmed condition yet: no controller has taken it up. Check that its GatewayClass shared-edge is accepted and its controller runs.',
    );
  });
});

describe('Apply in Gateway mode re-checks', () => {
  const start = harnessPerTest(GATEWAY_MODE);

  it('writes nothing when a foreign route took the host between the preview and the click', async () => {
    const h = await start();
    const preview = await command(h, '/expose', BILLING, ADMIN);
    expect(buttonLabels(preview.message.blocks)).toEqual(['Apply', 'Cancel']);
    h.kube.store.upsert(foreignRoute('HTTPRoute', 'team-b', 'billing-by-hand', ['billing.example.com'], { path: '/v2' }));
    const answer = await clickAnswer(h, (await h.press(preview.message, 'Apply', ADMIN)).responseUrl);
    expect(answer.text).toContain(
      'Nothing was written: `billing.example.com` is already served by the HTTPRoute `team-b/billing-by-hand` (path `/v2` → `reports:80`).',
    );
    expect(answer.body['replace_original']).toBe(false);
    expect(kubeWrites(h)).toEqual([]);
    expect(h.kube.store.get(...HTTP_ROUTE, 'team-a', 'billing.example.com')).toBeUndefined();
    const [line] = await clicksDone(h, 'expose_apply');
    expect(line).toMatchObject({ outcome: 'user_error' });
    await settle(h.bot);
    expect(h.slack.channelMessages(ALERT_CHANNEL)).toEqual([]);
    expect(slackMessageProblems(h)).toEqual([]);
  });

  it('writes nothing when the namespace lost the label the listener selects on since the preview', async () => {
    const h = await start();
    const preview = await command(h, '/expose', BILLING, ADMIN);
    h.kube.store.modify('v1', 'Namespace', undefined, 'team-a', (namespace) => {
      delete namespace.metadata.labels?.[EXPOSABLE_LABEL];
    });
    const answer = await clickAnswer(h, (await h.press(preview.message, 'Apply', ADMIN)).responseUrl);
    expect(answer.text).toContain(
      'Nothing was written: No listener takes an HTTPRoute for `billing.example.com` from `team-a`: Listener "https" (HTTP, port 443)',
    );
    expect(kubeWrites(h)).toEqual([]);
  });
});

/** Waits until the stand-in controller reports `type` = `status` on the route. */
async function waitForCondition(h: Harness, namespace: string, name: string, type: string, status: string): Promise<void> {
  await waitFor(
    () =>
      parentConditions(h.kube.store.get(...HTTP_ROUTE, namespace, name))?.some(
        (condition) => condition['type'] === type && condition['status'] === status,
      ),
    5000,
    `${type} ${status} on ${namespace}/${name}`,
  );
}
