import type { IngressRoute } from '../domain/ingress-route.js';
import { BotAnnotation } from '../domain/ownership.js';
import type { RouteStatus } from '../domain/route-status.js';
import type { ExposedHost, RouteRef } from './edge-routing.js';

/** A host the bot manages, from its object's rule and annotations. */
export function managedHost(
  ref: RouteRef,
  rule: IngressRoute,
  annotations: Readonly<Record<string, string>>,
  status?: RouteStatus,
): ExposedHost {
  return {
    host: rule.host ?? '',
    path: rule.path,
    namespace: ref.namespace,
    kind: ref.kind,
    name: ref.name,
    service: rule.serviceName,
    port: rule.servicePort,
    requestedBy: annotations[BotAnnotation.RequestedBy],
    approvedBy: annotations[BotAnnotation.ApprovedBy],
    approvedAt: annotations[BotAnnotation.ApprovedAt],
    ...(status === undefined ? {} : { status }),
  };
}

export const byHost = (a: { host: string; namespace: string }, b: { host: string; namespace: string }) =>
  a.host.localeCompare(b.host) || a.namespace.localeCompare(b.namespace);
