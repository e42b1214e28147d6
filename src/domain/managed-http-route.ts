import { approvalAnnotations } from './approval-annotations.js';
import type { ExposeRequest } from './expose-request.js';
import { GATEWAY_API_GROUP, type GatewayRef } from './gateway.js';
import { ingressNameForHost } from './ingress-name.js';
import type { ExposeApproval } from './managed-ingress.js';
import { BOT_NAME, MANAGED_BY_LABEL } from './ownership.js';

/** The HTTPRoute the bot writes, as the plain object that is sent to the API server (and shown as YAML). */
export interface HttpRouteManifest {
  readonly apiVersion: 'gateway.networking.k8s.io/v1';
  readonly kind: 'HTTPRoute';
  readonly metadata: {
    readonly name: string;
    readonly namespace: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly annotations: Readonly<Record<string, string>>;
  };
  readonly spec: {
    readonly parentRefs: ReadonlyArray<{
      readonly group: typeof GATEWAY_API_GROUP;
      readonly kind: 'Gateway';
      readonly namespace: string;
      readonly name: string;
      readonly sectionName?: string;
    }>;
    readonly hostnames: readonly string[];
    readonly rules: ReadonlyArray<{
      readonly matches: ReadonlyArray<{ readonly path: { readonly type: 'PathPrefix'; readonly value: string } }>;
      readonly backendRefs: ReadonlyArray<{ readonly group: ''; readonly kind: 'Service'; readonly name: string; readonly port: number }>;
    }>;
  };
}

/**
 * One HTTPRoute per host, in the Service's namespace (so its backend needs no ReferenceGrant), attached to the
 * shared Gateway (and its listener when `gateway.sectionName` is set): host(+path prefix) -> service:port. Named,
 * labelled and annotated as the bot's Ingress is. A backendRef takes a port NUMBER only, so a port the request
 * names must be resolved against the Service first: `servicePort` is that number.
 */
export function buildManagedHttpRoute(
  request: ExposeRequest,
  gateway: GatewayRef,
  servicePort: number,
  approval: ExposeApproval,
): HttpRouteManifest {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: {
      name: ingressNameForHost(request.host),
      namespace: request.namespace,
      labels: { [MANAGED_BY_LABEL]: BOT_NAME },
      annotations: approvalAnnotations(approval),
    },
    spec: {
      parentRefs: [
        {
          group: GATEWAY_API_GROUP,
          kind: 'Gateway',
          namespace: gateway.namespace,
          name: gateway.name,
          ...(gateway.sectionName === undefined ? {} : { sectionName: gateway.sectionName }),
        },
      ],
      hostnames: [request.host],
      rules: [
        {
          matches: [{ path: { type: 'PathPrefix', value: request.path } }],
          backendRefs: [{ group: '', kind: 'Service', name: request.service, port: servicePort }],
        },
      ],
    },
  };
}
