import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import type { KubeRequestRecord } from '../../dev/stand-ins/kube-api-server.js';

/**
 * A small RBAC authorizer over the shipped manifests, as the API server evaluates them: a request is allowed
 * when a rule bound to the ServiceAccount matches its API group, resource, verb, namespace and, where the rule
 * names resources, its object name (so a create or a list never matches a rule with resourceNames).
 */
export interface RbacRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
  readonly resourceNames?: readonly string[];
}

export interface Grant {
  /** undefined: cluster-wide (a ClusterRole through a ClusterRoleBinding). */
  readonly namespace: string | undefined;
  readonly rule: RbacRule;
  /** "Role ingress-nginx/name #0": where the rule comes from, for messages. */
  readonly source: string;
}

type RbacObject = {
  kind: string;
  metadata: { name: string; namespace?: string };
  rules?: RbacRule[];
  roleRef?: { kind: string; name: string };
  subjects?: Array<{ kind: string; name: string; namespace?: string }>;
};

export function shippedRbacObjects(root: string): RbacObject[] {
  const dir = join(root, 'manifests', 'bot');
  const kustomization = parse(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')) as { resources: string[] };
  return kustomization.resources.flatMap((file) =>
    parseAllDocuments(readFileSync(join(dir, file), 'utf8')).map((document) => document.toJS() as RbacObject),
  );
}

export function grantsFor(objects: readonly RbacObject[], account: { namespace: string; name: string }): Grant[] {
  const bindsAccount = (binding: RbacObject) =>
    (binding.subjects ?? []).some(
      (subject) => subject.kind === 'ServiceAccount' && subject.name === account.name && subject.namespace === account.namespace,
    );
  const rolesOf = (kind: string, name: string, namespace: string | undefined) =>
    objects.find(
      (object) =>
        object.kind === kind && object.metadata.name === name && (kind === 'ClusterRole' || object.metadata.namespace === namespace),
    );
  const grants: Grant[] = [];
  for (const binding of objects) {
    if (
      (binding.kind !== 'RoleBinding' && binding.kind !== 'ClusterRoleBinding') ||
      !bindsAccount(binding) ||
      binding.roleRef === undefined
    )
      continue;
    const namespace = binding.kind === 'RoleBinding' ? binding.metadata.namespace : undefined;
    const role = rolesOf(binding.roleRef.kind, binding.roleRef.name, namespace);
    if (role === undefined)
      throw new Error(`${binding.kind} ${binding.metadata.name} refers to a missing ${binding.roleRef.kind} ${binding.roleRef.name}`);
    for (const [index, rule] of (role.rules ?? []).entries()) {
      grants.push({ namespace, rule, source: `${role.kind} ${role.metadata.namespace ?? ''}/${role.metadata.name} #${index}` });
    }
  }
  return grants;
}

export type AuthorizableRequest = Pick<KubeRequestRecord, 'verb' | 'group' | 'resource' | 'subresource' | 'namespace' | 'name'>;

export function allowedBy(grants: readonly Grant[], request: AuthorizableRequest): Grant | undefined {
  const resource = request.subresource === undefined ? request.resource : `${request.resource}/${request.subresource}`;
  const requestNamespace = namespaceAttribute(request);
  return grants.find(
    ({ namespace, rule }) =>
      (namespace === undefined || namespace === requestNamespace) &&
      rule.apiGroups.includes(request.group) &&
      rule.resources.includes(resource) &&
      rule.verbs.includes(request.verb) &&
      (rule.resourceNames === undefined ||
        rule.resourceNames.length === 0 ||
        (request.name !== undefined && rule.resourceNames.includes(request.name))),
  );
}

/**
 * The namespace the API server authorizes a request in. A Namespace is cluster-scoped, yet the API server reads
 * GET /api/v1/namespaces/<name> as a request in the namespace <name> (k8s.io/apiserver, RequestInfoFactory: the
 * path segment after "namespaces" is the namespace), so a RoleBinding there can grant reading that one Namespace.
 */
function namespaceAttribute(request: AuthorizableRequest): string | undefined {
  return request.group === '' && request.resource === 'namespaces' && request.name !== undefined ? request.name : request.namespace;
}

export function describeRequest(request: AuthorizableRequest): string {
  const resource = request.subresource === undefined ? request.resource : `${request.resource}/${request.subresource}`;
  const namespace = namespaceAttribute(request);
  return `${request.verb} ${request.group === '' ? 'core' : request.group}/${resource}${namespace === undefined ? ' (cluster-wide)' : ` in ${namespace}`}${request.name === undefined ? '' : ` named ${request.name}`}`;
}
