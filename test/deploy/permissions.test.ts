import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import type { KubeRequestRecord } from '../../dev/stand-ins/kube-api-server.js';
import { seedSampleWorld } from '../../dev/stand-ins/sample-world.js';
import { clicksDone, command } from '../support/expose-steps.js';
import { ADMIN, ALERT_CHANNEL, DEVELOPER, type Harness, startHarness, waitFor } from '../support/harness.js';
import { type AuthorizableRequest, allowedBy, describeRequest, type Grant, grantsFor, shippedRbacObjects } from '../support/rbac.js';

const root = join(import.meta.dirname, '..', '..');
const BOT_ACCOUNT = { namespace: 'nlb-ingress-bot', name: 'nlb-ingress-bot' };
const shipped = parse(readFileSync(join(root, 'manifests', 'bot', 'config.yaml'), 'utf8')) as { data: Record<string, string> };

/**
 * What the API server authorizes for a request: its verb, plus "create" when a server-side apply creates
 * the object (Kubernetes authorizes that as a create too, and the stand-in answers such an apply with 201).
 */
function authorizations(request: KubeRequestRecord): AuthorizableRequest[] {
  const created = request.verb === 'patch' && request.contentType === 'application/apply-patch+yaml' && request.status === 201;
  return created ? [request, { ...request, verb: 'create', name: undefined }] : [request];
}

/**
 * Replays what the bot does in production, with the shipped configuration (config.yaml), against the
 * stand-ins, then checks every Kubernetes call against the shipped RBAC rules and every AWS call against
 * the IAM policy, and every rule and permission against the calls: they grant what the code calls, and
 * nothing more.
 */
let harness: Harness;
let requests: KubeRequestRecord[];

beforeAll(async () => {
  harness = await startHarness({
    seed: (kube, aws) => seedSampleWorld(kube, aws, { externalTrafficPolicy: 'Local' }),
    env: { ...shipped.data, ALERT_CHANNEL, EXPOSE_ADMINS: ADMIN, POD_NAMESPACE: BOT_ACCOUNT.namespace },
  });
  await command(harness, '/ips', '', DEVELOPER);
  await command(harness, '/expose', 'list', DEVELOPER);

  // An admin exposes a host: preview, Apply (server-side apply creates the Ingress).
  const preview = await command(harness, '/expose', 'payments.example.com team-a/billing:http', ADMIN);
  await harness.press(preview.message, 'Apply', ADMIN);
  await clicksDone(harness, 'expose_apply');

  // A developer asks, an admin approves a second host.
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

  // An admin removes the first host.
  const removal = await command(harness, '/unexpose', 'payments.example.com', ADMIN);
  await harness.press(removal.message, 'Remove', ADMIN);
  await clicksDone(harness, 'unexpose_remove');

  // /health, and the alert loop: it takes the Lease (create, then get/update), polls and posts an incident
  // (the sample world's Local policy leaves two of three targets unhealthy) over two polls.
  await command(harness, '/health', '', DEVELOPER);
  const monitor = harness.bot.healthMonitor!;
  await monitor.pollOnce();
  await monitor.pollOnce();
  await monitor.renewLease();
  await waitFor(() => harness.slack.channelMessages(ALERT_CHANNEL).some((message) => /unhealthy|degraded/i.test(message.text ?? '')));
  requests = [...harness.kube.requests];
}, 60_000);
afterAll(() => harness?.close());

describe('RBAC', () => {
  const grants: Grant[] = grantsFor(shippedRbacObjects(root), BOT_ACCOUNT);

  it('runs with the shipped configuration, which allows one exposable namespace', () => {
    expect(harness.bot.config.exposeNamespaces).toEqual(['team-a']);
    expect(harness.bot.config.podNamespace).toBe(BOT_ACCOUNT.namespace);
  });

  it('allows every Kubernetes call the bot made', () => {
    expect(requests.length).toBeGreaterThan(10);
    const denied = requests
      .flatMap(authorizations)
      .filter((request) => allowedBy(grants, request) === undefined)
      .map(describeRequest);
    expect([...new Set(denied)]).toEqual([]);
  });

  it('grants nothing the bot does not call', () => {
    const made = requests.flatMap(authorizations);
    const unused = grants.flatMap((grant) =>
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
    expect(unused).toEqual([]);
  });

  it('uses no wildcard in any rule', () => {
    for (const grant of grants) {
      for (const field of [grant.rule.apiGroups, grant.rule.resources, grant.rule.verbs, grant.rule.resourceNames ?? []]) {
        expect(field.some((entry) => entry.includes('*'))).toBe(false);
      }
    }
  });

  it('would refuse a call outside the rules, so the check can fail', () => {
    expect(
      allowedBy(grants, {
        verb: 'delete',
        group: 'networking.k8s.io',
        resource: 'ingresses',
        subresource: undefined,
        namespace: 'team-b',
        name: 'x',
      }),
    ).toBeUndefined();
    expect(
      allowedBy(grants, { verb: 'get', group: '', resource: 'secrets', subresource: undefined, namespace: 'ingress-nginx', name: 'x' }),
    ).toBeUndefined();
    expect(
      allowedBy(grants, {
        verb: 'get',
        group: '',
        resource: 'services',
        subresource: undefined,
        namespace: 'ingress-nginx',
        name: 'other',
      }),
    ).toBeUndefined();
  });

  it('binds the expose Role in exactly the namespaces of EXPOSE_NAMESPACES', () => {
    const exposeNamespaces = new Set(
      grants
        .filter((grant) => grant.rule.resources.includes('ingresses') && grant.rule.verbs.includes('create'))
        .map((grant) => grant.namespace),
    );
    expect([...exposeNamespaces].sort()).toEqual(shipped.data['EXPOSE_NAMESPACES']!.split(',').sort());
  });
});

describe('the IAM policy', () => {
  const policy = JSON.parse(readFileSync(join(root, 'manifests', 'iam-policy.json'), 'utf8')) as {
    Statement: Array<{ Effect: string; Action: string[]; Resource: string | string[] }>;
  };
  const allowed = policy.Statement.filter((statement) => statement.Effect === 'Allow').flatMap((statement) => statement.Action);
  const prefix = { elbv2: 'elasticloadbalancing', acm: 'acm', route53: 'route53', ec2: 'ec2' } as const;

  /** Every AWS operation the code can send: the SDK commands and paginators used under src/ports/aws. */
  function operationsInCode(): string[] {
    const dir = join(root, 'src', 'ports', 'aws');
    const operations = new Set<string>();
    for (const file of readdirSync(dir)) {
      const source = readFileSync(join(dir, file), 'utf8');
      const service = source.includes('@aws-sdk/client-acm')
        ? 'acm'
        : source.includes('@aws-sdk/client-elastic-load-balancing-v2')
          ? 'elbv2'
          : source.includes('@aws-sdk/client-ec2')
            ? 'ec2'
            : source.includes('@aws-sdk/client-route-53')
              ? 'route53'
              : undefined;
      if (service === undefined) continue;
      for (const match of source.matchAll(/\bnew (\w+)Command\(|\bpaginate(\w+)\(/g))
        operations.add(`${prefix[service]}:${match[1] ?? match[2]}`);
    }
    return [...operations].sort();
  }

  it('allows exactly the AWS operations the code sends (Route 53, only with DNS_PROVIDER, in its own policy)', () => {
    const route53Policy = JSON.parse(readFileSync(join(root, 'manifests', 'iam-policy-route53.json'), 'utf8')) as typeof policy;
    const route53 = route53Policy.Statement.flatMap((statement) => statement.Action);
    expect([...allowed].sort()).toEqual(operationsInCode().filter((action) => !action.startsWith('route53:')));
    expect([...route53].sort()).toEqual(operationsInCode().filter((action) => action.startsWith('route53:')));
    // Changes only in the zones listed (as ROUTE53_ZONE_IDS), never on every zone.
    const change = route53Policy.Statement.find((statement) => statement.Action.includes('route53:ChangeResourceRecordSets'));
    expect(change?.Resource).toEqual([expect.stringMatching(/^arn:aws:route53:::hostedzone\/Z[0-9A-Z]+$/)]);
  });

  it('allows every AWS call the bot made', () => {
    const made = [...new Set(harness.aws.calls.map((call) => `${prefix[call.service]}:${call.action}`))].sort();
    expect(made.length).toBeGreaterThanOrEqual(4);
    expect(made.filter((action) => !allowed.includes(action))).toEqual([]);
  });

  it('only reads, and names no wildcard action', () => {
    for (const action of allowed) {
      expect(action).toMatch(/^(elasticloadbalancing|acm|ec2):Describe[A-Za-z]+$/);
    }
  });
});
