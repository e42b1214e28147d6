import { gatewayHostnameMatches } from './gateway-hostname.js';
import { currentCondition, findCondition, type KubeCondition } from './kube-condition.js';
import { describeLabelSelector, type LabelSelector, labelSelectorMatches } from './label-selector.js';

export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';

/** Where a listener takes routes from (allowedRoutes.namespaces.from); the API's default is Same. */
export const RouteNamespacesFrom = { Same: 'Same', All: 'All', Selector: 'Selector' } as const;
export type RouteNamespacesFrom = (typeof RouteNamespacesFrom)[keyof typeof RouteNamespacesFrom];

/** The route kinds the bot reads; both attach to HTTP and HTTPS listeners. */
export const RouteKind = { HTTPRoute: 'HTTPRoute', GRPCRoute: 'GRPCRoute' } as const;
export type RouteKind = (typeof RouteKind)[keyof typeof RouteKind];

export interface RouteGroupKind {
  readonly group: string;
  readonly kind: string;
}

export interface GatewayListener {
  readonly name: string;
  readonly port: number;
  /** HTTP, HTTPS, TLS, TCP, UDP or an implementation's own. */
  readonly protocol: string;
  readonly hostname: string | undefined;
  readonly allowedRoutes: {
    readonly from: RouteNamespacesFrom;
    /** Only meaningful with from: Selector. */
    readonly selector: LabelSelector | undefined;
    /** allowedRoutes.kinds; undefined (or empty) means the kinds the protocol takes. */
    readonly kinds: readonly RouteGroupKind[] | undefined;
  };
  /** From status.listeners[]: routes Accepted on this listener; undefined until the controller reported it. */
  readonly attachedRoutes: number | undefined;
  readonly conditions: readonly KubeCondition[];
}

export interface GatewayAddress {
  /** Hostname (the NLB's DNS name), IPAddress or an implementation's own. */
  readonly type: string;
  readonly value: string;
}

/** A Gateway as the bot reads it: its listeners, and what its controller reports. */
export interface GatewaySummary {
  readonly namespace: string;
  readonly name: string;
  readonly gatewayClassName: string;
  readonly generation: number | undefined;
  readonly listeners: readonly GatewayListener[];
  readonly conditions: readonly KubeCondition[];
  readonly addresses: readonly GatewayAddress[];
}

export interface GatewayClassSummary {
  readonly name: string;
  /** The controller that implements Gateways of this class, e.g. gateway.envoyproxy.io/gatewayclass-controller. */
  readonly controllerName: string;
  readonly generation: number | undefined;
  readonly conditions: readonly KubeCondition[];
}

/** The shared Gateway a route attaches to, and optionally one of its listeners (parentRef.sectionName). */
export interface GatewayRef {
  readonly namespace: string;
  readonly name: string;
  readonly sectionName?: string;
}

/** Which of a listener's rules turned a route away. */
export const AdmissionRule = {
  Section: 'section',
  Protocol: 'protocol',
  Kind: 'kind',
  Namespace: 'namespace',
  Hostname: 'hostname',
} as const;
export type AdmissionRule = (typeof AdmissionRule)[keyof typeof AdmissionRule];

export type ListenerAdmission =
  | { readonly listener: string; readonly admitted: true }
  | { readonly listener: string; readonly admitted: false; readonly rule: AdmissionRule; readonly reason: string };

/** A route the bot would write: from which namespace (and its labels), for which host, on which listener. */
export interface RouteCandidate {
  readonly routeNamespace: string;
  readonly namespaceLabels: Readonly<Record<string, string>>;
  readonly host: string;
  /** parentRef.sectionName: one listener by name; all of them when absent. */
  readonly sectionName?: string;
  /** HTTPRoute unless said otherwise. */
  readonly routeKind?: RouteKind;
}

const ROUTE_PROTOCOLS: Readonly<Record<RouteKind, readonly string[]>> = {
  HTTPRoute: ['HTTP', 'HTTPS'],
  GRPCRoute: ['HTTP', 'HTTPS'],
};

/**
 * For every listener (or the one `sectionName` names), whether it would take the route, by the Gateway API's
 * attachment rules in the order a controller applies them: protocol, allowedRoutes.kinds,
 * allowedRoutes.namespaces, hostname. The route is attached when at least one listener admits it; a refused
 * listener comes with a sentence naming it and its rule. A sectionName that names no listener gives one
 * refusal with the rule `section` (the controller's NoMatchingParent).
 */
export function listenerAdmission(gateway: GatewaySummary, candidate: RouteCandidate): ListenerAdmission[] {
  const { sectionName } = candidate;
  const listeners = sectionName === undefined ? gateway.listeners : gateway.listeners.filter((listener) => listener.name === sectionName);
  if (sectionName !== undefined && listeners.length === 0) {
    const names = gateway.listeners.map((listener) => listener.name).join(', ') || 'none';
    return [
      {
        listener: sectionName,
        admitted: false,
        rule: AdmissionRule.Section,
        reason: `The Gateway ${gatewayLabel(gateway)} has no listener named "${sectionName}" (its listeners: ${names}).`,
      },
    ];
  }
  return listeners.map((listener) => admitOne(gateway, listener, candidate));
}

function admitOne(gateway: GatewaySummary, listener: GatewayListener, candidate: RouteCandidate): ListenerAdmission {
  const kind = candidate.routeKind ?? RouteKind.HTTPRoute;
  const refuse = (rule: AdmissionRule, why: string): ListenerAdmission => ({
    listener: listener.name,
    admitted: false,
    rule,
    reason: `Listener "${listener.name}" (${listener.protocol}, port ${listener.port}) of the Gateway ${gatewayLabel(gateway)} ${why}`,
  });
  const protocols = ROUTE_PROTOCOLS[kind];
  if (!protocols.includes(listener.protocol)) {
    return refuse(
      AdmissionRule.Protocol,
      `takes no ${kind}s: its protocol is ${listener.protocol}, and ${kind}s need ${protocols.join(' or ')}.`,
    );
  }
  const kinds = listener.allowedRoutes.kinds ?? [];
  if (kinds.length > 0 && !kinds.some((allowed) => allowed.group === GATEWAY_API_GROUP && allowed.kind === kind)) {
    return refuse(AdmissionRule.Kind, `admits only ${kinds.map((allowed) => allowed.kind).join(', ')} (allowedRoutes.kinds), not ${kind}.`);
  }
  const namespaceRefusal = namespacePolicyRefusal(gateway, listener, candidate);
  if (namespaceRefusal !== undefined) return refuse(AdmissionRule.Namespace, namespaceRefusal);
  if (listener.hostname !== undefined && !gatewayHostnameMatches(listener.hostname, candidate.host)) {
    return refuse(AdmissionRule.Hostname, `serves only ${listener.hostname} (its hostname), which does not cover ${candidate.host}.`);
  }
  return { listener: listener.name, admitted: true };
}

function namespacePolicyRefusal(gateway: GatewaySummary, listener: GatewayListener, candidate: RouteCandidate): string | undefined {
  const { from, selector } = listener.allowedRoutes;
  const namespace = candidate.routeNamespace;
  switch (from) {
    case RouteNamespacesFrom.All:
      return undefined;
    case RouteNamespacesFrom.Same:
      return namespace === gateway.namespace
        ? undefined
        : `admits routes only from its own namespace ${gateway.namespace} (allowedRoutes.namespaces.from: Same), not from ${namespace}.`;
    case RouteNamespacesFrom.Selector:
      if (selector === undefined) return 'has allowedRoutes.namespaces.from: Selector without a selector, so it admits no namespace.';
      return labelSelectorMatches(selector, candidate.namespaceLabels)
        ? undefined
        : `admits routes only from namespaces labelled ${describeLabelSelector(selector)} (allowedRoutes.namespaces.from: Selector); ` +
            `the namespace ${namespace} is not.`;
    default:
      return `has allowedRoutes.namespaces.from: ${String(from)}, which the bot does not know, so it counts as admitting nothing.`;
  }
}

export type GatewayProgramming =
  | { readonly programmed: true }
  | {
      readonly programmed: false;
      /** The controller's reason (AddressNotAssigned, Invalid, ...) or Pending when it has not reported on this generation. */
      readonly reason: string;
      /** A sentence for Slack. */
      readonly message: string;
    };

/**
 * Whether the Gateway's data plane is ready: Programmed True, written for the Gateway's current generation.
 * A condition for an older generation (or none at all) means its controller has not processed the latest
 * spec yet, or no controller takes this Gateway's class.
 */
export function isProgrammed(gateway: GatewaySummary): GatewayProgramming {
  const label = gatewayLabel(gateway);
  const condition = findCondition(gateway.conditions, 'Programmed');
  if (condition === undefined) {
    return {
      programmed: false,
      reason: 'Pending',
      message:
        `The Gateway ${label} has no Programmed condition yet: no controller has taken it up. ` +
        `Check that its GatewayClass ${gateway.gatewayClassName} is accepted and its controller runs.`,
    };
  }
  if (currentCondition(gateway.conditions, 'Programmed', gateway.generation) === undefined) {
    return {
      programmed: false,
      reason: 'Pending',
      message:
        `The Gateway ${label} reports on generation ${condition.observedGeneration ?? '(none)'} but is at generation ` +
        `${gateway.generation ?? '(unknown)'}: its controller has not processed the latest change yet.`,
    };
  }
  if (condition.status !== 'True') {
    const detail = condition.message === '' ? '' : `: ${condition.message}`;
    return {
      programmed: false,
      reason: condition.reason,
      message: `The Gateway ${label} is not programmed (${condition.reason})${detail}`,
    };
  }
  return { programmed: true };
}

function gatewayLabel(gateway: Pick<GatewaySummary, 'namespace' | 'name'>): string {
  return `${gateway.namespace}/${gateway.name}`;
}
