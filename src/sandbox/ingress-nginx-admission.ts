import { ingressClassOf } from '../domain/ingress-route.js';
import type { KubeAdmission, KubeObject } from '../stand-ins/kube-api-server.js';

/**
 * What ingress-nginx's validating webhook does in a real cluster: an Ingress of its class may not
 * claim a host+path that another Ingress of the class already serves (DOMAIN.md). The sandbox registers
 * it with the Kubernetes stand-in, so a conflicting write fails there as it would in the cluster.
 */
export function ingressNginxAdmission(ingressClass: string): KubeAdmission {
  return (_operation, object, store) => {
    if (object.kind !== 'Ingress' || classOf(object) !== ingressClass) return undefined;
    const claimed = hostPaths(object);
    for (const other of store.list('networking.k8s.io/v1', 'Ingress')) {
      if (other.metadata.namespace === object.metadata.namespace && other.metadata.name === object.metadata.name) continue;
      if (classOf(other) !== ingressClass) continue;
      const taken = hostPaths(other).find((pair) => claimed.some((mine) => mine.host === pair.host && mine.path === pair.path));
      if (taken !== undefined) {
        return `admission webhook "validate.nginx.ingress.kubernetes.io" denied the request: host "${taken.host}" and path "${taken.path}" is already defined in ingress ${other.metadata.namespace ?? ''}/${other.metadata.name ?? ''}`;
      }
    }
    return undefined;
  };
}

function classOf(ingress: KubeObject): string | undefined {
  const spec = (ingress['spec'] ?? {}) as { ingressClassName?: string };
  return ingressClassOf({ className: spec.ingressClassName, annotations: ingress.metadata.annotations ?? {} });
}

function hostPaths(ingress: KubeObject): Array<{ host: string; path: string }> {
  const rules = ((ingress['spec'] ?? {}) as { rules?: Array<{ host?: string; http?: { paths?: Array<{ path?: string }> } }> }).rules ?? [];
  return rules.flatMap((rule) => (rule.http?.paths ?? []).map((entry) => ({ host: (rule.host ?? '*').toLowerCase(), path: entry.path ?? '/' })));
}
