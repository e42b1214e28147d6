import { describe, expect, it } from '@jest/globals';
import { toGatewaySummary, toRouteSummary } from '../../src/ports/kube/gateway-api-objects.js';

describe('reading Gateway API objects from plain JSON', () => {
  it('applies the API’s defaults to a route written without them, and lower-cases hostnames', () => {
    const route = toRouteSummary({
      kind: 'HTTPRoute',
      metadata: { namespace: 'team-a', name: 'r', generation: 2, creationTimestamp: '2026-05-01T00:00:00Z' },
      spec: { parentRefs: [{ name: 'shared' }], hostnames: ['API.example.com'], rules: [{ backendRefs: [{ name: 'orders', port: 80 }] }] },
    });
    expect(route.parentRefs).toEqual([
      { group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'team-a', name: 'shared', sectionName: undefined, port: undefined },
    ]);
    expect(route.hostnames).toEqual(['api.example.com']);
    expect(route.rules).toEqual([
      {
        matches: [{ type: 'PathPrefix', value: '/' }],
        backendRefs: [{ group: '', kind: 'Service', namespace: 'team-a', name: 'orders', port: 80, weight: 1 }],
      },
    ]);
    expect(route.creationTimestamp).toEqual(new Date('2026-05-01T00:00:00Z'));
  });

  it('gives a GRPCRoute no path matches (it matches methods)', () => {
    const route = toRouteSummary({
      kind: 'GRPCRoute',
      metadata: { namespace: 'team-a', name: 'rpc' },
      spec: { rules: [{ matches: [{ method: { service: 'orders.v1.Orders' } }], backendRefs: [{ name: 'orders', port: 9000 }] }] },
    });
    expect(route.kind).toBe('GRPCRoute');
    expect(route.rules[0]?.matches).toEqual([]);
  });

  it('reads fields of the wrong type as absent, and a condition status it does not know as Unknown', () => {
    const route = toRouteSummary({
      kind: 'HTTPRoute',
      metadata: { namespace: 'team-a', name: 'odd', labels: { ok: 'yes', bad: 1 }, generation: 'two', creationTimestamp: 'yesterday' },
      spec: { hostnames: 'api.example.com', parentRefs: [null, { name: 'shared', port: '443' }] },
      status: {
        parents: [
          {
            parentRef: { name: 'shared' },
            controllerName: 'example.com/x',
            conditions: [{ type: 'Accepted', status: 'Maybe', observedGeneration: 1, lastTransitionTime: 'later' }],
          },
        ],
      },
    });
    expect(route.labels).toEqual({ ok: 'yes' });
    expect(route.generation).toBeUndefined();
    expect(route.creationTimestamp).toBeUndefined();
    expect(route.hostnames).toEqual([]);
    expect(route.parentRefs.map((parentRef) => [parentRef.name, parentRef.port])).toEqual([['shared', undefined]]);
    expect(route.parents[0]?.conditions[0]).toEqual({
      type: 'Accepted',
      status: 'Unknown',
      reason: '',
      message: '',
      observedGeneration: 1,
      lastTransitionTime: undefined,
    });
  });

  it('reads a listener without allowedRoutes as the API’s default (Same), and its status by name', () => {
    const gateway = toGatewaySummary({
      metadata: { namespace: 'edge', name: 'shared', generation: 3 },
      spec: { gatewayClassName: 'eg', listeners: [{ name: 'https', port: 443, protocol: 'HTTP', hostname: '*.example.com' }] },
      status: {
        listeners: [
          { name: 'other', attachedRoutes: 9 },
          { name: 'https', attachedRoutes: 4, conditions: [] },
        ],
      },
    });
    expect(gateway.listeners).toEqual([
      {
        name: 'https',
        port: 443,
        protocol: 'HTTP',
        hostname: '*.example.com',
        allowedRoutes: { from: 'Same', selector: undefined, kinds: undefined },
        attachedRoutes: 4,
        conditions: [],
      },
    ]);
    expect(gateway.addresses).toEqual([]);
  });
});
