import { routeHostnamesFitListener } from '../../src/domain/gateway-hostname.js';
import { type LabelSelector, labelSelectorMatches } from '../../src/domain/label-selector.js';
import { GATEWAY_API_GROUP } from './gateway-api-schema.js';
import { sameJson } from './http-util.js';
import type { KubeObject, KubeStore } from './kube-api-server.js';
import { type StatusWriter, startStatusWriter } from './status-writer.js';

/**
 * A Gateway API implementation for the stand-in cluster, as far as status goes (what Envoy Gateway writes):
 * for the GatewayClasses whose spec.controllerName is `controllerName` it accepts the class, programs their
 * Gateways (conditions, the NLB's DNS name as address, listeners with attachedRoutes) and reports on every
 * HTTPRoute and GRPCRoute parentRef naming such a Gateway: Accepted (or NotAllowedByListeners,
 * NoMatchingListenerHostname, NoMatchingParent) and ResolvedRefs (or BackendNotFound, RefNotPermitted,
 * InvalidKind). A parentRef naming a Gateway that does not exist or is another controller's gets no entry,
 * as in a real cluster. Status is written through the store `delayMs` after a change, bumping resourceVersion
 * only; other controllers' entries and conditions are left as they are. Nothing routes traffic.
 */

export interface GatewayControllerOptions {
  /** GatewayClass spec.controllerName this controller implements, e.g. gateway.envoyproxy.io/gatewayclass-controller. */
  readonly controllerName: string;
  /** The NLB's DNS name, reported in Gateway status.addresses; when absent no address is assigned (Programmed False). */
  readonly address?: string;
  /** Milliseconds between a change and the status it causes (default 20). */
  readonly delayMs?: number;
  readonly now?: () => Date;
}

export type GatewayController = StatusWriter;

type Json = Record<string, unknown>;

interface Condition {
  type: string;
  status: 'True' | 'False';
  reason: string;
  message: string;
  observedGeneration: number;
  lastTransitionTime: string;
}

const V1 = `${GATEWAY_API_GROUP}/v1`;
const WATCHED = new Set(['GatewayClass', 'Gateway', 'HTTPRoute', 'GRPCRoute', 'ReferenceGrant', 'Service', 'Namespace']);
const ROUTE_KINDS = ['HTTPRoute', 'GRPCRoute'] as const;

/** The route kinds each listener protocol takes (core, and Envoy Gateway's). */
const PROTOCOL_KINDS: Readonly<Record<string, readonly string[]>> = {
  HTTP: ['HTTPRoute', 'GRPCRoute'],
  HTTPS: ['HTTPRoute', 'GRPCRoute'],
  TLS: ['TLSRoute'],
  TCP: ['TCPRoute'],
  UDP: ['UDPRoute'],
};

export function startGatewayController(store: KubeStore, options: GatewayControllerOptions): GatewayController {
  const now = options.now ?? (() => new Date());
  return startStatusWriter(store, {
    delayMs: options.delayMs ?? 20,
    watches: (change) => WATCHED.has(change.object.kind ?? ''),
    reconcile: () => new Reconciliation(store, options.controllerName, options.address, now()).run(),
  });
}

/** One pass over the cluster: what the status of every object this controller owns should be, written where it differs. */
class Reconciliation {
  private readonly time: string;
  /** Gateways of this controller by namespace/name, with their listeners' attached route counts. */
  private readonly gateways = new Map<string, { gateway: KubeObject; attached: Map<string, number> }>();

  constructor(
    private readonly store: KubeStore,
    private readonly controllerName: string,
    private readonly address: string | undefined,
    now: Date,
  ) {
    this.time = now.toISOString().replace(/\.\d+Z$/, 'Z');
  }

  run(): void {
    const classes = this.store
      .list(V1, 'GatewayClass')
      .filter((gatewayClass) => spec(gatewayClass)['controllerName'] === this.controllerName);
    for (const gatewayClass of classes) {
      this.writeStatus(gatewayClass, (status) => ({
        ...status,
        conditions: this.conditions(gatewayClass, status['conditions'], [['Accepted', 'True', 'Accepted', 'Valid GatewayClass']]),
      }));
    }
    const classNames = new Set(classes.map((gatewayClass) => gatewayClass.metadata.name));
    for (const gateway of this.store.list(V1, 'Gateway')) {
      if (!classNames.has(String(spec(gateway)['gatewayClassName']))) continue;
      this.gateways.set(`${gateway.metadata.namespace}/${gateway.metadata.name}`, { gateway, attached: new Map() });
    }
    for (const kind of ROUTE_KINDS) for (const route of this.store.list(V1, kind)) this.reconcileRoute(route);
    for (const { gateway, attached } of this.gateways.values()) this.reconcileGateway(gateway, attached);
  }

  private reconcileRoute(route: KubeObject): void {
    const routeNamespace = route.metadata.namespace ?? '';
    const ours: Json[] = [];
    const previous = asObjects(asObject(route['status'])?.['parents']);
    for (const parentRef of asObjects(spec(route)['parentRefs'])) {
      if ((parentRef['group'] ?? GATEWAY_API_GROUP) !== GATEWAY_API_GROUP || (parentRef['kind'] ?? 'Gateway') !== 'Gateway') continue;
      const found = this.gateways.get(`${parentRef['namespace'] ?? routeNamespace}/${String(parentRef['name'])}`);
      if (found === undefined) continue;
      const attachment = this.attach(route, parentRef, found.gateway);
      for (const listener of attachment.listeners) found.attached.set(listener, (found.attached.get(listener) ?? 0) + 1);
      const before = previous.find((entry) => entry['controllerName'] === this.controllerName && sameJson(entry['parentRef'], parentRef));
      ours.push({
        parentRef: structuredClone(parentRef),
        controllerName: this.controllerName,
        conditions: this.conditions(route, before?.['conditions'], [attachment.accepted, this.resolveRefs(route)]),
      });
    }
    const others = previous.filter((entry) => entry['controllerName'] !== this.controllerName);
    // A route that neither names this controller's Gateways nor carries its entries is none of its business.
    if (ours.length === 0 && others.length === previous.length) return;
    this.writeStatus(route, (status) => ({ ...status, parents: [...others, ...ours] }));
  }

  /** Which listeners the parentRef selects and admit the route: the Accepted condition, and the listeners it attaches to. */
  private attach(route: KubeObject, parentRef: Json, gateway: KubeObject): { accepted: ConditionSpec; listeners: string[] } {
    const sectionName = parentRef['sectionName'];
    const port = parentRef['port'];
    const selected = asObjects(spec(gateway)['listeners']).filter(
      (listener) => (sectionName === undefined || listener['name'] === sectionName) && (port === undefined || listener['port'] === port),
    );
    const gatewayName = `${gateway.metadata.namespace}/${gateway.metadata.name}`;
    if (selected.length === 0) {
      const wanted = [
        sectionName === undefined ? '' : `named "${String(sectionName)}"`,
        port === undefined ? '' : `on port ${String(port)}`,
      ];
      return {
        accepted: [
          'Accepted',
          'False',
          'NoMatchingParent',
          `No listener ${wanted.filter((part) => part !== '').join(' ')} on the Gateway ${gatewayName}.`,
        ],
        listeners: [],
      };
    }
    const allowed = selected.filter(
      (listener) => this.admitsKind(listener, route.kind ?? '') && this.admitsNamespace(listener, gateway, route),
    );
    if (allowed.length === 0) {
      return {
        accepted: ['Accepted', 'False', 'NotAllowedByListeners', 'No listeners included by this parent ref allowed this attachment.'],
        listeners: [],
      };
    }
    const hostnames = asStrings(spec(route)['hostnames']);
    const fitting = allowed.filter((listener) => routeHostnamesFitListener(optionalString(listener['hostname']), hostnames));
    if (fitting.length === 0) {
      return {
        accepted: [
          'Accepted',
          'False',
          'NoMatchingListenerHostname',
          `There were no hostname intersections between the ${route.kind} and this parent ref's Listener(s).`,
        ],
        listeners: [],
      };
    }
    return {
      accepted: ['Accepted', 'True', 'Accepted', 'Route is accepted'],
      listeners: fitting.map((listener) => String(listener['name'])),
    };
  }

  private admitsKind(listener: Json, kind: string): boolean {
    return supportedKinds(listener).kinds.includes(kind);
  }

  private admitsNamespace(listener: Json, gateway: KubeObject, route: KubeObject): boolean {
    const namespaces = asObject(asObject(listener['allowedRoutes'])?.['namespaces']);
    const from = namespaces?.['from'] ?? 'Same';
    if (from === 'All') return true;
    if (from === 'Same') return route.metadata.namespace === gateway.metadata.namespace;
    if (from !== 'Selector') return false;
    const selector = asObject(namespaces?.['selector']);
    if (selector === undefined) return false;
    const namespace = this.store.get('v1', 'Namespace', undefined, route.metadata.namespace ?? '');
    return labelSelectorMatches(selector as LabelSelector, namespace?.metadata.labels ?? {});
  }

  /** ResolvedRefs: every backendRef is a core Service that exists, with that port, and may be referenced. */
  private resolveRefs(route: KubeObject): ConditionSpec {
    const routeNamespace = route.metadata.namespace ?? '';
    const rules = asObjects(spec(route)['rules']);
    for (const [ruleIndex, rule] of rules.entries()) {
      for (const [refIndex, backendRef] of asObjects(rule['backendRefs']).entries()) {
        const where = `Failed to process route rule ${ruleIndex} backendRef ${refIndex}`;
        const group = backendRef['group'] ?? '';
        const kind = backendRef['kind'] ?? 'Service';
        if (group !== '' || kind !== 'Service') {
          const shown = group === '' ? String(kind) : `${String(kind)}.${String(group)}`;
          return ['ResolvedRefs', 'False', 'InvalidKind', `${where}: ${shown} is not a supported kind, only core Services are.`];
        }
        const namespace = String(backendRef['namespace'] ?? routeNamespace);
        const name = String(backendRef['name']);
        if (namespace !== routeNamespace && !this.granted(route, namespace, name)) {
          return [
            'ResolvedRefs',
            'False',
            'RefNotPermitted',
            `${where}: backend ref to Service ${namespace}/${name} not permitted by any ReferenceGrant.`,
          ];
        }
        const service = this.store.get('v1', 'Service', namespace, name);
        if (service === undefined) return ['ResolvedRefs', 'False', 'BackendNotFound', `${where}: service ${namespace}/${name} not found.`];
        const ports = asObjects(spec(service)['ports']).map((port) => port['port']);
        if (!ports.includes(backendRef['port'])) {
          return [
            'ResolvedRefs',
            'False',
            'BackendNotFound',
            `${where}: port ${String(backendRef['port'])} not found on service ${namespace}/${name}.`,
          ];
        }
      }
    }
    return ['ResolvedRefs', 'True', 'ResolvedRefs', 'Resolved all the Object references for the Route'];
  }

  /** A ReferenceGrant in the Service's namespace lets routes of this kind from the route's namespace reference it. */
  private granted(route: KubeObject, namespace: string, name: string): boolean {
    return this.store.list(`${GATEWAY_API_GROUP}/v1beta1`, 'ReferenceGrant', namespace).some((grant) => {
      const from = asObjects(spec(grant)['from']).some(
        (entry) => entry['group'] === GATEWAY_API_GROUP && entry['kind'] === route.kind && entry['namespace'] === route.metadata.namespace,
      );
      const to = asObjects(spec(grant)['to']).some(
        (entry) => entry['group'] === '' && entry['kind'] === 'Service' && (entry['name'] === undefined || entry['name'] === name),
      );
      return from && to;
    });
  }

  private reconcileGateway(gateway: KubeObject, attached: ReadonlyMap<string, number>): void {
    const previous = asObject(gateway['status']) ?? {};
    const previousListeners = asObjects(previous['listeners']);
    let invalid = 0;
    const listeners = asObjects(spec(gateway)['listeners']).map((listener) => {
      const name = String(listener['name']);
      const { kinds, unsupported } = supportedKinds(listener);
      const known = PROTOCOL_KINDS[String(listener['protocol'])] !== undefined;
      if (!known) invalid += 1;
      const wanted: ConditionSpec[] = known
        ? [
            ['Accepted', 'True', 'Accepted', 'Listener is accepted'],
            ['Programmed', 'True', 'Programmed', 'Sending translated listener configuration to the data plane'],
            unsupported.length > 0
              ? ['ResolvedRefs', 'False', 'InvalidRouteKinds', `Route kinds ${unsupported.join(', ')} are not supported by this listener.`]
              : ['ResolvedRefs', 'True', 'ResolvedRefs', 'Listener has been successfully translated'],
          ]
        : [
            ['Accepted', 'False', 'UnsupportedProtocol', `Protocol ${String(listener['protocol'])} is not supported.`],
            ['Programmed', 'False', 'Invalid', 'Listener is invalid, see other Conditions for details.'],
            ['ResolvedRefs', 'True', 'ResolvedRefs', 'Listener has been successfully translated'],
          ];
      wanted.push(['Conflicted', 'False', 'NoConflicts', 'No conflicts detected']);
      const before = previousListeners.find((entry) => entry['name'] === name);
      return {
        name,
        supportedKinds: kinds.map((kind) => ({ group: GATEWAY_API_GROUP, kind })),
        attachedRoutes: attached.get(name) ?? 0,
        conditions: this.conditions(gateway, before?.['conditions'], wanted),
      };
    });
    const programmed: ConditionSpec =
      this.address === undefined
        ? ['Programmed', 'False', 'AddressNotAssigned', 'No addresses have been assigned to the Gateway']
        : ['Programmed', 'True', 'Programmed', 'Address assigned to the Gateway, 1/1 envoy replicas available'];
    const accepted: ConditionSpec =
      invalid === 0
        ? ['Accepted', 'True', 'Accepted', 'The Gateway has been scheduled by Envoy Gateway']
        : ['Accepted', 'True', 'ListenersNotValid', `${invalid} listener(s) are invalid, see the listeners' conditions.`];
    this.writeStatus(gateway, (status) => {
      const { addresses: _addresses, ...rest } = status;
      return {
        ...rest,
        ...(this.address === undefined ? {} : { addresses: [{ type: 'Hostname', value: this.address }] }),
        conditions: this.conditions(gateway, status['conditions'], [accepted, programmed]),
        listeners,
      };
    });
  }

  /**
   * The conditions this controller owns, for the object's current generation, merged into what is there:
   * lastTransitionTime moves only when a condition's status does, and conditions of other types stay.
   */
  private conditions(object: KubeObject, existing: unknown, wanted: readonly ConditionSpec[]): Condition[] {
    const before = asObjects(existing);
    const ours = wanted.map(([type, status, reason, message]): Condition => {
      const previous = before.find((condition) => condition['type'] === type);
      return {
        type,
        status,
        reason,
        message,
        observedGeneration: object.metadata.generation ?? 1,
        lastTransitionTime: previous?.['status'] === status ? String(previous['lastTransitionTime']) : this.time,
      };
    });
    const others = before.filter((condition) => !wanted.some(([type]) => type === condition['type'])) as unknown as Condition[];
    return [...ours, ...others];
  }

  /** Writes the status the change computes, only when it differs from what is stored (so a pass with nothing new writes nothing). */
  private writeStatus(object: KubeObject, change: (status: Json) => Json): void {
    const current = asObject(object['status']) ?? {};
    const next = change(structuredClone(current));
    if (sameJson(current, next)) return;
    this.store.modify(object.apiVersion ?? V1, object.kind ?? '', object.metadata.namespace, object.metadata.name ?? '', (stored) => {
      stored['status'] = next;
    });
  }
}

type ConditionSpec = readonly [type: string, status: 'True' | 'False', reason: string, message: string];

/** The route kinds a listener takes: its protocol's, narrowed by allowedRoutes.kinds; and the kinds it names but cannot take. */
function supportedKinds(listener: Json): { kinds: string[]; unsupported: string[] } {
  const byProtocol = PROTOCOL_KINDS[String(listener['protocol'])] ?? [];
  const named = asObjects(asObject(listener['allowedRoutes'])?.['kinds']);
  if (named.length === 0) return { kinds: [...byProtocol], unsupported: [] };
  const kinds: string[] = [];
  const unsupported: string[] = [];
  for (const entry of named) {
    const kind = String(entry['kind']);
    if ((entry['group'] ?? GATEWAY_API_GROUP) === GATEWAY_API_GROUP && byProtocol.includes(kind)) kinds.push(kind);
    else unsupported.push(kind);
  }
  return { kinds, unsupported };
}

function spec(object: KubeObject): Json {
  return asObject(object['spec']) ?? {};
}

function asObject(value: unknown): Json | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
}

function asObjects(value: unknown): Json[] {
  return Array.isArray(value) ? value.flatMap((item) => (asObject(item) === undefined ? [] : [item as Json])) : [];
}

function asStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
