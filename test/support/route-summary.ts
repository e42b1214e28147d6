import type { ParentRef, RouteParentStatus, RouteSummary } from '../../src/domain/http-route.js';
import type { KubeCondition } from '../../src/domain/kube-condition.js';

export const ENVOY = 'gateway.envoyproxy.io/gatewayclass-controller';

/** The parentRef of the shared Gateway edge/shared, defaults applied. */
export function sharedGateway(sectionName?: string): ParentRef {
  return { group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'edge', name: 'shared', sectionName, port: undefined };
}

export function condition(
  type: string,
  status: KubeCondition['status'],
  reason: string,
  observedGeneration = 1,
  message = '',
): KubeCondition {
  return { type, status, reason, message, observedGeneration, lastTransitionTime: new Date('2026-05-01T00:00:00Z') };
}

export function parentStatus(parentRef: ParentRef, conditions: KubeCondition[]): RouteParentStatus {
  return { parentRef, controllerName: ENVOY, conditions };
}

/** An HTTPRoute as the port reads it: team-a/<name>, attached to edge/shared unless said otherwise. */
export function routeSummary(name: string, overrides: Partial<RouteSummary> = {}): RouteSummary {
  return {
    kind: 'HTTPRoute',
    namespace: 'team-a',
    name,
    labels: {},
    annotations: {},
    uid: `uid-${name}`,
    resourceVersion: '1',
    generation: 1,
    creationTimestamp: new Date('2026-05-01T00:00:00Z'),
    parentRefs: [sharedGateway()],
    hostnames: [name],
    rules: [{ matches: [{ type: 'PathPrefix', value: '/' }], backendRefs: [] }],
    parents: [],
    ...overrides,
  };
}
