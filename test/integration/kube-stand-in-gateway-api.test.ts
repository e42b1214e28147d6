import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type KubeApiServer, type KubeChange, startKubeApiServer } from '../../dev/stand-ins/kube-api-server.js';

// biome-ignore lint/suspicious/noExplicitAny: API answers are JSON of any shape; the assertions check them
type Loose = any;

const GW = '/apis/gateway.networking.k8s.io/v1';
const ROUTES = `${GW}/namespaces/team-a/httproutes`;

const route = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { name, namespace: 'team-a' },
  spec: {
    parentRefs: [{ name: 'shared', namespace: 'edge' }],
    hostnames: [`${name}.example.com`],
    rules: [{ backendRefs: [{ name: 'orders', port: 80 }] }],
  },
  ...extra,
});

const accepted = (generation: number) => ({
  parents: [
    {
      parentRef: { name: 'shared', namespace: 'edge' },
      controllerName: 'gateway.envoyproxy.io/gatewayclass-controller',
      conditions: [
        {
          type: 'Accepted',
          status: 'True',
          reason: 'Accepted',
          message: 'ok',
          lastTransitionTime: '2026-05-01T00:00:00Z',
          observedGeneration: generation,
        },
      ],
    },
  ],
});

describe('the Kubernetes stand-in serving Gateway API', () => {
  let kube: KubeApiServer;
  beforeAll(async () => {
    kube = await startKubeApiServer();
  });
  afterAll(() => kube.close());

  async function call(
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
  ): Promise<{ status: number; body: Loose }> {
    const response = await fetch(`${kube.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${kube.token}`, 'content-type': contentType },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: await response.json() };
  }

  it('lists the Gateway API resources, their status subresources and the group in discovery', async () => {
    const v1 = await call('GET', GW);
    expect(v1.status).toBe(200);
    expect(v1.body.resources.map((resource: Loose) => `${resource.name} ${resource.kind} ${resource.namespaced}`)).toEqual([
      'gatewayclasses GatewayClass false',
      'gatewayclasses/status GatewayClass false',
      'gateways Gateway true',
      'gateways/status Gateway true',
      'httproutes HTTPRoute true',
      'httproutes/status HTTPRoute true',
      'grpcroutes GRPCRoute true',
      'grpcroutes/status GRPCRoute true',
    ]);
    const v1beta1 = await call('GET', '/apis/gateway.networking.k8s.io/v1beta1');
    expect(v1beta1.body.resources.map((resource: Loose) => resource.name)).toEqual(['referencegrants', 'referencegrants/status']);
    const groups = await call('GET', '/apis');
    expect(groups.body.groups.find((group: Loose) => group.name === 'gateway.networking.k8s.io')).toEqual({
      kind: 'APIGroup',
      apiVersion: 'v1',
      name: 'gateway.networking.k8s.io',
      versions: [
        { groupVersion: 'gateway.networking.k8s.io/v1', version: 'v1' },
        { groupVersion: 'gateway.networking.k8s.io/v1beta1', version: 'v1beta1' },
      ],
      preferredVersion: { groupVersion: 'gateway.networking.k8s.io/v1', version: 'v1' },
    });
  });

  it('creates an HTTPRoute at generation 1 with the CRD defaults filled in and any status dropped', async () => {
    const created = await call('POST', ROUTES, route('defaults', { status: accepted(1) }));
    expect(created.status).toBe(201);
    expect(created.body.metadata.generation).toBe(1);
    expect(created.body.spec.parentRefs).toEqual([
      { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'shared', namespace: 'edge' },
    ]);
    expect(created.body.spec.rules).toEqual([
      {
        matches: [{ path: { type: 'PathPrefix', value: '/' } }],
        backendRefs: [{ group: '', kind: 'Service', name: 'orders', port: 80, weight: 1 }],
      },
    ]);
    expect(created.body).not.toHaveProperty('status');
    expect(kube.store.get('gateway.networking.k8s.io/v1', 'HTTPRoute', 'team-a', 'defaults')?.['spec']).toEqual(created.body.spec);
  });

  it.each([
    [
      'a parentRef without a name',
      { spec: { parentRefs: [{ namespace: 'edge' }] } },
      'HTTPRoute "broken" is invalid: spec.parentRefs[0].name: Required value',
    ],
    [
      'a port given as text',
      { spec: { parentRefs: [{ name: 'shared', port: 'https' }] } },
      'spec.parentRefs[0].port: Invalid value: "https": must be integer',
    ],
    [
      'an upper-case hostname',
      { spec: { hostnames: ['API.example.com'] } },
      'spec.hostnames[0]: Invalid value: "API.example.com": must match pattern',
    ],
    [
      'an unknown path match type',
      { spec: { rules: [{ matches: [{ path: { type: 'Prefix', value: '/' } }] }] } },
      'spec.rules[0].matches[0].path.type',
    ],
    ['no spec at all', { spec: undefined }, 'HTTPRoute "broken" is invalid: spec: Required value'],
    ['a name that is no DNS subdomain', { metadata: { name: 'Broken_Route' } }, 'metadata.name: Invalid value: "Broken_Route"'],
  ])('refuses an HTTPRoute with %s as 422 Invalid, saying what is wrong', async (_what, change, message) => {
    const body = { ...route('broken'), ...change, metadata: { ...route('broken').metadata, ...(change as Loose).metadata } };
    const answer = await call('POST', ROUTES, body);
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Invalid', code: 422 });
    expect(answer.body.message).toContain(message);
    expect(kube.store.get('gateway.networking.k8s.io/v1', 'HTTPRoute', 'team-a', body.metadata.name)).toBeUndefined();
  });

  it.each([
    ['Gateway', `${GW}/namespaces/edge/gateways`, { spec: { gatewayClassName: 'eg', listeners: [] } }, 'spec.listeners: Invalid value: []'],
    ['GatewayClass', `${GW}/gatewayclasses`, { spec: { controllerName: 'no-slash' } }, 'spec.controllerName: Invalid value: "no-slash"'],
    [
      'GRPCRoute',
      `${GW}/namespaces/team-a/grpcroutes`,
      { spec: { rules: [{ backendRefs: [{ port: 9000 }] }] } },
      'spec.rules[0].backendRefs[0].name: Required value',
    ],
    [
      'ReferenceGrant',
      '/apis/gateway.networking.k8s.io/v1beta1/namespaces/team-b/referencegrants',
      { spec: { from: [], to: [{ group: '', kind: 'Service' }] } },
      'spec.from: Invalid value: []',
    ],
  ])('validates a %s against its schema', async (kind, path, body, message) => {
    const apiVersion = kind === 'ReferenceGrant' ? 'gateway.networking.k8s.io/v1beta1' : 'gateway.networking.k8s.io/v1';
    const answer = await call('POST', path, { apiVersion, kind, metadata: { name: 'invalid' }, ...body });
    expect(answer.status).toBe(422);
    expect(answer.body.reason).toBe('Invalid');
    expect(answer.body.message).toContain(`${kind} "invalid" is invalid: ${message}`);
  });

  it('creates the other Gateway API kinds, GatewayClass without a namespace', async () => {
    const gatewayClass = await call('POST', `${GW}/gatewayclasses`, {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'GatewayClass',
      metadata: { name: 'eg' },
      spec: { controllerName: 'gateway.envoyproxy.io/gatewayclass-controller' },
    });
    expect(gatewayClass.status).toBe(201);
    expect(gatewayClass.body.metadata).not.toHaveProperty('namespace');
    const gateway = await call('POST', `${GW}/namespaces/edge/gateways`, {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'shared' },
      spec: { gatewayClassName: 'eg', listeners: [{ name: 'https', port: 443, protocol: 'HTTP' }] },
    });
    expect(gateway.status).toBe(201);
    // The CRD's default: routes from the Gateway's own namespace only.
    expect(gateway.body.spec.listeners[0].allowedRoutes).toEqual({ namespaces: { from: 'Same' } });
    const grant = await call('POST', '/apis/gateway.networking.k8s.io/v1beta1/namespaces/team-b/referencegrants', {
      apiVersion: 'gateway.networking.k8s.io/v1beta1',
      kind: 'ReferenceGrant',
      metadata: { name: 'from-team-a' },
      spec: {
        from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'team-a' }],
        to: [{ group: '', kind: 'Service' }],
      },
    });
    expect(grant.status).toBe(201);
    expect((await call('GET', `${GW}/gatewayclasses/eg`)).body.spec.controllerName).toBe('gateway.envoyproxy.io/gatewayclass-controller');
  });

  it('keeps status out of writes to the object and bumps generation only when the spec changes', async () => {
    const created = (await call('POST', ROUTES, route('generations'))).body;
    const labelled = await call('PUT', `${ROUTES}/generations`, {
      ...created,
      metadata: { ...created.metadata, labels: { team: 'a' } },
      status: accepted(1),
    });
    expect(labelled.status).toBe(200);
    expect(labelled.body.metadata.generation).toBe(1);
    expect(labelled.body.metadata.labels).toEqual({ team: 'a' });
    expect(labelled.body).not.toHaveProperty('status');
    const respecified = await call('PUT', `${ROUTES}/generations`, {
      ...labelled.body,
      spec: { ...labelled.body.spec, hostnames: ['other.example.com'] },
    });
    expect(respecified.body.metadata.generation).toBe(2);
    const patched = await call(
      'PATCH',
      `${ROUTES}/generations`,
      { spec: { hostnames: ['third.example.com'] } },
      'application/merge-patch+json',
    );
    expect(patched.body.metadata.generation).toBe(3);
    expect(Number(patched.body.metadata.resourceVersion)).toBeGreaterThan(Number(respecified.body.metadata.resourceVersion));
  });

  it('writes status through /status (PUT and PATCH) without touching spec or generation', async () => {
    const created = (await call('POST', ROUTES, route('status'))).body;
    const put = await call('PUT', `${ROUTES}/status/status`, {
      ...created,
      spec: { ...created.spec, hostnames: ['ignored.example.com'] },
      status: accepted(1),
    });
    expect(put.status).toBe(200);
    expect(put.body.status.parents[0].conditions[0].reason).toBe('Accepted');
    // The status parentRef gets the CRD's defaults too.
    expect(put.body.status.parents[0].parentRef).toEqual({
      group: 'gateway.networking.k8s.io',
      kind: 'Gateway',
      name: 'shared',
      namespace: 'edge',
    });
    expect(put.body.spec.hostnames).toEqual(['status.example.com']);
    expect(put.body.metadata.generation).toBe(1);
    expect(put.body.metadata.resourceVersion).not.toBe(created.metadata.resourceVersion);

    const stale = await call('PUT', `${ROUTES}/status/status`, { ...created, status: accepted(1) });
    expect(stale.status).toBe(409);

    const patch = await call(
      'PATCH',
      `${ROUTES}/status/status`,
      { spec: { hostnames: ['ignored.example.com'] }, status: accepted(7) },
      'application/merge-patch+json',
    );
    expect(patch.status).toBe(200);
    expect(patch.body.status.parents[0].conditions[0].observedGeneration).toBe(7);
    expect(patch.body.spec.hostnames).toEqual(['status.example.com']);
    expect(patch.body.metadata.generation).toBe(1);
    expect(
      kube.requests.filter((request) => request.subresource === 'status').map((request) => `${request.verb} ${request.status}`),
    ).toEqual(['update 200', 'update 409', 'patch 200']);
  });

  it('validates status writes too', async () => {
    await call('POST', ROUTES, route('bad-status'));
    const answer = await call(
      'PATCH',
      `${ROUTES}/bad-status/status`,
      {
        status: {
          parents: [{ parentRef: { name: 'shared' }, controllerName: 'example.com/x', conditions: [{ type: 'Accepted', status: 'True' }] }],
        },
      },
      'application/merge-patch+json',
    );
    expect(answer.status).toBe(422);
    expect(answer.body.message).toContain('status.parents[0].conditions[0].lastTransitionTime: Required value');
  });

  it('answers 404 for a subresource it does not have, and 405 for a create on /status', async () => {
    await call('POST', ROUTES, route('subresources'));
    expect((await call('GET', `${ROUTES}/subresources/scale`)).status).toBe(404);
    expect((await call('POST', `${ROUTES}/subresources/status`, route('subresources'))).status).toBe(405);
  });

  it('keeps generation for status-only changes of the other kinds as well', async () => {
    const service = kube.store.upsert({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { namespace: 'team-a', name: 'orders' },
      spec: { ports: [{ port: 80 }] },
    });
    const withStatus = kube.store.modify('v1', 'Service', 'team-a', 'orders', (object) => {
      object['status'] = { loadBalancer: { ingress: [{ hostname: 'nlb.example.com' }] } };
    });
    expect(withStatus.metadata.generation).toBe(service.metadata.generation);
    const changed = kube.store.modify('v1', 'Service', 'team-a', 'orders', (object) => {
      object['spec'] = { ports: [{ port: 8080 }] };
    });
    expect(changed.metadata.generation).toBe((service.metadata.generation ?? 0) + 1);
  });

  it('tells listeners of every write and delete, through the API or the store', async () => {
    const changes: KubeChange[] = [];
    const listener = (change: KubeChange) => changes.push(change);
    kube.store.on('change', listener);
    try {
      await call('POST', ROUTES, route('watched'));
      await call('PATCH', `${ROUTES}/watched/status`, { status: accepted(1) }, 'application/merge-patch+json');
      kube.store.modify('gateway.networking.k8s.io/v1', 'HTTPRoute', 'team-a', 'watched', (object) => {
        object.metadata.labels = { seen: 'yes' };
      });
      await call('DELETE', `${ROUTES}/watched`);
      kube.store.upsert({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'watched' } });
      kube.store.remove('v1', 'Namespace', undefined, 'watched');
      expect(kube.store.remove('v1', 'Namespace', undefined, 'watched')).toBe(false);
    } finally {
      kube.store.off('change', listener);
    }
    expect(changes.map((change) => `${change.type} ${change.object.kind} ${change.object.metadata.name}`)).toEqual([
      'ADDED HTTPRoute watched',
      'MODIFIED HTTPRoute watched',
      'MODIFIED HTTPRoute watched',
      'DELETED HTTPRoute watched',
      'ADDED Namespace watched',
      'DELETED Namespace watched',
    ]);
    // A listener gets a copy: changing it changes nothing stored.
    changes[0]!.object.metadata.name = 'tampered';
    expect(kube.store.list('gateway.networking.k8s.io/v1', 'HTTPRoute', 'team-a').map((object) => object.metadata.name)).not.toContain(
      'tampered',
    );
  });
});
