import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type EksTokenReviewOptions, reviewEksToken, type TokenReview } from './eks-token-review.js';
import { applyGatewayApiDefaults, GATEWAY_API_GROUP, gatewayApiSchemaProblem } from './gateway-api-schema.js';
import { delay, type LocalServer, listenLocal, readBody, sameJson, sendJson } from './http-util.js';
import { STAND_IN_CA_DATA, STAND_IN_SERVER_CERT_PEM, STAND_IN_SERVER_KEY_PEM } from './stand-in-tls.js';

/**
 * A small Kubernetes API server: the subset of the REST API the bot uses, kept in memory. Real
 * semantics where the bot depends on them: resourceVersion on every write, 409 AlreadyExists on a
 * second create, 409 Conflict on an update with a stale resourceVersion, 404 Status objects, label and
 * field selectors, paginated lists (limit/continue), merge patches and server-side apply, and
 * metadata.generation bumped only when something other than metadata and status changes.
 * Gateway API objects get their CRDs' defaults and schema validation (422 Invalid) and a status
 * subresource: writes to the object keep its status, writes to `/status` change nothing else.
 * Every request is recorded (verb, group, resource, namespace, name) so tests can check RBAC.
 * Clients authenticate with the static bearer token of kubeconfig(), or, in EKS mode, with an EKS token
 * (eks-token-review.ts checks it as EKS and STS would); with `tls` it serves HTTPS, as an EKS endpoint does.
 */

export interface ResourceType {
  readonly group: string;
  readonly version: string;
  readonly plural: string;
  readonly kind: string;
  readonly namespaced: boolean;
  /** Like a CRD with `subresources.status`: the object's own writes leave status alone (a create drops it). */
  readonly statusSubresource?: true;
  /** Fills in schema defaults before validation, as the API server does. */
  readonly applyDefaults?: (object: KubeObject) => void;
  /** Schema validation: a returned string is the reason for a 422 Invalid. */
  readonly validate?: (object: KubeObject) => string | undefined;
}

function gatewayApiType(version: string, plural: string, kind: string, namespaced: boolean): ResourceType {
  return {
    group: GATEWAY_API_GROUP,
    version,
    plural,
    kind,
    namespaced,
    statusSubresource: true,
    applyDefaults: (object) => applyGatewayApiDefaults(kind, object),
    validate: (object) => gatewayApiSchemaProblem(kind, object),
  };
}

export const RESOURCE_TYPES: readonly ResourceType[] = [
  { group: '', version: 'v1', plural: 'namespaces', kind: 'Namespace', namespaced: false },
  { group: '', version: 'v1', plural: 'nodes', kind: 'Node', namespaced: false },
  { group: '', version: 'v1', plural: 'services', kind: 'Service', namespaced: true },
  { group: '', version: 'v1', plural: 'pods', kind: 'Pod', namespaced: true },
  { group: '', version: 'v1', plural: 'endpoints', kind: 'Endpoints', namespaced: true },
  { group: '', version: 'v1', plural: 'configmaps', kind: 'ConfigMap', namespaced: true },
  { group: 'networking.k8s.io', version: 'v1', plural: 'ingresses', kind: 'Ingress', namespaced: true },
  { group: 'networking.k8s.io', version: 'v1', plural: 'ingressclasses', kind: 'IngressClass', namespaced: false },
  { group: 'coordination.k8s.io', version: 'v1', plural: 'leases', kind: 'Lease', namespaced: true },
  { group: 'discovery.k8s.io', version: 'v1', plural: 'endpointslices', kind: 'EndpointSlice', namespaced: true },
  { group: 'apps', version: 'v1', plural: 'deployments', kind: 'Deployment', namespaced: true },
  { group: 'apps', version: 'v1', plural: 'daemonsets', kind: 'DaemonSet', namespaced: true },
  gatewayApiType('v1', 'gatewayclasses', 'GatewayClass', false),
  gatewayApiType('v1', 'gateways', 'Gateway', true),
  gatewayApiType('v1', 'httproutes', 'HTTPRoute', true),
  gatewayApiType('v1', 'grpcroutes', 'GRPCRoute', true),
  gatewayApiType('v1beta1', 'referencegrants', 'ReferenceGrant', true),
];

export type KubeVerb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

export interface KubeRequestRecord {
  readonly verb: KubeVerb;
  readonly group: string;
  readonly version: string;
  readonly resource: string;
  readonly subresource: string | undefined;
  readonly namespace: string | undefined;
  readonly name: string | undefined;
  readonly status: number;
  /** For patches: the Content-Type, which says the patch strategy. */
  readonly contentType: string | undefined;
  readonly query: Readonly<Record<string, string>>;
}

export interface KubeFault {
  readonly status: number;
  readonly reason?: string;
  readonly message?: string;
}

/** Decides a fault for a request before it is served; returning undefined serves it normally. */
export type KubeFaultRule = (request: Omit<KubeRequestRecord, 'status'>) => KubeFault | undefined;

export type KubeObject = {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name?: string | undefined;
    generateName?: string | undefined;
    namespace?: string | undefined;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    resourceVersion?: string | undefined;
    uid?: string | undefined;
    creationTimestamp?: string;
    generation?: number;
    managedFields?: unknown[];
    [key: string]: unknown;
  };
  [key: string]: unknown;
};

/** Validates an object before it is stored; a returned string is the reason for a 422 Invalid. */
export type KubeAdmission = (operation: 'create' | 'update', object: KubeObject, store: KubeStore) => string | undefined;

/** A write or a delete in the store, as a watch would deliver it; `object` is a copy. */
export interface KubeChange {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly object: KubeObject;
}

/**
 * The objects, in memory. Emits 'change' (a KubeChange) after every write and delete, from the API or
 * from a test, so a stand-in controller can react. Listeners run synchronously inside the write: one
 * that writes back must defer it (as a controller's work queue does).
 */
export class KubeStore extends EventEmitter<{ change: [KubeChange] }> {
  private readonly objects = new Map<string, KubeObject>();
  private revision = 1000;

  /** Adds or replaces an object (seeding and test set-up); returns the stored copy. */
  upsert(object: KubeObject): KubeObject {
    const type = typeOfObject(object);
    const key = keyOf(type, object.metadata.namespace, object.metadata.name ?? '');
    const previous = this.objects.get(key);
    const stored = this.stamp(type, structuredClone(object), previous);
    this.objects.set(key, stored);
    this.announce(previous === undefined ? 'ADDED' : 'MODIFIED', stored);
    return structuredClone(stored);
  }

  get(apiVersion: string, kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const type = typeOf(apiVersion, kind);
    const found = this.objects.get(keyOf(type, type.namespaced ? namespace : undefined, name));
    return found === undefined ? undefined : structuredClone(found);
  }

  list(apiVersion: string, kind: string, namespace?: string): KubeObject[] {
    const type = typeOf(apiVersion, kind);
    return this.listType(type, namespace).map((object) => structuredClone(object));
  }

  remove(apiVersion: string, kind: string, namespace: string | undefined, name: string): boolean {
    const type = typeOf(apiVersion, kind);
    const key = keyOf(type, type.namespaced ? namespace : undefined, name);
    const removed = this.objects.get(key);
    if (removed === undefined) return false;
    this.objects.delete(key);
    this.announce('DELETED', removed);
    return true;
  }

  /** Applies a change to a stored object the way a controller would (bumps resourceVersion). */
  modify(apiVersion: string, kind: string, namespace: string | undefined, name: string, change: (object: KubeObject) => void): KubeObject {
    const current = this.get(apiVersion, kind, namespace, name);
    if (current === undefined) throw new Error(`no ${kind} ${namespace ?? ''}/${name}`);
    change(current);
    return this.upsert(current);
  }

  get currentRevision(): string {
    return String(this.revision);
  }

  /** @internal used by the server */
  listType(type: ResourceType, namespace: string | undefined): KubeObject[] {
    const prefix = `${type.group}/${type.plural}/`;
    return [...this.objects.entries()]
      .filter(([key, object]) => key.startsWith(prefix) && (namespace === undefined || object.metadata.namespace === namespace))
      .map(([, object]) => object)
      .sort((a, b) =>
        `${a.metadata.namespace ?? ''}/${a.metadata.name ?? ''}`.localeCompare(`${b.metadata.namespace ?? ''}/${b.metadata.name ?? ''}`),
      );
  }

  /** @internal used by the server */
  getRaw(type: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.objects.get(keyOf(type, namespace, name));
  }

  /** @internal used by the server */
  write(type: ResourceType, object: KubeObject, previous: KubeObject | undefined): KubeObject {
    const stored = this.stamp(type, object, previous);
    this.objects.set(keyOf(type, stored.metadata.namespace, stored.metadata.name ?? ''), stored);
    this.announce(previous === undefined ? 'ADDED' : 'MODIFIED', stored);
    return stored;
  }

  /** @internal used by the server */
  deleteRaw(type: ResourceType, namespace: string | undefined, name: string): void {
    const key = keyOf(type, namespace, name);
    const removed = this.objects.get(key);
    this.objects.delete(key);
    if (removed !== undefined) this.announce('DELETED', removed);
  }

  private announce(type: KubeChange['type'], object: KubeObject): void {
    if (this.listenerCount('change') > 0) this.emit('change', { type, object: structuredClone(object) });
  }

  private stamp(type: ResourceType, object: KubeObject, previous: KubeObject | undefined): KubeObject {
    this.revision += 1;
    object.apiVersion = apiVersionOf(type);
    object.kind = type.kind;
    object.metadata.resourceVersion = String(this.revision);
    object.metadata.uid = previous?.metadata.uid ?? object.metadata.uid ?? randomUUID();
    object.metadata.creationTimestamp =
      previous?.metadata.creationTimestamp ?? object.metadata.creationTimestamp ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    // As the API server: a new object is generation 1; a change to metadata or status alone keeps it.
    object.metadata.generation =
      previous === undefined ? 1 : (previous.metadata.generation ?? 1) + (sameJson(desired(object), desired(previous)) ? 0 : 1);
    if (!type.namespaced) delete object.metadata.namespace;
    return object;
  }
}

/** What generation counts: everything but metadata and status (apiVersion and kind are the type's). */
function desired(object: KubeObject): Record<string, unknown> {
  const { metadata: _metadata, status: _status, apiVersion: _apiVersion, kind: _kind, ...rest } = object;
  return rest;
}

export interface KubeApiServer {
  readonly url: string;
  readonly store: KubeStore;
  /** Every request served, in order. */
  readonly requests: KubeRequestRecord[];
  /** The bearer token clients must send (from the kubeconfig). */
  readonly token: string;
  /** EKS mode: every EKS token presented, and what became of it. */
  readonly tokenReviews: TokenReview[];
  /** Adds a fault rule; `times` limits how often it fires (default: always). Returns a remover. */
  fail(rule: KubeFaultRule, times?: number): () => void;
  /** Admission checks run on create and update (like a validating webhook). */
  admit(check: KubeAdmission): void;
  /** Milliseconds added to every response. */
  latencyMs: number;
  /** A kubeconfig (YAML) for client-node: http server, so insecure-skip-tls-verify is set. */
  kubeconfig(): string;
  close(): Promise<void>;
}

export interface KubeApiServerOptions {
  readonly port?: number;
  readonly token?: string;
  /** EKS mode: EKS tokens bound to this cluster and signed with a key of this keyring are accepted too. */
  readonly eks?: EksTokenReviewOptions;
  /** Serve HTTPS with the stand-in certificate (stand-in-tls.ts) instead of HTTP. */
  readonly tls?: boolean;
}

export async function startKubeApiServer(options: KubeApiServerOptions = {}): Promise<KubeApiServer> {
  const store = new KubeStore();
  const requests: KubeRequestRecord[] = [];
  const faults: Array<{ rule: KubeFaultRule; remaining: number }> = [];
  const admissions: KubeAdmission[] = [];
  const token = options.token ?? `stand-in-${randomUUID()}`;
  const state = { latencyMs: 0 };
  const tokenReviews: TokenReview[] = [];
  const tls = options.tls === true ? { cert: STAND_IN_SERVER_CERT_PEM, key: STAND_IN_SERVER_KEY_PEM } : undefined;

  const local: LocalServer = await listenLocal(
    (request, response) => {
      void handle(request, response).catch((error: unknown) => {
        if (!response.headersSent) sendJson(response, 500, status(500, 'InternalError', String(error)));
      });
    },
    options.port,
    tls,
  );

  /** The static token, or (EKS mode) an EKS token that passes review. */
  function authenticated(authorization: string | undefined): boolean {
    if (authorization === `Bearer ${token}`) return true;
    if (options.eks === undefined || authorization?.startsWith('Bearer ') !== true) return false;
    const review = reviewEksToken(authorization.slice('Bearer '.length), options.eks);
    tokenReviews.push(review);
    return review.authenticated;
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const query = Object.fromEntries(url.searchParams.entries());
    if (!authenticated(request.headers.authorization)) {
      sendJson(response, 401, status(401, 'Unauthorized', 'Unauthorized'));
      return;
    }
    if (state.latencyMs > 0) await delay(state.latencyMs);
    const discovery = discoveryDocument(url.pathname);
    if (discovery !== undefined) {
      sendJson(response, 200, discovery);
      return;
    }
    const route = parsePath(url.pathname);
    if (route === undefined) {
      sendJson(response, 404, status(404, 'NotFound', `the server could not find the requested resource (${url.pathname})`));
      return;
    }
    const method = (request.method ?? 'GET').toUpperCase();
    const verb = verbOf(method, route.name, query);
    const contentType = request.headers['content-type']?.split(';')[0]?.trim();
    const base = {
      verb,
      group: route.type.group,
      version: route.type.version,
      resource: route.type.plural,
      subresource: route.subresource,
      namespace: route.namespace,
      name: route.name,
      contentType: method === 'PATCH' ? contentType : undefined,
      query,
    };
    const record = (code: number) => requests.push({ ...base, status: code });

    for (const fault of faults) {
      if (fault.remaining <= 0) continue;
      const decided = fault.rule(base);
      if (decided !== undefined) {
        fault.remaining -= 1;
        record(decided.status);
        sendJson(response, decided.status, status(decided.status, decided.reason ?? 'InternalError', decided.message ?? 'injected fault'));
        return;
      }
    }

    const body = method === 'POST' || method === 'PUT' || method === 'PATCH' || method === 'DELETE' ? await readBody(request) : '';
    const [code, payload] = serve(route, verb, method, contentType, body, query);
    record(code);
    sendJson(response, code, payload);
  }

  function serve(
    route: Route,
    verb: KubeVerb,
    method: string,
    contentType: string | undefined,
    body: string,
    query: Record<string, string>,
  ): [number, unknown] {
    const { type, namespace, name } = route;
    const dryRun = query['dryRun'] === 'All';
    if (verb === 'watch') return [405, status(405, 'MethodNotAllowed', 'watch is not supported by this stand-in')];
    if (route.subresource !== undefined && route.subresource !== 'status') {
      return [404, status(404, 'NotFound', `the server could not find the requested resource (${type.plural}/${route.subresource})`)];
    }
    if (route.subresource === 'status' && method !== 'GET' && method !== 'PUT' && method !== 'PATCH') {
      return [405, status(405, 'MethodNotAllowed', `${method} is not allowed on ${type.plural}/status`)];
    }
    if (verb === 'list') return [200, listResponse(type, namespace, query)];
    if (method === 'POST') {
      let object: KubeObject;
      try {
        object = parseObject(body);
      } catch {
        return [400, status(400, 'BadRequest', 'the request body is not a JSON object')];
      }
      if (type.namespaced) {
        if (object.metadata.namespace !== undefined && object.metadata.namespace !== namespace) {
          return [400, status(400, 'BadRequest', 'the namespace of the provided object does not match the namespace sent on the request')];
        }
        object.metadata.namespace = namespace;
      }
      if (object.metadata.name === undefined && object.metadata.generateName !== undefined) {
        object.metadata.name = `${object.metadata.generateName}${randomUUID().slice(0, 5)}`;
      }
      const objectName = object.metadata.name;
      if (objectName === undefined || objectName === '')
        return [422, invalid(type, '', 'metadata.name: Required value: name or generateName is required')];
      if (store.getRaw(type, namespace, objectName) !== undefined) {
        return [
          409,
          status(409, 'AlreadyExists', `${type.plural}.${type.group || 'core'} "${objectName}" already exists`, type, objectName),
        ];
      }
      delete object.metadata.resourceVersion;
      if (type.statusSubresource) delete object['status'];
      const rejected = admit('create', type, object);
      if (rejected !== undefined) return [422, invalid(type, objectName, rejected)];
      if (query['fieldManager'] !== undefined) object.metadata.managedFields = [{ manager: query['fieldManager'], operation: 'Update' }];
      return [201, dryRun ? object : store.write(type, object, undefined)];
    }
    if (name === undefined) return [405, status(405, 'MethodNotAllowed', `${method} is not allowed on a collection`)];
    const current = store.getRaw(type, namespace, name);
    switch (method) {
      case 'GET':
        return current === undefined ? [404, notFound(type, name)] : [200, current];
      case 'PUT': {
        if (current === undefined) return [404, notFound(type, name)];
        let object: KubeObject;
        try {
          object = parseObject(body);
        } catch {
          return [400, status(400, 'BadRequest', 'the request body is not a JSON object')];
        }
        if (object.metadata.name !== name)
          return [400, status(400, 'BadRequest', 'the name of the object does not match the name on the URL')];
        const sent = object.metadata.resourceVersion;
        if (sent === undefined || sent === '') {
          return [422, invalid(type, name, 'metadata.resourceVersion: Invalid value: 0x0: must be specified for an update')];
        }
        if (sent !== current.metadata.resourceVersion) return [409, conflict(type, name)];
        if (type.namespaced) object.metadata.namespace = namespace;
        object = confine(route, current, object);
        const rejected = admit('update', type, object);
        if (rejected !== undefined) return [422, invalid(type, name, rejected)];
        return [200, dryRun ? object : store.write(type, object, current)];
      }
      case 'PATCH': {
        let patch: unknown;
        try {
          patch = JSON.parse(body);
        } catch {
          return [400, status(400, 'BadRequest', 'the patch is not valid JSON')];
        }
        if (contentType === 'application/apply-patch+yaml') {
          if (query['fieldManager'] === undefined) {
            return [422, invalid(type, name, 'fieldManager: Required value: is required for apply patch')];
          }
          const applied = patch as KubeObject;
          if (applied.metadata?.name !== undefined && applied.metadata.name !== name) {
            return [400, status(400, 'BadRequest', 'the name of the object does not match the name on the URL')];
          }
          const sentVersion = applied.metadata?.resourceVersion;
          if (current !== undefined && sentVersion !== undefined && sentVersion !== current.metadata.resourceVersion) {
            return [409, conflict(type, name)];
          }
          if (current === undefined && route.subresource === 'status') return [404, notFound(type, name)];
          let merged = (current === undefined ? applied : mergePatch(current, applied)) as KubeObject;
          merged.metadata = { ...merged.metadata, name, ...(type.namespaced ? { namespace } : {}) };
          delete merged.metadata.resourceVersion;
          merged.metadata.managedFields = [{ manager: query['fieldManager'], operation: 'Apply' }];
          if (current === undefined) {
            if (type.statusSubresource) delete merged['status'];
          } else {
            merged = confine(route, current, merged);
          }
          const rejected = admit(current === undefined ? 'create' : 'update', type, merged);
          if (rejected !== undefined) return [422, invalid(type, name, rejected)];
          return [current === undefined ? 201 : 200, dryRun ? merged : store.write(type, merged, current)];
        }
        if (current === undefined) return [404, notFound(type, name)];
        if (contentType !== 'application/merge-patch+json' && contentType !== 'application/strategic-merge-patch+json') {
          return [415, status(415, 'UnsupportedMediaType', `the stand-in does not support patches of type ${contentType ?? '(none)'}`)];
        }
        const patchedVersion = (patch as { metadata?: { resourceVersion?: string } }).metadata?.resourceVersion;
        if (patchedVersion !== undefined && patchedVersion !== current.metadata.resourceVersion) return [409, conflict(type, name)];
        const patched = mergePatch(current, patch) as KubeObject;
        patched.metadata = { ...patched.metadata, name, ...(type.namespaced ? { namespace } : {}) };
        const merged = confine(route, current, patched);
        const rejected = admit('update', type, merged);
        if (rejected !== undefined) return [422, invalid(type, name, rejected)];
        return [200, dryRun ? merged : store.write(type, merged, current)];
      }
      case 'DELETE': {
        if (current === undefined) return [404, notFound(type, name)];
        const options = body === '' ? {} : (JSON.parse(body) as { preconditions?: { resourceVersion?: string; uid?: string } });
        const precondition = options.preconditions;
        if (precondition?.resourceVersion !== undefined && precondition.resourceVersion !== current.metadata.resourceVersion) {
          return [409, conflict(type, name)];
        }
        if (precondition?.uid !== undefined && precondition.uid !== current.metadata.uid) return [409, conflict(type, name)];
        if (!dryRun) store.deleteRaw(type, namespace, name);
        return [
          200,
          {
            kind: 'Status',
            apiVersion: 'v1',
            metadata: {},
            status: 'Success',
            details: { name, group: type.group, kind: type.plural, uid: current.metadata.uid },
          },
        ];
      }
      default:
        return [405, status(405, 'MethodNotAllowed', `${method} is not supported`)];
    }
  }

  /** Defaults, then the schema, then the admission checks (webhooks), in the API server's order. */
  function admit(operation: 'create' | 'update', type: ResourceType, object: KubeObject): string | undefined {
    object.apiVersion = apiVersionOf(type);
    object.kind = type.kind;
    type.applyDefaults?.(object);
    const invalidReason = type.validate?.(object);
    if (invalidReason !== undefined) return invalidReason;
    for (const check of admissions) {
      const reason = check(operation, object, store);
      if (reason !== undefined) return reason;
    }
    return undefined;
  }

  function listResponse(type: ResourceType, namespace: string | undefined, query: Record<string, string>): unknown {
    const matchesLabels = labelMatcher(query['labelSelector']);
    const matchesFields = fieldMatcher(query['fieldSelector']);
    const all = store.listType(type, namespace).filter((object) => matchesLabels(object.metadata.labels ?? {}) && matchesFields(object));
    const offset =
      query['continue'] === undefined ? 0 : Number.parseInt(Buffer.from(query['continue'], 'base64url').toString('utf8'), 10) || 0;
    const limit = query['limit'] === undefined ? all.length : Math.max(1, Number.parseInt(query['limit'], 10) || all.length);
    const items = all.slice(offset, offset + limit);
    const next = offset + limit < all.length ? Buffer.from(String(offset + limit)).toString('base64url') : undefined;
    return {
      kind: `${type.kind}List`,
      apiVersion: apiVersionOf(type),
      metadata: { resourceVersion: store.currentRevision, ...(next === undefined ? {} : { continue: next }) },
      items,
    };
  }

  return {
    url: local.url,
    store,
    requests,
    token,
    tokenReviews,
    fail(rule, times = Number.POSITIVE_INFINITY) {
      const entry = { rule, remaining: times };
      faults.push(entry);
      return () => {
        entry.remaining = 0;
      };
    },
    admit(check) {
      admissions.push(check);
    },
    get latencyMs() {
      return state.latencyMs;
    },
    set latencyMs(value: number) {
      state.latencyMs = value;
    },
    kubeconfig: () =>
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        '- name: stand-in',
        '  cluster:',
        `    server: ${local.url}`,
        tls === undefined ? '    insecure-skip-tls-verify: true' : `    certificate-authority-data: ${STAND_IN_CA_DATA}`,
        'users:',
        '- name: stand-in',
        '  user:',
        `    token: ${token}`,
        'contexts:',
        '- name: stand-in',
        '  context: { cluster: stand-in, user: stand-in }',
        'current-context: stand-in',
        '',
      ].join('\n'),
    close: () => local.close(),
  };
}

/**
 * The status subresource's rule: a write to `/status` changes only status; a write to the object of a
 * type with the subresource changes everything but status.
 */
function confine(route: Route, current: KubeObject, next: KubeObject): KubeObject {
  if (route.subresource === 'status') return withStatus(structuredClone(current), next['status']);
  return route.type.statusSubresource ? withStatus(next, structuredClone(current['status'])) : next;
}

function withStatus(object: KubeObject, status: unknown): KubeObject {
  if (status === undefined) delete object['status'];
  else object['status'] = status;
  return object;
}

interface Route {
  readonly type: ResourceType;
  readonly namespace: string | undefined;
  readonly name: string | undefined;
  readonly subresource: string | undefined;
}

function parsePath(pathname: string): Route | undefined {
  const parts = pathname
    .split('/')
    .filter((part) => part !== '')
    .map(decodeURIComponent);
  let group: string;
  let rest: string[];
  if (parts[0] === 'api' && parts[1] === 'v1') {
    group = '';
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 3) {
    group = parts[1] ?? '';
    rest = parts.slice(3);
  } else {
    return undefined;
  }
  const version = group === '' ? 'v1' : parts[2];
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [plural, name, subresource] = rest;
  const type = RESOURCE_TYPES.find(
    (candidate) => candidate.group === group && candidate.version === version && candidate.plural === plural,
  );
  if (type === undefined) return undefined;
  if (!type.namespaced && namespace !== undefined) return undefined;
  return { type, namespace, name, subresource };
}

function verbOf(method: string, name: string | undefined, query: Record<string, string>): KubeVerb {
  switch (method) {
    case 'GET':
      if (query['watch'] === 'true' || query['watch'] === '1') return 'watch';
      return name === undefined ? 'list' : 'get';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return name === undefined ? 'deletecollection' : 'delete';
    default:
      return 'get';
  }
}

function discoveryDocument(pathname: string): unknown {
  const trimmed = pathname.replace(/\/$/, '');
  if (trimmed === '/apis')
    return { kind: 'APIGroupList', apiVersion: 'v1', groups: apiGroups().map(([group, versions]) => apiGroup(group, versions)) };
  const groupOnly = /^\/apis\/([^/]+)$/.exec(trimmed);
  if (groupOnly !== null) {
    const found = apiGroups().find(([group]) => group === groupOnly[1]);
    return found === undefined ? undefined : apiGroup(...found);
  }
  const match = /^\/(?:api\/v1|apis\/([^/]+)\/([^/]+))$/.exec(trimmed);
  if (match === null) return undefined;
  const group = match[1] ?? '';
  const version = match[2] ?? 'v1';
  const types = RESOURCE_TYPES.filter((type) => type.group === group && type.version === version);
  if (types.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group === '' ? 'v1' : `${group}/${version}`,
    resources: types.flatMap((type) => [
      {
        name: type.plural,
        singularName: type.kind.toLowerCase(),
        namespaced: type.namespaced,
        kind: type.kind,
        verbs: ['create', 'delete', 'get', 'list', 'patch', 'update'],
      },
      ...(type.statusSubresource
        ? [
            {
              name: `${type.plural}/status`,
              singularName: '',
              namespaced: type.namespaced,
              kind: type.kind,
              verbs: ['get', 'patch', 'update'],
            },
          ]
        : []),
    ]),
  };
}

/** The named API groups and their versions, in the order of RESOURCE_TYPES. */
function apiGroups(): Array<[string, string[]]> {
  const groups = new Map<string, string[]>();
  for (const type of RESOURCE_TYPES) {
    if (type.group === '') continue;
    const versions = groups.get(type.group) ?? [];
    if (!versions.includes(type.version)) versions.push(type.version);
    groups.set(type.group, versions);
  }
  return [...groups.entries()];
}

function apiGroup(group: string, versions: readonly string[]): Record<string, unknown> {
  const listed = versions.map((version) => ({ groupVersion: `${group}/${version}`, version }));
  return { kind: 'APIGroup', apiVersion: 'v1', name: group, versions: listed, preferredVersion: listed[0] };
}

function labelMatcher(selector: string | undefined): (labels: Record<string, string>) => boolean {
  if (selector === undefined || selector.trim() === '') return () => true;
  const terms = selector
    .split(',')
    .map((term) => term.trim())
    .filter((term) => term !== '');
  return (labels) =>
    terms.every((term) => {
      const notEqual = /^([^!=\s]+)\s*!=\s*(.*)$/.exec(term);
      if (notEqual !== null) return labels[notEqual[1] ?? ''] !== notEqual[2];
      const equal = /^([^!=\s]+)\s*==?\s*(.*)$/.exec(term);
      if (equal !== null) return labels[equal[1] ?? ''] === equal[2];
      const inSet = /^([^\s]+)\s+in\s+\(([^)]*)\)$/.exec(term);
      if (inSet !== null)
        return (inSet[2] ?? '')
          .split(',')
          .map((value) => value.trim())
          .includes(labels[inSet[1] ?? ''] ?? '\u0000');
      if (term.startsWith('!')) return !(term.slice(1) in labels);
      return term in labels;
    });
}

function fieldMatcher(selector: string | undefined): (object: KubeObject) => boolean {
  if (selector === undefined || selector.trim() === '') return () => true;
  const terms = selector
    .split(',')
    .map((term) => /^([^!=]+)(!=|==?)(.*)$/.exec(term.trim()))
    .filter((term) => term !== null);
  return (object) =>
    terms.every((term) => {
      const path = term[1] ?? '';
      const value = path
        .split('.')
        .reduce<unknown>(
          (node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined),
          object,
        );
      const equal = String(value ?? '') === term[3];
      return term[2] === '!=' ? !equal : equal;
    });
}

/** RFC 7386 JSON merge patch: objects merge, null deletes, everything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return structuredClone(patch);
  const result: Record<string, unknown> =
    target !== null && typeof target === 'object' && !Array.isArray(target) ? structuredClone(target as Record<string, unknown>) : {};
  for (const [key, value] of Object.entries(patch as Record<string, unknown>)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

function parseObject(body: string): KubeObject {
  const parsed = JSON.parse(body) as unknown;
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
  const object = parsed as KubeObject;
  object.metadata = object.metadata ?? {};
  return object;
}

function apiVersionOf(type: ResourceType): string {
  return type.group === '' ? type.version : `${type.group}/${type.version}`;
}

function typeOf(apiVersion: string, kind: string): ResourceType {
  const type = RESOURCE_TYPES.find((candidate) => apiVersionOf(candidate) === apiVersion && candidate.kind === kind);
  if (type === undefined) throw new Error(`the Kubernetes stand-in does not know ${apiVersion} ${kind}`);
  return type;
}

function typeOfObject(object: KubeObject): ResourceType {
  if (object.apiVersion === undefined || object.kind === undefined) throw new Error('an object needs apiVersion and kind');
  return typeOf(object.apiVersion, object.kind);
}

function keyOf(type: ResourceType, namespace: string | undefined, name: string): string {
  return `${type.group}/${type.plural}/${type.namespaced ? (namespace ?? '') : ''}/${name}`;
}

function status(code: number, reason: string, message: string, type?: ResourceType, name?: string): Record<string, unknown> {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(type === undefined ? {} : { details: { name, group: type.group, kind: type.plural } }),
    code,
  };
}

function notFound(type: ResourceType, name: string): Record<string, unknown> {
  return status(404, 'NotFound', `${type.plural}${type.group === '' ? '' : `.${type.group}`} "${name}" not found`, type, name);
}

function conflict(type: ResourceType, name: string): Record<string, unknown> {
  return status(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${type.plural}${type.group === '' ? '' : `.${type.group}`} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    type,
    name,
  );
}

function invalid(type: ResourceType, name: string, message: string): Record<string, unknown> {
  return status(422, 'Invalid', `${type.kind} "${name}" is invalid: ${message}`, type, name);
}
