import { describe, expect, it } from '@jest/globals';
import { type GatewayListener, type GatewaySummary, isProgrammed, listenerAdmission } from '../../src/domain/gateway.js';
import type { KubeCondition } from '../../src/domain/kube-condition.js';

const EXPOSABLE = { 'nlb-ingress-bot/exposable': 'true' };

function listener(name: string, overrides: Partial<GatewayListener> = {}): GatewayListener {
  return {
    name,
    port: 443,
    protocol: 'HTTP',
    hostname: undefined,
    allowedRoutes: { from: 'Selector', selector: { matchLabels: EXPOSABLE }, kinds: undefined },
    attachedRoutes: 0,
    conditions: [],
    ...overrides,
  };
}

function gateway(listeners: GatewayListener[], conditions: KubeCondition[] = [], generation = 2): GatewaySummary {
  return { namespace: 'edge', name: 'shared', gatewayClassName: 'eg', generation, listeners, conditions, addresses: [] };
}

const candidate = { routeNamespace: 'team-a', namespaceLabels: EXPOSABLE, host: 'api.example.com' };

describe('which listeners admit the bot’s HTTPRoute', () => {
  it('admits a route from a labelled namespace on the shared HTTPS listener', () => {
    expect(listenerAdmission(gateway([listener('https')]), candidate)).toEqual([{ listener: 'https', admitted: true }]);
  });

  it('answers for every listener, or for the one sectionName names', () => {
    const shared = gateway([
      listener('https'),
      listener('http', { port: 80, allowedRoutes: { from: 'Same', selector: undefined, kinds: undefined } }),
    ]);
    expect(listenerAdmission(shared, candidate).map((verdict) => [verdict.listener, verdict.admitted])).toEqual([
      ['https', true],
      ['http', false],
    ]);
    expect(listenerAdmission(shared, { ...candidate, sectionName: 'https' })).toEqual([{ listener: 'https', admitted: true }]);
  });

  it.each([
    [
      'a namespace without the label (Selector)',
      listener('https'),
      { namespaceLabels: { team: 'a' } },
      'namespace',
      'Listener "https" (HTTP, port 443) of the Gateway edge/shared admits routes only from namespaces labelled ' +
        'nlb-ingress-bot/exposable=true (allowedRoutes.namespaces.from: Selector); the namespace team-a is not.',
    ],
    [
      'another namespace than the Gateway’s (Same)',
      listener('https', { allowedRoutes: { from: 'Same', selector: undefined, kinds: undefined } }),
      {},
      'namespace',
      'Listener "https" (HTTP, port 443) of the Gateway edge/shared admits routes only from its own namespace edge ' +
        '(allowedRoutes.namespaces.from: Same), not from team-a.',
    ],
    [
      'a Selector listener without a selector',
      listener('https', { allowedRoutes: { from: 'Selector', selector: undefined, kinds: undefined } }),
      {},
      'namespace',
      'without a selector, so it admits no namespace.',
    ],
    [
      'a host outside the listener’s hostname',
      listener('https', { hostname: '*.partners.example.com' }),
      {},
      'hostname',
      'Listener "https" (HTTP, port 443) of the Gateway edge/shared serves only *.partners.example.com (its hostname), ' +
        'which does not cover api.example.com.',
    ],
    [
      'a TCP listener',
      listener('postgres', { protocol: 'TCP', port: 5432 }),
      {},
      'protocol',
      'Listener "postgres" (TCP, port 5432) of the Gateway edge/shared takes no HTTPRoutes: its protocol is TCP, ' +
        'and HTTPRoutes need HTTP or HTTPS.',
    ],
    [
      'a listener that takes only GRPCRoutes',
      listener('grpc', {
        allowedRoutes: { from: 'All', selector: undefined, kinds: [{ group: 'gateway.networking.k8s.io', kind: 'GRPCRoute' }] },
      }),
      {},
      'kind',
      'Listener "grpc" (HTTP, port 443) of the Gateway edge/shared admits only GRPCRoute (allowedRoutes.kinds), not HTTPRoute.',
    ],
    [
      'a sectionName that names no listener',
      listener('https'),
      { sectionName: 'web' },
      'section',
      'The Gateway edge/shared has no listener named "web" (its listeners: https).',
    ],
  ])('refuses %s, naming the listener and its rule', (_what, only, change, rule, reason) => {
    const [verdict, ...others] = listenerAdmission(gateway([only]), { ...candidate, ...change });
    expect(others).toEqual([]);
    expect(verdict).toMatchObject({ admitted: false, rule });
    expect(verdict?.admitted === false && verdict.reason).toContain(reason);
  });

  it.each([
    ['All, from any namespace', listener('https', { allowedRoutes: { from: 'All', selector: undefined, kinds: undefined } }), {}],
    [
      'Same, from the Gateway’s namespace',
      listener('https', { allowedRoutes: { from: 'Same', selector: undefined, kinds: undefined } }),
      { routeNamespace: 'edge' },
    ],
    [
      'a matchExpressions selector',
      listener('https', {
        allowedRoutes: {
          from: 'Selector',
          selector: { matchExpressions: [{ key: 'team', operator: 'In', values: ['a', 'b'] }] },
          kinds: undefined,
        },
      }),
      { namespaceLabels: { team: 'b' } },
    ],
    ['a wildcard hostname more than one label up', listener('https', { hostname: '*.example.com' }), { host: 'api.eu.example.com' }],
    ['an exact listener hostname', listener('https', { hostname: 'api.example.com' }), {}],
    ['an HTTPS listener', listener('https', { protocol: 'HTTPS' }), {}],
    [
      'HTTPRoute listed in allowedRoutes.kinds',
      listener('https', {
        allowedRoutes: { from: 'All', selector: undefined, kinds: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }] },
      }),
      {},
    ],
  ])('admits by %s', (_what, only, change) => {
    expect(listenerAdmission(gateway([only]), { ...candidate, ...change })).toEqual([{ listener: 'https', admitted: true }]);
  });

  it('checks a GRPCRoute against the kinds too', () => {
    const grpcOnly = listener('grpc', {
      allowedRoutes: { from: 'All', selector: undefined, kinds: [{ group: 'gateway.networking.k8s.io', kind: 'GRPCRoute' }] },
    });
    expect(listenerAdmission(gateway([grpcOnly]), { ...candidate, routeKind: 'GRPCRoute' })).toEqual([
      { listener: 'grpc', admitted: true },
    ]);
  });
});

describe('whether the Gateway is programmed', () => {
  const programmed = (
    status: KubeCondition['status'],
    observedGeneration: number | undefined,
    reason = 'Programmed',
    message = '',
  ): KubeCondition => ({
    type: 'Programmed',
    status,
    reason,
    message,
    observedGeneration,
    lastTransitionTime: new Date('2026-05-01T00:00:00Z'),
  });

  it('is programmed when Programmed is True for the current generation', () => {
    expect(isProgrammed(gateway([listener('https')], [programmed('True', 2)]))).toEqual({ programmed: true });
  });

  it('is pending when the controller reported on an older generation', () => {
    const verdict = isProgrammed(gateway([listener('https')], [programmed('True', 1)]));
    expect(verdict).toEqual({
      programmed: false,
      reason: 'Pending',
      message:
        'The Gateway edge/shared reports on generation 1 but is at generation 2: its controller has not processed the latest change yet.',
    });
  });

  it('is pending when no controller wrote a Programmed condition, and says what to check', () => {
    const verdict = isProgrammed(gateway([listener('https')]));
    expect(verdict).toMatchObject({ programmed: false, reason: 'Pending' });
    expect(verdict.programmed === false && verdict.message).toContain(
      'Check that its GatewayClass eg is accepted and its controller runs.',
    );
  });

  it('passes on the controller’s reason and message when Programmed is False', () => {
    const verdict = isProgrammed(
      gateway([listener('https')], [programmed('False', 2, 'AddressNotAssigned', 'No addresses have been assigned to the Gateway')]),
    );
    expect(verdict).toEqual({
      programmed: false,
      reason: 'AddressNotAssigned',
      message: 'The Gateway edge/shared is not programmed (AddressNotAssigned): No addresses have been assigned to the Gateway',
    });
  });
});
