import {
  type GatewayClassSummary,
  type GatewayListener,
  type GatewaySummary,
  RouteKind,
  RouteNamespacesFrom,
} from '../../domain/gateway.js';
import {
  backendRefWithDefaults,
  parentRefWithDefaults,
  pathMatchesWithDefaults,
  type RouteParentStatus,
  type RouteSummary,
  type WrittenParentRef,
} from '../../domain/http-route.js';
import type { KubeCondition } from '../../domain/kube-condition.js';
import type { LabelSelector } from '../../domain/label-selector.js';

/**
 * Gateway API objects as CustomObjectsApi returns them (plain JSON, no model classes) turned into the
 * domain's summaries. Nothing is trusted to have a shape: a field of the wrong type reads as absent.
 */

type Json = Readonly<Record<string, unknown>>;

export function toGatewaySummary(raw: unknown): GatewaySummary {
  const gateway = object(raw);
  const metadata = object(gateway['metadata']);
  const spec = object(gateway['spec']);
  const status = object(gateway['status']);
  const listenerStatus = objects(status['listeners']);
  return {
    namespace: text(metadata['namespace']) ?? '',
    name: text(metadata['name']) ?? '',
    gatewayClassName: text(spec['gatewayClassName']) ?? '',
    generation: count(metadata['generation']),
    listeners: objects(spec['listeners']).map((listener): GatewayListener => {
      const name = text(listener['name']) ?? '';
      const allowedRoutes = object(listener['allowedRoutes']);
      // Destructured: the image test's import scanner would read the bracketed key "from" quoted in single quotes as an import.
      const { from, selector } = object(allowedRoutes['namespaces']);
      const reported = listenerStatus.find((entry) => entry['name'] === name);
      const kinds = objects(allowedRoutes['kinds']).map((kind) => ({
        group: text(kind['group']) ?? 'gateway.networking.k8s.io',
        kind: text(kind['kind']) ?? '',
      }));
      return {
        name,
        port: count(listener['port']) ?? 0,
        protocol: text(listener['protocol']) ?? '',
        hostname: text(listener['hostname']),
        allowedRoutes: {
          from: namespacesFrom(from),
          selector: selector === undefined ? undefined : labelSelector(selector),
          kinds: kinds.length === 0 ? undefined : kinds,
        },
        attachedRoutes: reported === undefined ? undefined : count(reported['attachedRoutes']),
        conditions: conditions(reported?.['conditions']),
      };
    }),
    conditions: conditions(status['conditions']),
    addresses: objects(status['addresses']).map((address) => ({
      type: text(address['type']) ?? 'IPAddress',
      value: text(address['value']) ?? '',
    })),
  };
}

export function toGatewayClassSummary(raw: unknown): GatewayClassSummary {
  const gatewayClass = object(raw);
  const metadata = object(gatewayClass['metadata']);
  return {
    name: text(metadata['name']) ?? '',
    controllerName: text(object(gatewayClass['spec'])['controllerName']) ?? '',
    generation: count(metadata['generation']),
    conditions: conditions(object(gatewayClass['status'])['conditions']),
  };
}

export function toRouteSummary(raw: unknown): RouteSummary {
  const route = object(raw);
  const metadata = object(route['metadata']);
  const spec = object(route['spec']);
  const namespace = text(metadata['namespace']) ?? '';
  const kind = route['kind'] === RouteKind.GRPCRoute ? RouteKind.GRPCRoute : RouteKind.HTTPRoute;
  return {
    kind,
    namespace,
    name: text(metadata['name']) ?? '',
    labels: strings(metadata['labels']),
    annotations: strings(metadata['annotations']),
    uid: text(metadata['uid']),
    resourceVersion: text(metadata['resourceVersion']),
    generation: count(metadata['generation']),
    creationTimestamp: time(metadata['creationTimestamp']),
    parentRefs: objects(spec['parentRefs']).map((parentRef) => parentRefWithDefaults(writtenParentRef(parentRef), namespace)),
    hostnames: (Array.isArray(spec['hostnames']) ? spec['hostnames'] : []).flatMap((hostname) =>
      typeof hostname === 'string' ? [hostname.toLowerCase()] : [],
    ),
    rules: objects(spec['rules']).map((rule) => ({
      matches: kind === RouteKind.GRPCRoute ? [] : pathMatchesWithDefaults(objects(rule['matches']).map(pathMatch)),
      backendRefs: objects(rule['backendRefs']).map((backendRef) =>
        backendRefWithDefaults(
          {
            group: text(backendRef['group']),
            kind: text(backendRef['kind']),
            namespace: text(backendRef['namespace']),
            name: text(backendRef['name']) ?? '',
            port: count(backendRef['port']),
            weight: count(backendRef['weight']),
          },
          namespace,
        ),
      ),
    })),
    parents: objects(object(route['status'])['parents']).map(
      (parent): RouteParentStatus => ({
        parentRef: parentRefWithDefaults(writtenParentRef(object(parent['parentRef'])), namespace),
        controllerName: text(parent['controllerName']) ?? '',
        conditions: conditions(parent['conditions']),
      }),
    ),
  };
}

function pathMatch(match: Json): { path?: { type?: string | undefined; value?: string | undefined } } {
  if (match['path'] === undefined) return {};
  const path = object(match['path']);
  return { path: { type: text(path['type']), value: text(path['value']) } };
}

function writtenParentRef(parentRef: Json): WrittenParentRef {
  return {
    group: text(parentRef['group']),
    kind: text(parentRef['kind']),
    namespace: text(parentRef['namespace']),
    name: text(parentRef['name']) ?? '',
    sectionName: text(parentRef['sectionName']),
    port: count(parentRef['port']),
  };
}

function conditions(raw: unknown): KubeCondition[] {
  return objects(raw).map((condition) => {
    const status = condition['status'];
    return {
      type: text(condition['type']) ?? '',
      status: status === 'True' || status === 'False' ? status : 'Unknown',
      reason: text(condition['reason']) ?? '',
      message: text(condition['message']) ?? '',
      observedGeneration: count(condition['observedGeneration']),
      lastTransitionTime: time(condition['lastTransitionTime']),
    };
  });
}

function namespacesFrom(raw: unknown): RouteNamespacesFrom {
  // An unknown value stays as written, so the admission check can say it admits nothing; absent is the API's default.
  if (raw === undefined) return RouteNamespacesFrom.Same;
  return (typeof raw === 'string' ? raw : String(raw)) as RouteNamespacesFrom;
}

function labelSelector(raw: unknown): LabelSelector {
  const selector = object(raw);
  return {
    matchLabels: strings(selector['matchLabels']),
    matchExpressions: objects(selector['matchExpressions']).map((requirement) => ({
      key: text(requirement['key']) ?? '',
      operator: text(requirement['operator']) ?? '',
      values: Array.isArray(requirement['values']) ? requirement['values'].filter((value) => typeof value === 'string') : [],
    })),
  };
}

function object(raw: unknown): Json {
  return raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Json) : {};
}

function objects(raw: unknown): Json[] {
  return Array.isArray(raw) ? raw.filter((item) => item !== null && typeof item === 'object' && !Array.isArray(item)) : [];
}

function strings(raw: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries(object(raw)).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

function text(raw: unknown): string | undefined {
  return typeof raw === 'string' ? raw : undefined;
}

function count(raw: unknown): number | undefined {
  return typeof raw === 'number' && Number.isFinite(raw) ? raw : undefined;
}

function time(raw: unknown): Date | undefined {
  if (raw instanceof Date) return raw;
  if (typeof raw !== 'string') return undefined;
  const parsed = new Date(raw);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed;
}
