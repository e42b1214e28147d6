import type { ExposeRequest } from './expose-request.js';
import { ingressNameForHost } from './ingress-name.js';
import { BOT_NAME, BotAnnotation, MANAGED_BY_LABEL } from './ownership.js';

/** The Ingress the bot writes, as the plain object that is sent to the API server (and shown as YAML). */
export interface IngressManifest {
  readonly apiVersion: 'networking.k8s.io/v1';
  readonly kind: 'Ingress';
  readonly metadata: {
    readonly name: string;
    readonly namespace: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly annotations: Readonly<Record<string, string>>;
  };
  readonly spec: {
    readonly ingressClassName: string;
    readonly rules: ReadonlyArray<{
      readonly host: string;
      readonly http: {
        readonly paths: ReadonlyArray<{
          readonly path: string;
          readonly pathType: 'Prefix';
          readonly backend: {
            readonly service: { readonly name: string; readonly port: { readonly number: number } | { readonly name: string } };
          };
        }>;
      };
    }>;
  };
}

/** Who asked and who approved; the approver and time are known only when the Ingress is applied. */
export interface ExposeApproval {
  readonly requestedBy: string;
  readonly channel: string;
  readonly approvedBy?: string;
  readonly approvedAt?: Date;
}

/**
 * One Ingress per host, in the Service's namespace: one rule host(+path) -> service:port, the bot's
 * label (the only Ingresses it will ever change or delete) and annotations recording the approval.
 * No spec.tls: TLS terminates at the NLB with the ACM certificate.
 */
export function buildManagedIngress(request: ExposeRequest, ingressClass: string, approval: ExposeApproval): IngressManifest {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name: ingressNameForHost(request.host),
      namespace: request.namespace,
      labels: { [MANAGED_BY_LABEL]: BOT_NAME },
      annotations: {
        [BotAnnotation.RequestedBy]: approval.requestedBy,
        ...(approval.approvedBy === undefined ? {} : { [BotAnnotation.ApprovedBy]: approval.approvedBy }),
        ...(approval.approvedAt === undefined
          ? {}
          : { [BotAnnotation.ApprovedAt]: approval.approvedAt.toISOString().replace(/\.\d+Z$/, 'Z') }),
        [BotAnnotation.SlackChannel]: approval.channel,
      },
    },
    spec: {
      ingressClassName: ingressClass,
      rules: [
        {
          host: request.host,
          http: {
            paths: [
              {
                path: request.path,
                pathType: 'Prefix',
                backend: {
                  service: {
                    name: request.service,
                    port: 'number' in request.port ? { number: request.port.number } : { name: request.port.name },
                  },
                },
              },
            ],
          },
        },
      ],
    },
  };
}
