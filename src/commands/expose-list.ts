import { ingressClassOf } from '../domain/ingress-route.js';
import { BotAnnotation, isManagedByBot } from '../domain/ownership.js';
import type { IngressReader } from '../ports/kube/ingress-gateway.js';

/** A host the bot manages, as its Ingress records it. */
export interface ExposedHost {
  readonly host: string;
  readonly path: string;
  readonly namespace: string;
  readonly ingressName: string;
  readonly service: string | undefined;
  readonly port: number | string | undefined;
  /** Slack user IDs and time from the bot's annotations; values from the cluster, not trusted as markup. */
  readonly requestedBy: string | undefined;
  readonly approvedBy: string | undefined;
  readonly approvedAt: string | undefined;
}

/** A host of the ingress class that some other tool or person created. */
export interface OtherHost {
  readonly host: string;
  readonly namespace: string;
  readonly ingressName: string;
}

export interface ExposeListResult {
  readonly ingressClass: string;
  readonly managed: readonly ExposedHost[];
  readonly others: readonly OtherHost[];
}

/** /expose list: one cluster-wide list of Ingresses, split into the bot's hosts and everyone else's. */
export async function listExposures(deps: { readonly ingresses: IngressReader; readonly ingressClass: string }): Promise<ExposeListResult> {
  const ingresses = await deps.ingresses.listIngresses();
  const managed: ExposedHost[] = [];
  const others = new Map<string, OtherHost>();
  for (const ingress of ingresses) {
    const ours = isManagedByBot(ingress.labels);
    if (!ours && ingressClassOf(ingress) !== deps.ingressClass) continue;
    for (const route of ingress.routes) {
      if (route.host === undefined) continue;
      if (ours) {
        managed.push({
          host: route.host,
          path: route.path,
          namespace: ingress.namespace,
          ingressName: ingress.name,
          service: route.serviceName,
          port: route.servicePort,
          requestedBy: ingress.annotations[BotAnnotation.RequestedBy],
          approvedBy: ingress.annotations[BotAnnotation.ApprovedBy],
          approvedAt: ingress.annotations[BotAnnotation.ApprovedAt],
        });
      } else {
        const key = `${route.host} ${ingress.namespace}/${ingress.name}`;
        if (!others.has(key)) others.set(key, { host: route.host, namespace: ingress.namespace, ingressName: ingress.name });
      }
    }
  }
  const byHost = (a: { host: string; namespace: string }, b: { host: string; namespace: string }) =>
    a.host.localeCompare(b.host) || a.namespace.localeCompare(b.namespace);
  return { ingressClass: deps.ingressClass, managed: managed.sort(byHost), others: [...others.values()].sort(byHost) };
}
