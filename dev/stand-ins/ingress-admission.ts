import { ingressClassOf } from '../../src/domain/ingress-route.js';
import type { KubeAdmission, KubeObject } from './kube-api-server.js';

interface IngressRuleShape {
  host?: string;
  http?: { paths?: Array<{ path?: string }> };
}

/**
 * ingress-nginx's validating webhook, as far as host+path goes: an Ingress of its class may not claim a
 * host and path that another Ingress of the class already defines. Install with `kube.admit(...)`.
 * The message is the controller's own wording.
 */
export function ingressNginxAdmission(ingressClass: string): KubeAdmission {
  return (_operation, object, store) => {
    if (object.kind !== 'Ingress' || classOf(object) !== ingressClass) return undefined;
    const claims = claimsOf(object);
    for (const other of store.list('networking.k8s.io/v1', 'Ingress')) {
      if (other.metadata.namespace === object.metadata.namespace && other.metadata.name === object.metadata.name) continue;
      if (classOf(other) !== ingressClass) continue;
      for (const claim of claimsOf(other)) {
        if (claims.some((mine) => mine.host === claim.host && mine.path === claim.path)) {
          return `admission webhook "validate.nginx.ingress.kubernetes.io" denied the request: host "${claim.host}" and path "${claim.path}" is already defined in ingress ${other.metadata.namespace ?? ''}/${other.metadata.name ?? ''}`;
        }
      }
    }
    return undefined;
  };
}

function classOf(object: KubeObject): string | undefined {
  const spec = object['spec'] as { ingressClassName?: string } | undefined;
  return ingressClassOf({ className: spec?.ingressClassName, annotations: object.metadata.annotations ?? {} });
}

function claimsOf(object: KubeObject): Array<{ host: string; path: string }> {
  const rules = (object['spec'] as { rules?: IngressRuleShape[] } | undefined)?.rules ?? [];
  return rules.flatMap((rule) =>
    (rule.http?.paths ?? []).map((path) => ({ host: (rule.host ?? '').toLowerCase(), path: path.path ?? '/' })),
  );
}
