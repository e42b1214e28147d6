import type { ControllerPod } from './cluster-node.js';

/** What runs behind the shared NLB, as the health messages name it, and whether it is still maintained. */
export interface ProxyKind {
  /** "ingress-nginx controller", "Envoy proxy", ..., or "proxy" when the labels say nothing known. */
  readonly name: string;
  /** ingress-nginx: maintenance ended in March 2026 and its repository is archived. */
  readonly retired: boolean;
}

const NAME_LABEL = 'app.kubernetes.io/name';

const KNOWN: Readonly<Record<string, string>> = {
  'ingress-nginx': 'ingress-nginx controller',
  envoy: 'Envoy proxy',
  traefik: 'Traefik',
  'nginx-gateway': 'NGINX Gateway Fabric',
  'nginx-gateway-fabric': 'NGINX Gateway Fabric',
  'nginx-ingress': 'F5 NGINX Ingress Controller',
  'haproxy-ingress': 'HAProxy Ingress',
  'kubernetes-ingress': 'HAProxy Kubernetes Ingress',
  istio: 'Istio gateway',
  'istio-ingressgateway': 'Istio gateway',
  kong: 'Kong',
  contour: 'Contour',
};

/** By the app.kubernetes.io/name of the pods the Service selects (its selector, or the pods' own labels). */
export function proxyKindOf(selector: Readonly<Record<string, string>>, pods: readonly Pick<ControllerPod, 'labels'>[]): ProxyKind {
  const names = new Set([selector[NAME_LABEL], ...pods.map((pod) => pod.labels[NAME_LABEL])].filter((name) => name !== undefined));
  const retired = names.has('ingress-nginx');
  const [first] = [...names].flatMap((name) => (KNOWN[name] === undefined ? [] : [KNOWN[name]]));
  return { name: retired ? 'ingress-nginx controller' : (first ?? 'proxy'), retired };
}

/** "an Envoy proxy pod", "a Traefik pod". */
export function withArticle(noun: string): string {
  return `${/^[aeiou]/i.test(noun) ? 'an' : 'a'} ${noun}`;
}
