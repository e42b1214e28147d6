import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { type GatewayController, startGatewayController } from '../../dev/stand-ins/gateway-controller.js';
import { type KubeApiServer, type KubeObject, startKubeApiServer } from '../../dev/stand-ins/kube-api-server.js';
import { parseExposeRequest } from '../../src/domain/expose-request.js';
import { isProgrammed, listenerAdmission } from '../../src/domain/gateway.js';
import { routesClaimingHost } from '../../src/domain/http-route.js';
import { buildManagedHttpRoute } from '../../src/domain/managed-http-route.js';
import { routeStatusFor } from '../../src/domain/route-status.js';
import { ErrorCode, UserFacingError } from '../../src/errors.js';
import { Metrics } from '../../src/metrics.js';
import { GatewayApiGateway } from '../../src/ports/kube/gateway-api-gateway.js';
import { loadKubeConfig } from '../../src/ports/kube/kube-config.js';

const ENVOY = 'gateway.envoyproxy.io/gatewayclass-controller';
const NLB = 'shared-edge-0123456789abcdef.elb.eu-west-1.amazonaws.com';
const V1 = 'gateway.networking.k8s.io/v1';
const EXPOSABLE = { 'nlb-ingress-bot/exposable': 'true' };
const SHARED = { namespace: 'edge', name: 'shared', sectionName: 'https' } as const;
const APPROVAL = { requestedBy: 'U0DEV', channel: 'C0PLATFORM', approvedBy: 'U0ADMIN', approvedAt: new Date('2026-06-01T10:00:00Z') };

function seed(kube: KubeApiServer): void {
  const objects: KubeObject[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'edge' } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a', labels: EXPOSABLE } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-c', labels: { team: 'c' } } },
    { apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'team-a', name: 'orders' }, spec: { ports: [{ name: 'http', port: 80 }] } },
    { apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'team-c', name: 'orders' }, spec: { ports: [{ name: 'http', port: 80 }] } },
    { apiVersion: V1, kind: 'GatewayClass', metadata: { name: 'eg' }, spec: { controllerName: ENVOY } },
    {
      apiVersion: V1,
      kind: 'Gateway',
      metadata: { namespace: 'edge', name: 'shared' },
      spec: {
        gatewayClassName: 'eg',
        listeners: [
          {
            name: 'https',
            port: 443,
            protocol: 'HTTP',
            allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels: EXPOSABLE } } },
          },
          { name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } },
        ],
      },
    },
  ];
  for (const object of objects) kube.store.upsert(object);
}

describe('GatewayApiGateway against the stand-in API server, through client-node', () => {
  let kube: KubeApiServer;
  let controller: GatewayController;
  let gateway: GatewayApiGateway;
  let metrics: Metrics;
  let dir: string;

  beforeEach(async () => {
    kube = await startKubeApiServer();
    seed(kube);
    controller = startGatewayController(kube.store, { controllerName: ENVOY, address: NLB, delayMs: 5 });
    dir = mkdtempSync(join(tmpdir(), 'gateway-api-port-'));
    const kubeconfigPath = join(dir, 'kubeconfig.yaml');
    writeFileSync(kubeconfigPath, kube.kubeconfig());
    const kubeConfig = loadKubeConfig({ kubeconfigPath, inCluster: false }, 5000);
    metrics = new Metrics({ collectProcessMetrics: false });
    gateway = new GatewayApiGateway(kubeConfig.makeApiClient(CustomObjectsApi), kubeConfig.makeApiClient(CoreV1Api), metrics);
    await controller.settled();
  });

  afterEach(async () => {
    expect(controller.errors).toEqual([]);
    controller.stop();
    await kube.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads the shared Gateway with its listeners and what the controller reports', async () => {
    const shared = await gateway.readGateway('edge', 'shared');
    expect(shared).toMatchObject({
      namespace: 'edge',
      name: 'shared',
      gatewayClassName: 'eg',
      generation: 1,
      addresses: [{ type: 'Hostname', value: NLB }],
    });
    expect(shared?.listeners).toEqual([
      {
        name: 'https',
        port: 443,
        protocol: 'HTTP',
        hostname: undefined,
        allowedRoutes: { from: 'Selector', selector: { matchLabels: EXPOSABLE, matchExpressions: [] }, kinds: undefined },
        attachedRoutes: 0,
        conditions: expect.arrayContaining([expect.objectContaining({ type: 'Programmed', status: 'True', observedGeneration: 1 })]),
      },
      expect.objectContaining({ name: 'http', port: 80, allowedRoutes: { from: 'Same', selector: undefined, kinds: undefined } }),
    ]);
    expect(shared?.conditions.find((condition) => condition.type === 'Programmed')?.lastTransitionTime).toBeInstanceOf(Date);
    expect(isProgrammed(shared!)).toEqual({ programmed: true });
    expect(await gateway.readGateway('edge', 'missing')).toBeUndefined();
  });

  it('reads a GatewayClass, cluster-scoped', async () => {
    expect(await gateway.readGatewayClass('eg')).toEqual({
      name: 'eg',
      controllerName: ENVOY,
      generation: 1,
      conditions: [expect.objectContaining({ type: 'Accepted', status: 'True', reason: 'Accepted', observedGeneration: 1 })],
    });
    expect(await gateway.readGatewayClass('missing')).toBeUndefined();
    expect(kube.requests.filter((request) => request.resource === 'gatewayclasses').map((request) => request.namespace)).toEqual([
      undefined,
      undefined,
    ]);
  });

  it('creates the bot’s HTTPRoute, which the controller then accepts, and a second create learns it exists', async () => {
    const manifest = buildManagedHttpRoute(parseExposeRequest('api.example.com team-a/orders:80'), SHARED, 80, APPROVAL);
    const created = await gateway.createHttpRoute(manifest);
    expect(created.kind).toBe('created');
    const route = created.kind === 'created' ? created.route : undefined;
    expect(route).toMatchObject({
      kind: 'HTTPRoute',
      namespace: 'team-a',
      name: 'api.example.com',
      labels: manifest.metadata.labels,
      annotations: manifest.metadata.annotations,
      generation: 1,
      hostnames: ['api.example.com'],
      parentRefs: [
        { group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'edge', name: 'shared', sectionName: 'https', port: undefined },
      ],
      rules: [
        {
          matches: [{ type: 'PathPrefix', value: '/' }],
          backendRefs: [{ group: '', kind: 'Service', namespace: 'team-a', name: 'orders', port: 80, weight: 1 }],
        },
      ],
      parents: [],
    });
    expect(route?.uid).toEqual(expect.any(String));
    expect(route?.creationTimestamp).toBeInstanceOf(Date);
    expect(routeStatusFor(route!, route!.parentRefs[0]!)).toEqual({ kind: 'pending' });
    expect(kube.requests.find((request) => request.verb === 'create' && request.resource === 'httproutes')?.query).toMatchObject({
      fieldManager: 'nlb-ingress-bot',
    });

    await controller.settled();
    const read = await gateway.readHttpRoute('team-a', 'api.example.com');
    expect(read?.parents.map((parent) => parent.controllerName)).toEqual([ENVOY]);
    expect(routeStatusFor(read!, read!.parentRefs[0]!)).toEqual({ kind: 'live' });
    expect((await gateway.readGateway('edge', 'shared'))?.listeners.map((listener) => listener.attachedRoutes)).toEqual([1, 0]);

    expect(await gateway.createHttpRoute(manifest)).toEqual({ kind: 'exists' });
    expect(await gateway.readHttpRoute('team-a', 'missing.example.com')).toBeUndefined();
  });

  it('sees the refusal the domain predicted for a namespace the listener does not select', async () => {
    const request = parseExposeRequest('api.example.com team-c/orders:80');
    const shared = (await gateway.readGateway('edge', 'shared'))!;
    const labels = (await gateway.readNamespaceLabels('team-c'))!;
    const [predicted] = listenerAdmission(shared, {
      routeNamespace: 'team-c',
      namespaceLabels: labels,
      host: request.host,
      sectionName: 'https',
    });
    expect(predicted).toMatchObject({ admitted: false, rule: 'namespace' });

    await gateway.createHttpRoute(buildManagedHttpRoute(request, SHARED, 80, APPROVAL));
    await controller.settled();
    const route = (await gateway.readHttpRoute('team-c', 'api.example.com'))!;
    expect(routeStatusFor(route, route.parentRefs[0]!)).toEqual({
      kind: 'refused',
      condition: 'Accepted',
      reason: 'NotAllowedByListeners',
      message: 'No listeners included by this parent ref allowed this attachment.',
    });
  });

  it('lists every HTTPRoute and GRPCRoute in pages, for the host check', async () => {
    for (let index = 0; index < 501; index += 1) {
      kube.store.upsert({
        apiVersion: V1,
        kind: 'HTTPRoute',
        metadata: { namespace: 'team-a', name: `host-${index}.example.com` },
        spec: { parentRefs: [{ name: 'shared', namespace: 'edge' }], hostnames: [`host-${index}.example.com`] },
      });
    }
    kube.store.upsert({
      apiVersion: V1,
      kind: 'GRPCRoute',
      metadata: { namespace: 'team-a', name: 'rpc' },
      spec: { parentRefs: [{ name: 'shared', namespace: 'edge' }], hostnames: ['*.example.com'] },
    });
    const routes = await gateway.listRoutes();
    expect(routes).toHaveLength(502);
    expect(routes.filter((route) => route.kind === 'GRPCRoute').map((route) => route.name)).toEqual(['rpc']);
    const lists = kube.requests.filter((request) => request.verb === 'list');
    expect(
      lists.map((request) => `${request.resource} ${request.query['limit']} ${request.query['continue'] === undefined ? '' : 'continue'}`),
    ).toEqual(['httproutes 500 ', 'httproutes 500 continue', 'grpcroutes 500 ']);
    expect(routesClaimingHost(routes, SHARED, 'host-7.example.com').map((route) => `${route.kind} ${route.name}`)).toEqual([
      'HTTPRoute host-7.example.com',
      'GRPCRoute rpc',
    ]);
  });

  it('lists no GRPCRoutes where the cluster serves none, but reports a refusal', async () => {
    kube.store.upsert({
      apiVersion: V1,
      kind: 'HTTPRoute',
      metadata: { namespace: 'team-a', name: 'api.example.com' },
      spec: { parentRefs: [{ name: 'shared', namespace: 'edge' }] },
    });
    const remove = kube.fail((request) => (request.resource === 'grpcroutes' ? { status: 404, reason: 'NotFound' } : undefined));
    expect((await gateway.listRoutes()).map((route) => `${route.kind} ${route.name}`)).toEqual(['HTTPRoute api.example.com']);
    remove();
    kube.fail((request) => (request.resource === 'httproutes' ? { status: 403, reason: 'Forbidden' } : undefined));
    await expect(gateway.listRoutes()).rejects.toMatchObject({ code: ErrorCode.KubeForbidden });
  });

  it('deletes only the route it read (uid and resourceVersion), and says gone when it is', async () => {
    const created = await gateway.createHttpRoute(
      buildManagedHttpRoute(parseExposeRequest('api.example.com team-a/orders:80'), SHARED, 80, APPROVAL),
    );
    const route = created.kind === 'created' ? created.route : undefined;
    await controller.settled();
    // The controller's status write moved the resourceVersion: the one from the create is stale.
    const stale = gateway.deleteHttpRoute('team-a', 'api.example.com', { uid: route!.uid!, resourceVersion: route!.resourceVersion! });
    await expect(stale).rejects.toBeInstanceOf(UserFacingError);
    await expect(stale).rejects.toMatchObject({ code: ErrorCode.Conflict });
    const current = (await gateway.readHttpRoute('team-a', 'api.example.com'))!;
    expect(
      await gateway.deleteHttpRoute('team-a', 'api.example.com', { uid: current.uid!, resourceVersion: current.resourceVersion! }),
    ).toBe('deleted');
    expect(
      await gateway.deleteHttpRoute('team-a', 'api.example.com', { uid: current.uid!, resourceVersion: current.resourceVersion! }),
    ).toBe('gone');
  });

  it('passes on the API server’s words when it refuses a route', async () => {
    const manifest = buildManagedHttpRoute(parseExposeRequest('api.example.com team-a/orders:80'), SHARED, 0, APPROVAL);
    const attempt = gateway.createHttpRoute(manifest);
    await expect(attempt).rejects.toMatchObject({ code: ErrorCode.CheckFailed });
    await expect(attempt).rejects.toThrow(
      'The cluster refused the HTTPRoute team-a/api.example.com: HTTPRoute "api.example.com" is invalid: spec.rules[0].backendRefs[0].port: Invalid value: 0',
    );
  });

  it('reads a namespace’s labels', async () => {
    expect(await gateway.readNamespaceLabels('team-a')).toEqual(EXPOSABLE);
    expect(await gateway.readNamespaceLabels('edge')).toEqual({});
    expect(await gateway.readNamespaceLabels('missing')).toBeUndefined();
  });

  it('counts every call by operation and outcome', async () => {
    await gateway.readGateway('edge', 'shared');
    await gateway.readHttpRoute('team-a', 'missing');
    await gateway.listRoutes();
    const counted = await metrics.registry.getSingleMetricAsString('nlb_bot_kubernetes_calls_total');
    for (const operation of [
      'readNamespacedGateway',
      'readNamespacedHTTPRoute',
      'listHTTPRouteForAllNamespaces',
      'listGRPCRouteForAllNamespaces',
    ]) {
      expect(counted).toContain(`operation="${operation}"`);
    }
  });
});
