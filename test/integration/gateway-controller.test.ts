import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { gatewayApiSchemaProblem } from '../../dev/stand-ins/gateway-api-schema.js';
import { type GatewayController, startGatewayController } from '../../dev/stand-ins/gateway-controller.js';
import { type KubeObject, KubeStore } from '../../dev/stand-ins/kube-api-server.js';

// biome-ignore lint/suspicious/noExplicitAny: status is JSON of any shape; the assertions check it
type Loose = any;

const ENVOY = 'gateway.envoyproxy.io/gatewayclass-controller';
const NLB = 'shared-edge-0123456789abcdef.elb.eu-west-1.amazonaws.com';
const V1 = 'gateway.networking.k8s.io/v1';
const EXPOSABLE = { 'nlb-ingress-bot/exposable': 'true' };

function namespace(name: string, labels: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

function service(ns: string, name: string, port: number): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { namespace: ns, name }, spec: { ports: [{ name: 'http', port }] } };
}

function gateway(name: string, className: string, listeners: unknown[]): KubeObject {
  return { apiVersion: V1, kind: 'Gateway', metadata: { namespace: 'edge', name }, spec: { gatewayClassName: className, listeners } };
}

const SHARED_LISTENERS = [
  { name: 'https', port: 443, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels: EXPOSABLE } } } },
  { name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } },
];

function route(ns: string, name: string, spec: Record<string, unknown>, kind = 'HTTPRoute'): KubeObject {
  return {
    apiVersion: V1,
    kind,
    metadata: { namespace: ns, name },
    spec: {
      parentRefs: [{ name: 'shared', namespace: 'edge' }],
      hostnames: [name],
      rules: [{ backendRefs: [{ name: 'orders', port: 80 }] }],
      ...spec,
    },
  };
}

describe('the stand-in Gateway controller', () => {
  let store: KubeStore;
  let controller: GatewayController | undefined;

  beforeEach(() => {
    store = new KubeStore();
    for (const object of [
      namespace('edge'),
      namespace('team-a', EXPOSABLE),
      namespace('team-b', { ...EXPOSABLE, env: 'prod' }),
      namespace('team-c'),
      service('team-a', 'orders', 80),
      service('team-b', 'billing', 8080),
      { apiVersion: V1, kind: 'GatewayClass', metadata: { name: 'eg' }, spec: { controllerName: ENVOY } },
      { apiVersion: V1, kind: 'GatewayClass', metadata: { name: 'other' }, spec: { controllerName: 'example.com/other-controller' } },
      gateway('shared', 'eg', SHARED_LISTENERS),
      gateway('partners', 'eg', [
        {
          name: 'partners',
          port: 443,
          protocol: 'HTTP',
          hostname: '*.partners.example.com',
          allowedRoutes: { namespaces: { from: 'All' } },
        },
      ]),
      gateway('foreign', 'other', [{ name: 'http', port: 80, protocol: 'HTTP' }]),
    ]) {
      store.upsert(object);
    }
  });

  afterEach(() => {
    expect(controller?.errors ?? []).toEqual([]);
    controller?.stop();
    controller = undefined;
  });

  async function run(options: { address?: string; delayMs?: number } = { address: NLB }): Promise<GatewayController> {
    controller = startGatewayController(store, { controllerName: ENVOY, delayMs: 1, ...options });
    await controller.settled();
    return controller;
  }

  const stored = (kind: string, ns: string | undefined, name: string): Loose => store.get(V1, kind, ns, name);
  const parents = (ns: string, name: string, kind = 'HTTPRoute'): Loose[] => stored(kind, ns, name)?.status?.parents ?? [];
  const condition = (ns: string, name: string, type: string, kind = 'HTTPRoute'): Loose =>
    parents(ns, name, kind)[0]?.conditions.find((entry: Loose) => entry.type === type);
  const reasons = (ns: string, name: string, kind = 'HTTPRoute') =>
    [condition(ns, name, 'Accepted', kind), condition(ns, name, 'ResolvedRefs', kind)].map((entry) => `${entry?.status} ${entry?.reason}`);

  it('accepts a route from a labelled namespace, echoing its parentRef, for the route’s generation', async () => {
    store.upsert(route('team-a', 'api.example.com', {}));
    await run();
    const [entry, ...more] = parents('team-a', 'api.example.com');
    expect(more).toEqual([]);
    expect(entry.parentRef).toEqual({ name: 'shared', namespace: 'edge' });
    expect(entry.controllerName).toBe(ENVOY);
    expect(entry.conditions).toEqual([
      {
        type: 'Accepted',
        status: 'True',
        reason: 'Accepted',
        message: 'Route is accepted',
        observedGeneration: 1,
        lastTransitionTime: expect.any(String),
      },
      {
        type: 'ResolvedRefs',
        status: 'True',
        reason: 'ResolvedRefs',
        message: 'Resolved all the Object references for the Route',
        observedGeneration: 1,
        lastTransitionTime: expect.any(String),
      },
    ]);
  });

  it('echoes group, kind, sectionName and port as given', async () => {
    const parentRef = {
      group: 'gateway.networking.k8s.io',
      kind: 'Gateway',
      namespace: 'edge',
      name: 'shared',
      sectionName: 'https',
      port: 443,
    };
    store.upsert(route('team-a', 'api.example.com', { parentRefs: [parentRef] }));
    await run();
    expect(parents('team-a', 'api.example.com')[0].parentRef).toEqual(parentRef);
    expect(reasons('team-a', 'api.example.com')).toEqual(['True Accepted', 'True ResolvedRefs']);
  });

  it('programs its Gateways: conditions, the NLB address, listeners with attached routes', async () => {
    store.upsert(route('team-a', 'api.example.com', {}));
    store.upsert(route('team-b', 'billing.example.com', { rules: [{ backendRefs: [{ name: 'billing', port: 8080 }] }] }));
    store.upsert(route('team-c', 'refused.example.com', {}));
    store.upsert(route('edge', 'redirect', { hostnames: [], parentRefs: [{ name: 'shared', sectionName: 'http' }] }));
    await run();
    const status = stored('Gateway', 'edge', 'shared').status;
    expect(status.addresses).toEqual([{ type: 'Hostname', value: NLB }]);
    expect(status.conditions.map((entry: Loose) => `${entry.type} ${entry.status} ${entry.reason} ${entry.observedGeneration}`)).toEqual([
      'Accepted True Accepted 1',
      'Programmed True Programmed 1',
    ]);
    expect(status.listeners.map((entry: Loose) => [entry.name, entry.attachedRoutes])).toEqual([
      ['https', 2],
      ['http', 1],
    ]);
    expect(status.listeners[0].supportedKinds).toEqual([
      { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' },
      { group: 'gateway.networking.k8s.io', kind: 'GRPCRoute' },
    ]);
    expect(status.listeners[0].conditions.map((entry: Loose) => `${entry.type} ${entry.status}`)).toEqual([
      'Accepted True',
      'Programmed True',
      'ResolvedRefs True',
      'Conflicted False',
    ]);
    expect(stored('GatewayClass', undefined, 'eg').status.conditions).toEqual([
      {
        type: 'Accepted',
        status: 'True',
        reason: 'Accepted',
        message: 'Valid GatewayClass',
        observedGeneration: 1,
        lastTransitionTime: expect.any(String),
      },
    ]);
    // Another controller's class and Gateway are not this controller's to report on.
    expect(stored('GatewayClass', undefined, 'other').status).toBeUndefined();
    expect(stored('Gateway', 'edge', 'foreign').status).toBeUndefined();
  });

  it('writes status that the Gateway API schemas accept', async () => {
    store.upsert(route('team-a', 'api.example.com', {}));
    store.upsert(route('team-c', 'refused.example.com', {}));
    await run();
    for (const kind of ['GatewayClass', 'Gateway', 'HTTPRoute']) {
      for (const object of store.list(V1, kind)) expect(gatewayApiSchemaProblem(kind, object)).toBeUndefined();
    }
  });

  it('reports Programmed False and no address while the NLB has no address', async () => {
    await run({ delayMs: 1 });
    const status = stored('Gateway', 'edge', 'shared').status;
    expect(status).not.toHaveProperty('addresses');
    expect(status.conditions[1]).toMatchObject({ type: 'Programmed', status: 'False', reason: 'AddressNotAssigned' });
  });

  describe('refusing a route (Accepted False)', () => {
    it('NotAllowedByListeners: a namespace the Selector does not select', async () => {
      store.upsert(route('team-c', 'api.example.com', {}));
      await run();
      expect(condition('team-c', 'api.example.com', 'Accepted')).toMatchObject({
        status: 'False',
        reason: 'NotAllowedByListeners',
        message: 'No listeners included by this parent ref allowed this attachment.',
        observedGeneration: 1,
      });
      expect(stored('Gateway', 'edge', 'shared').status.listeners.map((entry: Loose) => entry.attachedRoutes)).toEqual([0, 0]);
    });

    it('NotAllowedByListeners: another namespace than the Gateway’s on a Same listener', async () => {
      store.upsert(route('team-a', 'api.example.com', { parentRefs: [{ name: 'shared', namespace: 'edge', sectionName: 'http' }] }));
      await run();
      expect(reasons('team-a', 'api.example.com')).toEqual(['False NotAllowedByListeners', 'True ResolvedRefs']);
    });

    it('NotAllowedByListeners: a kind the listener does not allow, while the allowed kind attaches', async () => {
      store.upsert(
        gateway('grpc', 'eg', [
          { name: 'grpc', port: 443, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' }, kinds: [{ kind: 'GRPCRoute' }] } },
        ]),
      );
      const parentRefs = [{ name: 'grpc', namespace: 'edge' }];
      store.upsert(route('team-a', 'api.example.com', { parentRefs }));
      store.upsert(route('team-a', 'rpc.example.com', { parentRefs }, 'GRPCRoute'));
      await run();
      expect(reasons('team-a', 'api.example.com')).toEqual(['False NotAllowedByListeners', 'True ResolvedRefs']);
      expect(reasons('team-a', 'rpc.example.com', 'GRPCRoute')).toEqual(['True Accepted', 'True ResolvedRefs']);
      expect(stored('Gateway', 'edge', 'grpc').status.listeners[0]).toMatchObject({
        attachedRoutes: 1,
        supportedKinds: [{ group: 'gateway.networking.k8s.io', kind: 'GRPCRoute' }],
      });
    });

    it('NotAllowedByListeners and Accepted by matchExpressions on the Namespace labels', async () => {
      store.upsert(
        gateway('prod', 'eg', [
          {
            name: 'https',
            port: 443,
            protocol: 'HTTP',
            allowedRoutes: {
              namespaces: { from: 'Selector', selector: { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }] } },
            },
          },
        ]),
      );
      const parentRefs = [{ name: 'prod', namespace: 'edge' }];
      store.upsert(route('team-a', 'api.example.com', { parentRefs }));
      store.upsert(route('team-b', 'billing.example.com', { parentRefs, rules: [{ backendRefs: [{ name: 'billing', port: 8080 }] }] }));
      await run();
      expect(reasons('team-a', 'api.example.com')).toEqual(['False NotAllowedByListeners', 'True ResolvedRefs']);
      expect(reasons('team-b', 'billing.example.com')).toEqual(['True Accepted', 'True ResolvedRefs']);
    });

    it('NoMatchingListenerHostname: no route hostname intersects the listener’s', async () => {
      store.upsert(route('team-a', 'api.example.com', { parentRefs: [{ name: 'partners', namespace: 'edge' }] }));
      await run();
      expect(condition('team-a', 'api.example.com', 'Accepted')).toMatchObject({
        status: 'False',
        reason: 'NoMatchingListenerHostname',
        message: "There were no hostname intersections between the HTTPRoute and this parent ref's Listener(s).",
      });
    });

    it('accepts hostnames under a listener wildcard, more than one label down, and a route without hostnames', async () => {
      const parentRefs = [{ name: 'partners', namespace: 'edge' }];
      store.upsert(route('team-a', 'a.b.partners.example.com', { parentRefs }));
      store.upsert(route('team-a', 'no-hostnames', { parentRefs, hostnames: [] }));
      store.upsert(route('team-a', 'wild', { parentRefs, hostnames: ['*.example.com'] }));
      store.upsert(route('team-a', 'apex', { parentRefs, hostnames: ['partners.example.com'] }));
      await run();
      expect(reasons('team-a', 'a.b.partners.example.com')[0]).toBe('True Accepted');
      expect(reasons('team-a', 'no-hostnames')[0]).toBe('True Accepted');
      expect(reasons('team-a', 'wild')[0]).toBe('True Accepted');
      expect(reasons('team-a', 'apex')[0]).toBe('False NoMatchingListenerHostname');
      expect(stored('Gateway', 'edge', 'partners').status.listeners[0].attachedRoutes).toBe(3);
    });

    it('NoMatchingParent: a sectionName, or a port, that names no listener', async () => {
      store.upsert(route('team-a', 'api.example.com', { parentRefs: [{ name: 'shared', namespace: 'edge', sectionName: 'web' }] }));
      store.upsert(
        route('team-a', 'port.example.com', { parentRefs: [{ name: 'shared', namespace: 'edge', sectionName: 'https', port: 80 }] }),
      );
      await run();
      expect(condition('team-a', 'api.example.com', 'Accepted')).toMatchObject({
        status: 'False',
        reason: 'NoMatchingParent',
        message: 'No listener named "web" on the Gateway edge/shared.',
      });
      expect(condition('team-a', 'port.example.com', 'Accepted').message).toBe(
        'No listener named "https" on port 80 on the Gateway edge/shared.',
      );
    });
  });

  describe('resolving backends (ResolvedRefs False)', () => {
    it('BackendNotFound: a Service that does not exist', async () => {
      store.upsert(route('team-a', 'api.example.com', { rules: [{ backendRefs: [{ name: 'missing', port: 80 }] }] }));
      await run();
      expect(reasons('team-a', 'api.example.com')).toEqual(['True Accepted', 'False BackendNotFound']);
      expect(condition('team-a', 'api.example.com', 'ResolvedRefs').message).toBe(
        'Failed to process route rule 0 backendRef 0: service team-a/missing not found.',
      );
    });

    it('BackendNotFound: a port the Service does not have', async () => {
      store.upsert(route('team-a', 'api.example.com', { rules: [{ backendRefs: [{ name: 'orders', port: 8080 }] }] }));
      await run();
      expect(condition('team-a', 'api.example.com', 'ResolvedRefs')).toMatchObject({
        reason: 'BackendNotFound',
        message: 'Failed to process route rule 0 backendRef 0: port 8080 not found on service team-a/orders.',
      });
    });

    it('RefNotPermitted: a Service in another namespace without a ReferenceGrant, until one is made', async () => {
      store.upsert(
        route('team-a', 'api.example.com', { rules: [{ backendRefs: [{ name: 'billing', namespace: 'team-b', port: 8080 }] }] }),
      );
      await run();
      expect(condition('team-a', 'api.example.com', 'ResolvedRefs')).toMatchObject({
        status: 'False',
        reason: 'RefNotPermitted',
        message: 'Failed to process route rule 0 backendRef 0: backend ref to Service team-b/billing not permitted by any ReferenceGrant.',
      });
      // A grant for GRPCRoutes, or for routes from another namespace, does not count.
      store.upsert({
        apiVersion: 'gateway.networking.k8s.io/v1beta1',
        kind: 'ReferenceGrant',
        metadata: { namespace: 'team-b', name: 'grpc-only' },
        spec: {
          from: [
            { group: 'gateway.networking.k8s.io', kind: 'GRPCRoute', namespace: 'team-a' },
            { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'team-c' },
          ],
          to: [{ group: '', kind: 'Service' }],
        },
      });
      await controller!.settled();
      expect(condition('team-a', 'api.example.com', 'ResolvedRefs').reason).toBe('RefNotPermitted');
      store.upsert({
        apiVersion: 'gateway.networking.k8s.io/v1beta1',
        kind: 'ReferenceGrant',
        metadata: { namespace: 'team-b', name: 'team-a-routes' },
        spec: {
          from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'team-a' }],
          to: [{ group: '', kind: 'Service', name: 'billing' }],
        },
      });
      await controller!.settled();
      expect(reasons('team-a', 'api.example.com')).toEqual(['True Accepted', 'True ResolvedRefs']);
    });

    it('InvalidKind: a backendRef to something other than a Service', async () => {
      store.upsert(
        route('team-a', 'api.example.com', { rules: [{ backendRefs: [{ group: 'apps', kind: 'Deployment', name: 'orders', port: 80 }] }] }),
      );
      await run();
      expect(condition('team-a', 'api.example.com', 'ResolvedRefs')).toMatchObject({
        status: 'False',
        reason: 'InvalidKind',
        message: 'Failed to process route rule 0 backendRef 0: Deployment.apps is not a supported kind, only core Services are.',
      });
    });

    it('reports ResolvedRefs on a route it does not accept, too', async () => {
      store.upsert(route('team-c', 'api.example.com', { rules: [{ backendRefs: [{ name: 'missing', port: 80 }] }] }));
      await run();
      expect(reasons('team-c', 'api.example.com')).toEqual(['False NotAllowedByListeners', 'False BackendNotFound']);
    });
  });

  describe('what it leaves alone', () => {
    it('writes no entry for a Gateway that does not exist or belongs to another controller', async () => {
      store.upsert(route('team-a', 'missing.example.com', { parentRefs: [{ name: 'missing', namespace: 'edge' }] }));
      store.upsert(route('team-a', 'foreign.example.com', { parentRefs: [{ name: 'foreign', namespace: 'edge' }] }));
      store.upsert(route('team-a', 'local.example.com', { parentRefs: [{ name: 'shared' }] }));
      await run();
      expect(stored('HTTPRoute', 'team-a', 'missing.example.com').status).toBeUndefined();
      expect(stored('HTTPRoute', 'team-a', 'foreign.example.com').status).toBeUndefined();
      // parentRef.namespace defaults to the route's: team-a/shared does not exist.
      expect(stored('HTTPRoute', 'team-a', 'local.example.com').status).toBeUndefined();
    });

    it('writes one entry per parentRef of its own and keeps other controllers’ entries', async () => {
      const theirs = {
        parentRef: { name: 'foreign', namespace: 'edge' },
        controllerName: 'example.com/other-controller',
        conditions: [
          {
            type: 'Accepted',
            status: 'True',
            reason: 'Accepted',
            message: 'theirs',
            lastTransitionTime: '2026-01-01T00:00:00Z',
            observedGeneration: 1,
          },
        ],
      };
      store.upsert({
        ...route('team-a', 'api.example.com', {
          parentRefs: [
            { name: 'foreign', namespace: 'edge' },
            { name: 'shared', namespace: 'edge', sectionName: 'https' },
            { name: 'shared', namespace: 'edge', sectionName: 'web' },
          ],
        }),
        status: { parents: [theirs] },
      });
      await run();
      const entries = parents('team-a', 'api.example.com');
      expect(entries[0]).toEqual(theirs);
      expect(entries.slice(1).map((entry: Loose) => `${entry.parentRef.sectionName} ${entry.conditions[0].reason}`)).toEqual([
        'https Accepted',
        'web NoMatchingParent',
      ]);
    });

    it('removes its entry when the route no longer names its Gateway', async () => {
      store.upsert(route('team-a', 'api.example.com', {}));
      const running = await run();
      store.modify(V1, 'HTTPRoute', 'team-a', 'api.example.com', (object) => {
        (object['spec'] as Loose).parentRefs = [{ name: 'missing', namespace: 'edge' }];
      });
      await running.settled();
      expect(parents('team-a', 'api.example.com')).toEqual([]);
    });
  });

  describe('timing and generations', () => {
    it('writes status a little after the change, bumping resourceVersion but not generation', async () => {
      const written = store.upsert(route('team-a', 'api.example.com', {}));
      controller = startGatewayController(store, { controllerName: ENVOY, address: NLB, delayMs: 30 });
      expect(stored('HTTPRoute', 'team-a', 'api.example.com').status).toBeUndefined();
      await new Promise((resolve) => setTimeout(resolve, 60));
      const after = stored('HTTPRoute', 'team-a', 'api.example.com');
      expect(after.status.parents).toHaveLength(1);
      expect(after.metadata.generation).toBe(1);
      expect(Number(after.metadata.resourceVersion)).toBeGreaterThan(Number(written.metadata.resourceVersion));
    });

    it('follows a spec change with the new observedGeneration, and keeps lastTransitionTime while the status holds', async () => {
      let clock = new Date('2026-05-01T10:00:00Z');
      store.upsert(route('team-a', 'api.example.com', {}));
      controller = startGatewayController(store, { controllerName: ENVOY, address: NLB, delayMs: 1, now: () => clock });
      await controller.settled();
      clock = new Date('2026-05-01T11:00:00Z');
      store.modify(V1, 'HTTPRoute', 'team-a', 'api.example.com', (object) => {
        (object['spec'] as Loose).hostnames = ['api.example.com', 'www.example.com'];
      });
      await controller.settled();
      expect(stored('HTTPRoute', 'team-a', 'api.example.com').metadata.generation).toBe(2);
      expect(condition('team-a', 'api.example.com', 'Accepted')).toMatchObject({
        observedGeneration: 2,
        lastTransitionTime: '2026-05-01T10:00:00Z',
      });
      store.modify(V1, 'HTTPRoute', 'team-a', 'api.example.com', (object) => {
        (object['spec'] as Loose).rules = [{ backendRefs: [{ name: 'missing', port: 80 }] }];
      });
      await controller.settled();
      expect(condition('team-a', 'api.example.com', 'ResolvedRefs')).toMatchObject({
        status: 'False',
        observedGeneration: 3,
        lastTransitionTime: '2026-05-01T11:00:00Z',
      });
    });

    it('writes nothing when nothing changed', async () => {
      store.upsert(route('team-a', 'api.example.com', {}));
      const running = await run();
      const before = store.currentRevision;
      store.upsert(service('team-a', 'unrelated', 80));
      await running.settled();
      expect(Number(store.currentRevision)).toBe(Number(before) + 1);
    });

    it('re-evaluates a route when its namespace gets the label', async () => {
      store.upsert(route('team-c', 'api.example.com', {}));
      const running = await run();
      expect(reasons('team-c', 'api.example.com')[0]).toBe('False NotAllowedByListeners');
      store.upsert(service('team-c', 'orders', 80));
      store.modify('v1', 'Namespace', undefined, 'team-c', (object) => {
        object.metadata.labels = EXPOSABLE;
      });
      await running.settled();
      expect(reasons('team-c', 'api.example.com')).toEqual(['True Accepted', 'True ResolvedRefs']);
    });

    it('stops reacting once stopped', async () => {
      const running = await run();
      running.stop();
      store.upsert(route('team-a', 'api.example.com', {}));
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(stored('HTTPRoute', 'team-a', 'api.example.com').status).toBeUndefined();
    });
  });
});
