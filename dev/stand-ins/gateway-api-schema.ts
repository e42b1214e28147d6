import { Gateway } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/Gateway';
import { GatewayClass } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/GatewayClass';
import { GRPCRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/GRPCRoute';
import { HTTPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute';
import { ReferenceGrant } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1beta1/ReferenceGrant';
import { isDnsSubdomain } from '../../src/domain/kube-names.js';

/**
 * What the API server does with a Gateway API object before storing it, as the CRDs of Gateway API v1.x
 * define it: fill in the schema defaults, then validate against the OpenAPI schema (through
 * @kubernetes-models/gateway-api). The CRDs' CEL rules (unique listener names, a port on every Service
 * backendRef, ...) are not checked, and unknown fields are kept instead of pruned.
 */

type Json = Record<string, unknown>;

export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';

interface ValidationProblem {
  readonly instancePath?: string;
  readonly keyword?: string;
  readonly message?: string;
  readonly params?: { readonly missingProperty?: string };
}

type Validating = new (data: never) => { validate(): void };

const MODELS: Readonly<Record<string, Validating>> = {
  Gateway: Gateway as unknown as Validating,
  GatewayClass: GatewayClass as unknown as Validating,
  HTTPRoute: HTTPRoute as unknown as Validating,
  GRPCRoute: GRPCRoute as unknown as Validating,
  ReferenceGrant: ReferenceGrant as unknown as Validating,
};

/**
 * Why the object is invalid, in the API server's words (`spec.parentRefs[0].name: Required value`), or
 * undefined when it is valid. Several problems are joined as the API server joins them: `[a, b]`.
 */
export function gatewayApiSchemaProblem(kind: string, object: Json): string | undefined {
  const Model = MODELS[kind];
  if (Model === undefined) return undefined;
  const problems: string[] = [];
  const name = (object['metadata'] as Json | undefined)?.['name'];
  if (typeof name === 'string' && !isDnsSubdomain(name)) {
    problems.push(
      `metadata.name: Invalid value: ${JSON.stringify(name)}: a lowercase RFC 1123 subdomain must consist of lower case ` +
        "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
    );
  }
  try {
    new Model(object as never).validate();
  } catch (error) {
    const found = (error as { errors?: readonly ValidationProblem[] }).errors;
    if (found === undefined) throw error;
    for (const problem of found) {
      const line = describeProblem(problem, object);
      if (!problems.includes(line)) problems.push(line);
    }
  }
  if (problems.length === 0) return undefined;
  return problems.length === 1 ? problems[0] : `[${problems.join(', ')}]`;
}

function describeProblem(problem: ValidationProblem, object: Json): string {
  const segments = (problem.instancePath ?? '').split('/').filter((segment) => segment !== '');
  const field = fieldPath(segments);
  if (problem.keyword === 'required') {
    const missing = problem.params?.missingProperty ?? '';
    return `${field === '' ? missing : `${field}.${missing}`}: Required value`;
  }
  const value = segments.reduce<unknown>(
    (node, key) => (node !== null && typeof node === 'object' ? (node as Json)[key] : undefined),
    object,
  );
  const shown = JSON.stringify(value) ?? 'null';
  return `${field}: Invalid value: ${shown.length > 80 ? `${shown.slice(0, 80)}…` : shown}: ${problem.message ?? 'is invalid'}`;
}

/** `/spec/parentRefs/0/port` -> `spec.parentRefs[0].port`, the API server's field paths. */
function fieldPath(segments: readonly string[]): string {
  return segments.reduce(
    (path, segment) => (/^\d+$/.test(segment) ? `${path}[${segment}]` : path === '' ? segment : `${path}.${segment}`),
    '',
  );
}

/**
 * The defaults of the Gateway API CRDs' schemas, which the API server writes into the stored object: a
 * route reads back with them, so whoever compares what it wrote with what it reads must expect them.
 */
export function applyGatewayApiDefaults(kind: string, object: Json): void {
  if (kind === 'HTTPRoute' || kind === 'GRPCRoute') {
    for (const parent of asObjects(asObject(object['status'])?.['parents'])) defaultParentRefs({ parentRefs: [parent['parentRef']] });
  }
  const spec = asObject(object['spec']);
  if (spec === undefined) return;
  switch (kind) {
    case 'Gateway':
      for (const listener of asObjects(spec['listeners'])) {
        listener['allowedRoutes'] ??= { namespaces: { from: 'Same' } };
        const allowedRoutes = asObject(listener['allowedRoutes']);
        if (allowedRoutes !== undefined) {
          allowedRoutes['namespaces'] ??= { from: 'Same' };
          const namespaces = asObject(allowedRoutes['namespaces']);
          if (namespaces !== undefined) namespaces['from'] ??= 'Same';
          for (const routeKind of asObjects(allowedRoutes['kinds'])) routeKind['group'] ??= GATEWAY_API_GROUP;
        }
        const tls = asObject(listener['tls']);
        if (tls !== undefined) tls['mode'] ??= 'Terminate';
      }
      return;
    case 'HTTPRoute':
      defaultParentRefs(spec);
      spec['rules'] ??= [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }] }];
      for (const rule of asObjects(spec['rules'])) {
        rule['matches'] ??= [{ path: { type: 'PathPrefix', value: '/' } }];
        for (const match of asObjects(rule['matches'])) {
          match['path'] ??= { type: 'PathPrefix', value: '/' };
          const path = asObject(match['path']);
          if (path !== undefined) {
            path['type'] ??= 'PathPrefix';
            path['value'] ??= '/';
          }
          for (const header of asObjects(match['headers'])) header['type'] ??= 'Exact';
          for (const query of asObjects(match['queryParams'])) query['type'] ??= 'Exact';
        }
        defaultBackendRefs(rule);
        for (const filter of asObjects(rule['filters'])) {
          const redirect = asObject(filter['requestRedirect']);
          if (redirect !== undefined) redirect['statusCode'] ??= 302;
        }
      }
      return;
    case 'GRPCRoute':
      defaultParentRefs(spec);
      for (const rule of asObjects(spec['rules'])) {
        for (const match of asObjects(rule['matches'])) {
          const method = asObject(match['method']);
          if (method !== undefined) method['type'] ??= 'Exact';
          for (const header of asObjects(match['headers'])) header['type'] ??= 'Exact';
        }
        defaultBackendRefs(rule);
      }
      return;
    default:
      return;
  }
}

function defaultParentRefs(spec: Json): void {
  for (const parentRef of asObjects(spec['parentRefs'])) {
    parentRef['group'] ??= GATEWAY_API_GROUP;
    parentRef['kind'] ??= 'Gateway';
  }
}

function defaultBackendRefs(rule: Json): void {
  for (const backendRef of asObjects(rule['backendRefs'])) {
    backendRef['group'] ??= '';
    backendRef['kind'] ??= 'Service';
    backendRef['weight'] ??= 1;
  }
}

function asObject(value: unknown): Json | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
}

function asObjects(value: unknown): Json[] {
  return Array.isArray(value) ? value.flatMap((item) => (asObject(item) === undefined ? [] : [item as Json])) : [];
}
