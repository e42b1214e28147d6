import type { NetworkingV1Api, V1Ingress } from '@kubernetes/client-node';
import type { IngressSummary } from '../../domain/ingress-route.js';
import type { Metrics } from '../../metrics.js';
import { kubeCall } from './kube-call.js';

export interface IngressReader {
  /** Every Ingress in the cluster (all namespaces, all classes), read as pages of a list. */
  listIngresses(): Promise<IngressSummary[]>;
}

const PAGE_SIZE = 500;

export class IngressGateway implements IngressReader {
  constructor(
    private readonly networking: NetworkingV1Api,
    private readonly metrics: Metrics,
  ) {}

  async listIngresses(): Promise<IngressSummary[]> {
    const result: IngressSummary[] = [];
    let continueToken: string | undefined;
    do {
      const token = continueToken;
      const page = await kubeCall(this.metrics, 'listIngressForAllNamespaces', () =>
        this.networking.listIngressForAllNamespaces({ limit: PAGE_SIZE, ...(token === undefined ? {} : { _continue: token }) }),
      );
      result.push(...page.items.map(toIngressSummary));
      continueToken = page.metadata?._continue || undefined;
    } while (continueToken !== undefined);
    return result;
  }
}

export function toIngressSummary(ingress: V1Ingress): IngressSummary {
  return {
    namespace: ingress.metadata?.namespace ?? '',
    name: ingress.metadata?.name ?? '',
    className: ingress.spec?.ingressClassName,
    labels: ingress.metadata?.labels ?? {},
    annotations: ingress.metadata?.annotations ?? {},
    resourceVersion: ingress.metadata?.resourceVersion,
    creationTimestamp: ingress.metadata?.creationTimestamp,
    routes: (ingress.spec?.rules ?? []).flatMap((rule) =>
      (rule.http?.paths ?? []).map((path) => ({
        host: rule.host?.toLowerCase(),
        path: path.path ?? '/',
        pathType: path.pathType,
        serviceName: path.backend.service?.name,
        servicePort: path.backend.service?.port?.number ?? path.backend.service?.port?.name,
      })),
    ),
  };
}
