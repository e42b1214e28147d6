import { describe, expect, it } from '@jest/globals';
import {
  backendRefWithDefaults,
  isAttachedTo,
  parentRefWithDefaults,
  pathMatchesWithDefaults,
  routesClaimingHost,
} from '../../src/domain/http-route.js';
import { condition, parentStatus, routeSummary, sharedGateway } from '../support/route-summary.js';

const SHARED = { namespace: 'edge', name: 'shared' };

describe('reading a route with the API’s defaults', () => {
  it('defaults a parentRef to a Gateway in the route’s namespace', () => {
    expect(parentRefWithDefaults({ name: 'shared' }, 'team-a')).toEqual({
      group: 'gateway.networking.k8s.io',
      kind: 'Gateway',
      namespace: 'team-a',
      name: 'shared',
      sectionName: undefined,
      port: undefined,
    });
    expect(parentRefWithDefaults({ name: 'shared', namespace: 'edge', sectionName: 'https', port: 443 }, 'team-a')).toEqual({
      ...sharedGateway('https'),
      port: 443,
    });
  });

  it('defaults a backendRef to a Service in the route’s namespace with weight 1', () => {
    expect(backendRefWithDefaults({ name: 'orders', port: 80 }, 'team-a')).toEqual({
      group: '',
      kind: 'Service',
      namespace: 'team-a',
      name: 'orders',
      port: 80,
      weight: 1,
    });
  });

  it('defaults a rule without matches, and a match without a path, to PathPrefix /', () => {
    expect(pathMatchesWithDefaults(undefined)).toEqual([{ type: 'PathPrefix', value: '/' }]);
    expect(pathMatchesWithDefaults([])).toEqual([{ type: 'PathPrefix', value: '/' }]);
    expect(pathMatchesWithDefaults([{}, { path: { type: 'Exact', value: '/health' } }, { path: { value: '/v1' } }])).toEqual([
      { type: 'PathPrefix', value: '/' },
      { type: 'Exact', value: '/health' },
      { type: 'PathPrefix', value: '/v1' },
    ]);
  });
});

describe('whether a route is attached to the shared Gateway', () => {
  it.each([
    ['a parentRef to the whole Gateway', routeSummary('a', { parentRefs: [sharedGateway()] }), SHARED, true],
    ['a parentRef to the whole Gateway, asked about one listener', routeSummary('a'), { ...SHARED, sectionName: 'https' }, true],
    [
      'a parentRef to that listener',
      routeSummary('a', { parentRefs: [sharedGateway('https')] }),
      { ...SHARED, sectionName: 'https' },
      true,
    ],
    [
      'a parentRef to another listener',
      routeSummary('a', { parentRefs: [sharedGateway('http')] }),
      { ...SHARED, sectionName: 'https' },
      false,
    ],
    ['a parentRef to a listener, asked about the Gateway', routeSummary('a', { parentRefs: [sharedGateway('http')] }), SHARED, true],
    [
      'a Gateway of the same name elsewhere',
      routeSummary('a', { parentRefs: [{ ...sharedGateway(), namespace: 'team-a' }] }),
      SHARED,
      false,
    ],
    ['another Gateway', routeSummary('a', { parentRefs: [{ ...sharedGateway(), name: 'internal' }] }), SHARED, false],
    ['a Service parent (mesh)', routeSummary('a', { parentRefs: [{ ...sharedGateway(), group: '', kind: 'Service' }] }), SHARED, false],
    ['no parentRefs', routeSummary('a', { parentRefs: [] }), SHARED, false],
    [
      'a parentRef the controller refused for the current generation',
      routeSummary('a', { parents: [parentStatus(sharedGateway(), [condition('Accepted', 'False', 'NotAllowedByListeners')])] }),
      SHARED,
      false,
    ],
    [
      'a refusal of an older generation (the route changed since)',
      routeSummary('a', {
        generation: 2,
        parents: [parentStatus(sharedGateway(), [condition('Accepted', 'False', 'NotAllowedByListeners', 1)])],
      }),
      SHARED,
      true,
    ],
    [
      'an accepted route whose backend is missing (it still takes the host’s traffic)',
      routeSummary('a', {
        parents: [
          parentStatus(sharedGateway(), [condition('Accepted', 'True', 'Accepted'), condition('ResolvedRefs', 'False', 'BackendNotFound')]),
        ],
      }),
      SHARED,
      true,
    ],
    [
      'one refused and one pending parentRef',
      routeSummary('a', {
        parentRefs: [sharedGateway('https'), sharedGateway('http')],
        parents: [parentStatus(sharedGateway('https'), [condition('Accepted', 'False', 'NoMatchingListenerHostname')])],
      }),
      SHARED,
      true,
    ],
  ])('%s: %s', (_what, route, gateway, expected) => {
    expect(isAttachedTo(route, gateway)).toBe(expected);
  });
});

describe('which routes claim a host on the shared Gateway', () => {
  const names = (routes: ReturnType<typeof routesClaimingHost>) => routes.map((route) => `${route.namespace}/${route.name}`);

  it('finds the route for the exact host, at any path, and of either kind', () => {
    const routes = [
      routeSummary('api.example.com', { rules: [{ matches: [{ type: 'PathPrefix', value: '/v2' }], backendRefs: [] }] }),
      routeSummary('grpc', { kind: 'GRPCRoute', hostnames: ['api.example.com'], rules: [{ matches: [], backendRefs: [] }] }),
      routeSummary('www.example.com'),
    ];
    expect(names(routesClaimingHost(routes, SHARED, 'api.example.com'))).toEqual(['team-a/api.example.com', 'team-a/grpc']);
  });

  it('finds wildcard routes covering the host, one label or more below', () => {
    const routes = [
      routeSummary('wild', { hostnames: ['*.example.com'] }),
      routeSummary('wild-eu', { hostnames: ['*.eu.example.com'] }),
      routeSummary('other', { hostnames: ['*.example.net'] }),
    ];
    expect(names(routesClaimingHost(routes, SHARED, 'api.eu.example.com'))).toEqual(['team-a/wild', 'team-a/wild-eu']);
  });

  it('finds a route without hostnames, which serves every host its listener admits', () => {
    expect(names(routesClaimingHost([routeSummary('catch-all', { hostnames: [] })], SHARED, 'api.example.com'))).toEqual([
      'team-a/catch-all',
    ]);
  });

  it('leaves out routes on another listener, on another Gateway and refused routes', () => {
    const routes = [
      routeSummary('redirect', { namespace: 'edge', hostnames: [], parentRefs: [sharedGateway('http')] }),
      routeSummary('elsewhere', { hostnames: ['api.example.com'], parentRefs: [{ ...sharedGateway(), name: 'internal' }] }),
      routeSummary('refused', {
        hostnames: ['api.example.com'],
        parents: [parentStatus(sharedGateway(), [condition('Accepted', 'False', 'NotAllowedByListeners')])],
      }),
    ];
    expect(routesClaimingHost(routes, { ...SHARED, sectionName: 'https' }, 'api.example.com')).toEqual([]);
  });

  it('lists the oldest first, then by namespace and name, as the data plane prefers them', () => {
    const at = (iso: string) => new Date(iso);
    const routes = [
      routeSummary('b', { hostnames: ['api.example.com'], creationTimestamp: at('2026-05-02T00:00:00Z') }),
      routeSummary('c', { hostnames: ['api.example.com'], creationTimestamp: at('2026-05-01T00:00:00Z'), namespace: 'team-b' }),
      routeSummary('a', { hostnames: ['api.example.com'], creationTimestamp: at('2026-05-01T00:00:00Z'), namespace: 'team-b' }),
      routeSummary('z', { hostnames: ['api.example.com'], creationTimestamp: undefined }),
    ];
    expect(names(routesClaimingHost(routes, SHARED, 'api.example.com'))).toEqual(['team-b/a', 'team-b/c', 'team-a/b', 'team-a/z']);
  });
});
