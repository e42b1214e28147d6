/** An Ingress as the bot reads it: who owns it, which class serves it and where each host+path goes. */
export interface IngressSummary {
  readonly namespace: string;
  readonly name: string;
  readonly className: string | undefined;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly resourceVersion: string | undefined;
  readonly creationTimestamp: Date | undefined;
  readonly routes: readonly IngressRoute[];
  /** status.loadBalancer.ingress[]: the addresses (hostnames or IPs) the controller published; absent when unread. */
  readonly loadBalancerAddresses?: readonly string[];
}

export interface IngressRoute {
  /** Lower case; undefined for a rule without host (it matches every host). */
  readonly host: string | undefined;
  readonly path: string;
  readonly pathType: string;
  readonly serviceName: string | undefined;
  /** The backend port: a number, or the Service port's name. */
  readonly servicePort: number | string | undefined;
}

export const LEGACY_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

/** An Ingress belongs to a class by spec.ingressClassName or, on older Ingresses, by the legacy annotation. */
export function ingressClassOf(ingress: Pick<IngressSummary, 'className' | 'annotations'>): string | undefined {
  return ingress.className ?? ingress.annotations[LEGACY_CLASS_ANNOTATION];
}

/** Every distinct host the Ingresses of one class serve, sorted. */
export function hostsServedByClass(ingresses: readonly IngressSummary[], className: string): string[] {
  const hosts = new Set<string>();
  for (const ingress of ingresses) {
    if (ingressClassOf(ingress) !== className) continue;
    for (const route of ingress.routes) if (route.host !== undefined) hosts.add(route.host);
  }
  return [...hosts].sort();
}
