import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import type { KubeRequestRecord } from '../../dev/stand-ins/kube-api-server.js';
import {
  SAMPLE_DATA_PLANE_SERVICE,
  SAMPLE_ENVOY_NAMESPACE,
  SAMPLE_GATEWAY,
  SAMPLE_GATEWAY_CONTROLLER_NAME,
  seedSampleGatewayWorld,
} from '../../dev/stand-ins/sample-gateway-world.js';
import { SAMPLE_NLB_DNS } from '../../dev/stand-ins/sample-world.js';
import { loadConfig } from '../../src/config.js';
import { clicksDone, command } from '../support/expose-steps.js';
import { ADMIN, ALERT_CHANNEL, DEVELOPER, type Harness, startHarness, waitFor } from '../support/harness.js';
import { idOf, type KustomizedObject, kubectlKustomize, kustomize } from '../support/kustomize.js';
import { type AuthorizableRequest, allowedBy, describeRequest, type Grant, grantsFor } from '../support/rbac.js';

const root = join(import.meta.dirname, '..', '..');
const overlay = join(root, 'manifests', 'bot-gateway');
const BOT_ACCOUNT = { namespace: 'nlb-ingress-bot', name: 'nlb-ingress-bot' };
const GATEWAY_GROUP = 'gateway.networking.k8s.io';

/** What `kubectl apply -k manifests/bot-gateway` creates. */
const rendered = kustomize(overlay);
const shippedConfig = (() => {
  const found = rendered.find((object) => object.kind === 'ConfigMap' && object.metadata.name === 'nlb-ingress-bot-config');
  if (found === undefined) throw new Error('no ConfigMap nlb-ingress-bot-config in manifests/bot-gateway');
  return (found as KustomizedObject & { data: Record<string, string> }).data;
})();

/**
 * What the API server authorizes for a request: its verb, plus "create" when a server-side apply creates
 * the object (Gateway mode creates with a plain POST, but a future apply must still be authorized as a create).
 */
function authorizations(request: KubeRequestRecord): AuthorizableRequest[] {
  const created = request.verb === 'patch' && request.contentType === 'application/apply-patch+yaml' && request.status === 201;
  return created ? [request, { ...request, verb: 'create', name: undefined }] : [request];
}

function denied(grants: readonly Grant[], made: readonly AuthorizableRequest[]): string[] {
  return [...new Set(made.filter((request) => allowedBy(grants, request) === undefined).map(describeRequest))];
}

/** Every verb x resource of every rule that no request made used: what a rule grants beyond the code's calls. */
function unusedGrants(grants: readonly Grant[], made: readonly AuthorizableRequest[]): string[] {
  return grants.flatMap((grant) =>
    grant.rule.verbs.flatMap((verb) =>
      grant.rule.resources.flatMap((resource) => {
        const used = made.some(
          (request) =>
            request.verb === verb &&
            request.resource === resource &&
            grant.rule.apiGroups.includes(request.group) &&
            allowedBy([{ ...grant, rule: { ...grant.rule, verbs: [verb], resources: [resource] } }], request) !== undefined,
        );
        return used ? [] : [`${verb} ${resource} (${grant.source})`];
      }),
    ),
  );
}

/**
 * Replays what the bot does in production in Gateway mode, with the configuration of manifests/bot-gateway,
 * against the stand-ins (the sample Envoy Gateway world, its stand-in controller writing route status), then
 * checks every Kubernetes call against the RBAC rules that overlay renders, and every rule against the calls.
 */
let harness: Harness;
let made: AuthorizableRequest[];

beforeAll(async () => {
  harness = await startHarness({
    seed: seedSampleGatewayWorld,
    env: { ...shippedConfig, ALERT_CHANNEL, EXPOSE_ADMINS: ADMIN, POD_NAMESPACE: BOT_ACCOUNT.namespace },
    gatewayController: { controllerName: SAMPLE_GATEWAY_CONTROLLER_NAME, address: SAMPLE_NLB_DNS },
    routeStatusWaitMs: 3000,
  });
  await command(harness, '/ips', '', DEVELOPER);
  await command(harness, '/expose', 'list', DEVELOPER);

  // An admin exposes a host: preview, Apply (a create of the HTTPRoute, then reads of it for the controller's status).
  const preview = await command(harness, '/expose', 'payments.example.com team-a/billing:http', ADMIN);
  await harness.press(preview.message, 'Apply', ADMIN);
  await clicksDone(harness, 'expose_apply');

  // A developer asks, an admin approves a second host (the decision creates the decisions ConfigMap).
  const asked = await command(harness, '/expose', 'shop.example.com team-a/orders-api:80', DEVELOPER);
  await harness.press(asked.message, 'Request approval', DEVELOPER);
  const request = await waitFor(() =>
    harness.slack.channelMessages(ALERT_CHANNEL).find((message) => (message.text ?? '').includes('shop.example.com')),
  );
  await harness.press(request, 'Approve', ADMIN);
  await clicksDone(harness, 'expose_approve');

  // ... and rejects a third: the second decision updates the ConfigMap the first one created.
  const third = await command(harness, '/expose', 'outlet.example.com team-a/orders-api:80', DEVELOPER);
  await harness.press(third.message, 'Request approval', DEVELOPER);
  const thirdRequest = await waitFor(() =>
    harness.slack.channelMessages(ALERT_CHANNEL).find((message) => (message.text ?? '').includes('outlet.example.com')),
  );
  await harness.press(thirdRequest, 'Reject', ADMIN);
  await clicksDone(harness, 'expose_reject');

  // An admin removes the first host (a delete with preconditions).
  const removal = await command(harness, '/unexpose', 'payments.example.com', ADMIN);
  await harness.press(removal.message, 'Remove', ADMIN);
  await clicksDone(harness, 'unexpose_remove');

  // /health, and the alert loop: it takes the Lease (create, then get/update), polls and posts an incident
  // (the sample data plane's Local policy leaves two of three targets unhealthy) over two polls.
  await command(harness, '/health', '', DEVELOPER);
  const monitor = harness.bot.healthMonitor!;
  await monitor.pollOnce();
  await monitor.pollOnce();
  await monitor.renewLease();
  await waitFor(() => harness.slack.channelMessages(ALERT_CHANNEL).some((message) => /unhealthy|degraded/i.test(message.text ?? '')));
  made = harness.kube.requests.flatMap(authorizations);
}, 60_000);
afterAll(() => harness?.close());

describe('the Gateway-mode manifests (manifests/bot-gateway)', () => {
  it('render as kustomize renders them', () => {
    const real = kubectlKustomize(overlay);
    // Without kubectl (kustomize is built in) there is nothing to compare with; the reader refuses what it cannot read.
    if (real === undefined) return;
    const byId = (objects: readonly KustomizedObject[]) => Object.fromEntries(objects.map((object) => [idOf(object), object]));
    expect(byId(rendered)).toEqual(byId(real));
  });

  it('validate against the Kubernetes API schemas', async () => {
    expect(rendered.length).toBeGreaterThan(10);
    for (const object of rendered) {
      const [group, version] = object.apiVersion.includes('/') ? object.apiVersion.split('/') : [undefined, object.apiVersion];
      const module = (await import(`kubernetes-models/${group === undefined ? '' : `${group}/`}${version}/${object.kind}`)) as Record<
        string,
        new (
          data: unknown,
        ) => { validate(): void }
      >;
      expect(() => new module[object.kind]!(object).validate()).not.toThrow();
    }
  });

  it('carry a Gateway-mode configuration the bot accepts, without INGRESS_CLASS and INGRESS_CONTROLLER_SERVICE', () => {
    expect(shippedConfig).not.toHaveProperty('INGRESS_CLASS');
    expect(shippedConfig).not.toHaveProperty('INGRESS_CONTROLLER_SERVICE');
    const config = loadConfig({
      ...shippedConfig,
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_SIGNING_SECRET: '0123456789abcdef0123',
      PORT: '3000',
      POD_NAMESPACE: BOT_ACCOUNT.namespace,
    });
    expect(config.edges).toEqual([
      expect.objectContaining({
        mode: 'gateway',
        gateway: SAMPLE_GATEWAY,
        gatewayListener: 'https',
        controllerService: undefined,
        exposeNamespaces: ['team-a'],
      }),
    ]);
  });

  it('leave the Ingress-mode base as it is: Ingress mode, its own ConfigMap', () => {
    const base = parse(readFileSync(join(root, 'manifests', 'bot', 'config.yaml'), 'utf8')) as { data: Record<string, string> };
    expect(base.data).toHaveProperty('INGRESS_CLASS');
    expect(base.data).not.toHaveProperty('GATEWAY');
  });
});

describe('Gateway-mode RBAC', () => {
  const grants: Grant[] = grantsFor(rendered as Parameters<typeof grantsFor>[0], BOT_ACCOUNT);

  it('runs in Gateway mode with the shipped configuration, which allows one exposable namespace', () => {
    expect(harness.bot.config.edges.map((edge) => edge.mode)).toEqual(['gateway']);
    expect(harness.bot.config.exposeNamespaces).toEqual(['team-a']);
    expect(harness.bot.config.podNamespace).toBe(BOT_ACCOUNT.namespace);
  });

  it('replays every kind of call Gateway mode makes', () => {
    const calls = new Set(made.map((request) => `${request.verb} ${request.resource}`));
    for (const call of [
      'get gateways',
      'list httproutes',
      'list grpcroutes',
      'create httproutes',
      'get httproutes',
      'delete httproutes',
      'get namespaces',
      'list services',
      'get services',
      'list ingresses',
      'list nodes',
      'list pods',
      'create leases',
      'update configmaps',
    ])
      expect(calls).toContain(call);
    // The data plane's Service is found by its label, cluster-wide, and its pods are listed in its namespace.
    expect(made).toContainEqual(
      expect.objectContaining({
        verb: 'list',
        resource: 'services',
        namespace: undefined,
        query: expect.objectContaining({ labelSelector: `gateway.networking.k8s.io/gateway-name=${SAMPLE_GATEWAY.name}` }),
      }),
    );
    expect(made).toContainEqual(expect.objectContaining({ verb: 'list', resource: 'pods', namespace: SAMPLE_ENVOY_NAMESPACE }));
    // No Ingress is written in Gateway mode.
    expect(made.filter((request) => request.resource === 'ingresses' && request.verb !== 'list')).toEqual([]);
  });

  it('allows every Kubernetes call the bot made', () => {
    expect(made.length).toBeGreaterThan(10);
    expect(denied(grants, made)).toEqual([]);
  });

  it('grants nothing the bot does not call', () => {
    expect(unusedGrants(grants, made)).toEqual([]);
  });

  it('needs every rule: without any one of them, a call the bot made is refused', () => {
    for (const [index, grant] of grants.entries()) {
      const without = grants.filter((_, other) => other !== index);
      expect({ rule: grant.source, refused: denied(without, made).length > 0 }).toEqual({ rule: grant.source, refused: true });
    }
  });

  it('would report a rule the code never calls, so the unused check can fail', () => {
    const extra: Grant = {
      namespace: undefined,
      rule: { apiGroups: [GATEWAY_GROUP], resources: ['gatewayclasses'], verbs: ['get'] },
      source: 'an extra ClusterRole',
    };
    expect(unusedGrants([...grants, extra], made)).toEqual(['get gatewayclasses (an extra ClusterRole)']);
  });

  it('would refuse a call outside the rules, so the check can fail', () => {
    const refused = (request: Omit<AuthorizableRequest, 'subresource'>) => allowedBy(grants, { subresource: undefined, ...request });
    // HTTPRoutes are written only in EXPOSE_NAMESPACES; Ingresses nowhere.
    expect(refused({ verb: 'create', group: GATEWAY_GROUP, resource: 'httproutes', namespace: 'team-b', name: undefined })).toBeUndefined();
    expect(refused({ verb: 'update', group: GATEWAY_GROUP, resource: 'httproutes', namespace: 'team-a', name: 'x' })).toBeUndefined();
    expect(
      refused({ verb: 'create', group: 'networking.k8s.io', resource: 'ingresses', namespace: 'team-a', name: undefined }),
    ).toBeUndefined();
    expect(refused({ verb: 'delete', group: 'networking.k8s.io', resource: 'ingresses', namespace: 'team-a', name: 'x' })).toBeUndefined();
    // Only the one Gateway is read, and never written.
    expect(refused({ verb: 'get', group: GATEWAY_GROUP, resource: 'gateways', namespace: 'edge', name: 'other' })).toBeUndefined();
    expect(refused({ verb: 'update', group: GATEWAY_GROUP, resource: 'gateways', namespace: 'edge', name: 'shared' })).toBeUndefined();
    expect(refused({ verb: 'list', group: GATEWAY_GROUP, resource: 'gateways', namespace: undefined, name: undefined })).toBeUndefined();
    // Only the exposable namespaces' own Namespace objects are read; no list of namespaces.
    expect(refused({ verb: 'get', group: '', resource: 'namespaces', namespace: undefined, name: 'team-b' })).toBeUndefined();
    expect(refused({ verb: 'list', group: '', resource: 'namespaces', namespace: undefined, name: undefined })).toBeUndefined();
    // Services are listed, not read by name, outside EXPOSE_NAMESPACES; Secrets never.
    expect(
      refused({ verb: 'get', group: '', resource: 'services', namespace: SAMPLE_ENVOY_NAMESPACE, name: SAMPLE_DATA_PLANE_SERVICE }),
    ).toBeUndefined();
    expect(refused({ verb: 'get', group: '', resource: 'secrets', namespace: SAMPLE_ENVOY_NAMESPACE, name: 'x' })).toBeUndefined();
    // The ingress controller's namespace is no business of Gateway mode.
    expect(refused({ verb: 'list', group: '', resource: 'pods', namespace: 'ingress-nginx', name: undefined })).toBeUndefined();
    // ... while the namespace read the bot does make is allowed (GET /api/v1/namespaces/team-a, authorized in team-a).
    expect(refused({ verb: 'get', group: '', resource: 'namespaces', namespace: undefined, name: 'team-a' })).toBeDefined();
  });

  it('uses no wildcard in any rule', () => {
    for (const grant of grants) {
      for (const field of [grant.rule.apiGroups, grant.rule.resources, grant.rule.verbs, grant.rule.resourceNames ?? []]) {
        expect(field.some((entry) => entry.includes('*'))).toBe(false);
      }
    }
  });

  it("grants no Ingress write and nothing in the ingress controller's namespace", () => {
    const ingressWrites = grants.filter(
      (grant) => grant.rule.resources.includes('ingresses') && grant.rule.verbs.some((verb) => verb !== 'list'),
    );
    expect(ingressWrites).toEqual([]);
    expect(grants.filter((grant) => grant.namespace === 'ingress-nginx')).toEqual([]);
  });

  it('binds the HTTPRoute Role in exactly the namespaces of EXPOSE_NAMESPACES', () => {
    const exposeNamespaces = new Set(
      grants
        .filter((grant) => grant.rule.resources.includes('httproutes') && grant.rule.verbs.includes('create'))
        .map((grant) => grant.namespace),
    );
    expect([...exposeNamespaces].sort()).toEqual(shippedConfig['EXPOSE_NAMESPACES']!.split(',').sort());
  });

  it('reads exactly the Gateway of GATEWAY', () => {
    const gatewayReads = grants.filter((grant) => grant.rule.resources.includes('gateways'));
    expect(gatewayReads.map((grant) => `${grant.namespace}/${grant.rule.resourceNames?.join(',')}`)).toEqual([shippedConfig['GATEWAY']]);
  });
});

describe('the IAM policy in Gateway mode', () => {
  const policy = JSON.parse(readFileSync(join(root, 'manifests', 'iam-policy.json'), 'utf8')) as {
    Statement: Array<{ Effect: string; Action: string[] }>;
  };
  const allowed = policy.Statement.filter((statement) => statement.Effect === 'Allow').flatMap((statement) => statement.Action);
  const prefix = { elbv2: 'elasticloadbalancing', acm: 'acm', route53: 'route53', ec2: 'ec2' } as const;

  it('allows every AWS call the bot made', () => {
    const calls = [...new Set(harness.aws.calls.map((call) => `${prefix[call.service]}:${call.action}`))].sort();
    expect(calls.length).toBeGreaterThanOrEqual(4);
    expect(calls.filter((action) => !allowed.includes(action))).toEqual([]);
  });
});
